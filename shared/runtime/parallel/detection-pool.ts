import { Worker } from 'node:worker_threads';
import type { SegmentScan } from '../../core/ingest/record-segments.js';
import type { SegmentScanner } from '../../core/ingest/segmented-split.js';
import type { Registry } from '../../core/registry/index.js';
import { workerEntry } from '../worker-entry.js';
import type { BatchResult, ChunkBatch, ReportedError, WorkerRequest, WorkerResponse } from './protocol.js';

/** Segments a worker holds (one being read, two waiting) before the reader reads the next one itself. */
const SEGMENTS_PER_WORKER = 3;

/**
 * V8 grows a busy thread's young generation to ~130 MB (Node 24), which a worker's live set — one batch
 * of ~1 MB of records — never needs: capped, three threads stay inside the memory a replay may take.
 */
// Under the CLI, V8's process-wide --max-semi-space-size (bin/glasswatch.mjs) sets their semi-spaces instead.
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 32 };

/**
 * Worker threads running ingest → normalize → detect on batches of chunks, so parsing (most of a
 * replay's work) uses every core while the main thread reads, inflates and splits the files and
 * correlates in order. Bounded: `saturated()` tells the reader to wait while `maxQueued` batches are
 * waiting or running, which keeps memory flat whatever the input's size.
 */
export class DetectionPool implements SegmentScanner {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: WorkerRequest[] = [];
  private readonly pending = new Map<number, { resolve(r: BatchResult | SegmentScan): void; reject(e: Error): void }>();
  private readonly running = new Map<Worker, number>();
  private readonly waiters: (() => void)[] = [];
  private nextId = 0;
  /** Workers that have loaded (~0.1 s on an idle core; 0.2–0.3 s while the reading keeps both busy). */
  private ready = 0;
  private broken: Error | undefined;

  constructor(
    registry: Registry,
    size: number,
    private readonly maxQueued = size * 2,
  ) {
    const { url, execArgv } = workerEntry('detection-worker', new URL('./detection-worker.ts', import.meta.url));
    for (let i = 0; i < size; i++) {
      const worker = new Worker(url, { workerData: { registry }, execArgv, resourceLimits: WORKER_LIMITS });
      worker.on('message', (response: WorkerResponse) => {
        if ('ready' in response) this.ready++;
        else this.settle(worker, response);
      });
      worker.on('error', (error) =>
        this.fail(new Error(`detection worker failed: ${error.message}`, { cause: error })),
      );
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`detection worker exited with code ${code}`));
      });
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  /** Detects one batch on the next free worker; results come back in any order, tagged by their promise. */
  run(batch: ChunkBatch): Promise<BatchResult> {
    return this.send((id) => ({ id, batch })) as Promise<BatchResult>;
  }

  /**
   * Splits and screens a segment of a CloudTrail log file on the next free worker (its bytes moved there
   * and back). Unless `mustTake`, undefined while no worker has loaded yet or each has one running and
   * two waiting: the reader then reads it itself. (Paired runs of the bench replay: two waiting 2–4 %
   * faster than one or three.)
   */
  scan(segment: Uint8Array, mustTake: boolean): Promise<SegmentScan> | undefined {
    if (!mustTake && (this.ready === 0 || this.pending.size >= SEGMENTS_PER_WORKER * this.workers.length)) {
      return undefined;
    }
    return this.send((id) => ({ id, segment })) as Promise<SegmentScan>;
  }

  private send(request: (id: number) => WorkerRequest): Promise<BatchResult | SegmentScan> {
    if (this.broken) return Promise.reject(this.broken);
    const id = this.nextId++;
    const done = new Promise<BatchResult | SegmentScan>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.queue.push(request(id));
    this.dispatch();
    return done;
  }

  /** A promise to wait on while too many batches are queued or running, else undefined. */
  saturated(): Promise<void> | undefined {
    if (this.pending.size < this.maxQueued || this.broken) return undefined;
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop() as Worker;
      const task = this.queue.shift() as WorkerRequest;
      this.running.set(worker, task.id);
      worker.postMessage(task, 'segment' in task ? [task.segment.buffer as ArrayBuffer] : []);
    }
  }

  private settle(worker: Worker, response: Exclude<WorkerResponse, { ready: true }>): void {
    this.running.delete(worker);
    this.idle.push(worker);
    const pending = this.pending.get(response.id);
    this.pending.delete(response.id);
    if ('failure' in response) pending?.reject(reported(response.failure));
    else pending?.resolve('scan' in response ? response.scan : response.result);
    this.dispatch();
    if (this.pending.size < this.maxQueued) for (const wake of this.waiters.splice(0)) wake();
  }

  /** A worker that dies takes the replay with it: every batch not yet answered fails. */
  private fail(error: Error): void {
    this.broken ??= error;
    for (const { reject } of this.pending.values()) reject(this.broken);
    this.pending.clear();
    for (const wake of this.waiters.splice(0)) wake();
  }
}

/** Rebuilds a worker's error for the main thread: same name and message (what is reported). */
export function reported({ name, message }: ReportedError): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}
