import { parentPort, workerData } from 'node:worker_threads';
import { type Registry, RegistryMatcher } from '../../core/registry/index.js';
import { detectBatch } from './detect-batch.js';
import type { WorkerRequest, WorkerResponse } from './protocol.js';

/** A detection worker thread: the registry arrives once, batches of chunks one at a time. */
const matcher = new RegistryMatcher((workerData as { registry: Registry }).registry);
const port = parentPort;
if (!port) throw new Error('detection-worker: must run as a worker thread');

port.on('message', ({ id, batch }: WorkerRequest) => {
  let response: WorkerResponse;
  try {
    response = { id, result: detectBatch(batch, matcher) };
  } catch (error) {
    // detectBatch isolates every record; reaching here is a bug, reported as the batch's failure.
    response = { id, failure: { name: (error as Error).name, message: (error as Error).message } };
  }
  port.postMessage(response);
});
