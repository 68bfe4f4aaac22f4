import { parentPort, workerData } from 'node:worker_threads';
import { CloudTrailScreen } from '../../core/ingest/cloudtrail-screen.js';
import { scanSegment } from '../../core/ingest/record-segments.js';
import { RegistryMatcher } from '../../core/registry/matcher.js';
import type { Registry } from '../../core/registry/schema.js';
import { detectBatch } from './detect-batch.js';
import type { WorkerRequest, WorkerResponse } from './protocol.js';

/** A detection worker thread: the registry arrives once, batches of chunks one at a time. */
const matcher = new RegistryMatcher((workerData as { registry: Registry }).registry);
const port = parentPort;
if (!port) throw new Error('detection-worker: must run as a worker thread');

const screen = CloudTrailScreen.of(matcher);

port.on('message', (request: WorkerRequest) => {
  const { id } = request;
  let response: WorkerResponse;
  try {
    if ('batch' in request) response = { id, result: detectBatch(request.batch, matcher) };
    else {
      if (!screen) throw new Error('a log-file segment was sent, but the registry cannot be screened for');
      const scan = scanSegment(request.segment, screen);
      // The segment's bytes go back with it (moved): a wrong cut is read again from them.
      port.postMessage({ id, scan } satisfies WorkerResponse, [scan.bytes.buffer as ArrayBuffer]);
      return;
    }
  } catch (error) {
    // detectBatch isolates every record; reaching here is a bug, reported as the batch's failure.
    response = { id, failure: { name: (error as Error).name, message: (error as Error).message } };
  }
  port.postMessage(response);
});
port.postMessage({ ready: true } satisfies WorkerResponse);
