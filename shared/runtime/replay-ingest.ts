import { availableParallelism } from 'node:os';
import { isWatchedRotationEvidence } from '../core/act/aftermath/rotation-seen.js';
import { CloudTrailScreen } from '../core/ingest/cloudtrail-screen.js';
import {
  DetectionPipeline,
  emptyCounts,
  lastSeenKey,
  type PipelineCounts,
  type SourceLastSeen,
} from '../core/ingest/detection-pipeline.js';
import type { Container, JsonChunk } from '../core/ingest/json-splitter.js';
import type { SegmentScanner } from '../core/ingest/segmented-split.js';
import type { AuditEvent } from '../core/model/audit-event.js';
import type { Finding } from '../core/model/finding.js';
import type { SkipKind } from '../core/normalize/skips.js';
import type { Registry, RegistryMatcher } from '../core/registry/index.js';
import { eventWithoutRaw, withoutRaw } from './parallel/detect-batch.js';
import { DetectionPool, reported } from './parallel/detection-pool.js';
import { StringInterner } from './parallel/intern.js';
import type { BatchResult, ChunkBatch } from './parallel/protocol.js';
import type { LogSource } from './replay-sources.js';

/**
 * The ingest half of a replay (read → split → parse → normalize → detect) over local files, on this
 * thread or spread over worker threads. Both give the same findings, rotation evidence, counts and
 * errors in the same order (file by file, record by record): correlation after it cannot tell them apart.
 */

export interface IngestOptions {
  registry: Registry;
  matcher: RegistryMatcher;
  sources: readonly LogSource[];
  /** Detection workers; 1 runs everything on this thread. */
  threads: number;
  onError(error: Error): void;
  onProgress?(progress: { file: string; filesDone: number; bytesRead: number; counts: PipelineCounts }): void;
}

export interface Ingested {
  findings: Finding[];
  rotationEvidence: AuditEvent[];
  counts: PipelineCounts;
  /** Well-formed records of a kind not read, per kind (their sum is `counts.skipped`). */
  skipped: Partial<Record<SkipKind, number>>;
  /** Files that could not be read at all (each also reported through onError). */
  unreadableFiles: number;
  /** Event-time spans per source kind, scope and Region (one entry per key): the report's coverage. */
  lastSeen: SourceLastSeen[];
}

/** Below this much input on disk (gzip ≈ 7:1 for CloudTrail), starting workers (≈ 50 ms each) costs more than it saves. */
const PARALLEL_FROM_BYTES = 4 << 20;
/** A batch sent to a worker: large enough that messaging is noise, small enough to keep memory flat. */
const BATCH_CHUNKS = 1024;
const BATCH_CHARS = 1 << 20;

/**
 * Every core for inputs worth it, else this thread alone. With the CloudTrail screen (a registry whose
 * AWS names it can look for), the workers split and screen segments of each log file while this thread
 * inflates, cuts and runs the pipeline in file order; without it, this thread splits and the workers parse.
 */
export function defaultThreads(sources: readonly LogSource[]): number {
  const bytes = sources.reduce((sum, source) => sum + source.bytes, 0);
  return bytes >= PARALLEL_FROM_BYTES ? availableParallelism() : 1;
}

function emptyIngested(): Ingested {
  return { findings: [], rotationEvidence: [], counts: emptyCounts(), skipped: {}, unreadableFiles: 0, lastSeen: [] };
}

export async function ingestFiles(options: IngestOptions): Promise<Ingested> {
  if (options.threads <= 1) return ingestHere(options);
  if (!CloudTrailScreen.of(options.matcher)) return ingestParallel(options);
  // Workers read segments of the log files; this thread does the rest, in file order, as with one thread.
  const pool = new DetectionPool(options.registry, options.threads - 1);
  try {
    return await ingestHere(options, pool);
  } finally {
    await pool.close();
  }
}

/** Everything on this thread, but for the segments of CloudTrail log files `segments` splits and screens. */
async function ingestHere(options: IngestOptions, segments?: SegmentScanner): Promise<Ingested> {
  const out = emptyIngested();
  const interner = new StringInterner();
  const pipeline = new DetectionPipeline(options.matcher, {
    // Held until correlation: one copy of each repeated string (file, accounts, ARNs, agents, rule ids).
    onFinding: (f) => out.findings.push(interner.intern(withoutRaw(f))),
    onError: options.onError,
    onEvent: (event) => {
      if (isWatchedRotationEvidence(event, options.matcher))
        out.rotationEvidence.push(interner.intern(eventWithoutRaw(event)));
    },
  });
  out.counts = pipeline.counts;
  let bytesRead = 0;
  for (const [i, source] of options.sources.entries()) {
    const file = source.location;
    try {
      await source.read(
        (chunk, container) => pipeline.chunk(chunk, container, file),
        (bytes) => {
          bytesRead += bytes;
          options.onProgress?.({ file, filesDone: i, bytesRead, counts: pipeline.counts });
        },
        undefined,
        pipeline.screen,
        segments,
      );
    } catch (error) {
      out.unreadableFiles++;
      pipeline.counts.errors++;
      options.onError(error as Error);
    }
  }
  out.lastSeen = [...pipeline.lastSeen.values()];
  out.skipped = Object.fromEntries(pipeline.skipped);
  return out;
}

/** A file being read: its batches in order, applied (and let go) as their results come, not at its end. */
interface FileRead {
  batches: (Promise<BatchResult> | undefined)[];
  done: boolean;
  error?: Error;
  /** Wakes the applying loop when a batch is sent or the file ends. */
  wake?: () => void;
}

/**
 * Up to `threads` files are read at once (each inflating on libuv's pool and split on this thread);
 * their chunks go to the workers in batches; results are applied file by file, batch by batch.
 */
async function ingestParallel(options: IngestOptions): Promise<Ingested> {
  const { sources, threads } = options;
  const out = emptyIngested();
  const pool = new DetectionPool(options.registry, threads);
  const interner = new StringInterner();
  const spans = new Map<string, SourceLastSeen>(); // out.lastSeen by key
  let bytesRead = 0;
  let filesDone = 0;
  const reads: FileRead[] = [];
  const start = (i: number) => {
    const source = sources[i] as LogSource;
    const read: FileRead = { batches: [], done: false };
    reads[i] = read;
    void readInBatches(source, pool, read, (bytes) => {
      bytesRead += bytes;
      options.onProgress?.({ file: source.location, filesDone, bytesRead, counts: out.counts });
    }).then(() => {
      if (i + threads < sources.length) start(i + threads);
    });
  };
  try {
    for (let i = 0; i < Math.min(threads, sources.length); i++) start(i);
    for (let i = 0; i < sources.length; i++) {
      const read = reads[i] as FileRead;
      for (let next = 0; ; next++) {
        while (next >= read.batches.length && !read.done) await new Promise<void>((wake) => (read.wake = wake));
        const batch = read.batches[next];
        if (!batch) break;
        read.batches[next] = undefined;
        apply(out, await batch, interner, spans, options.onError);
      }
      if (read.error) {
        out.unreadableFiles++;
        out.counts.errors++;
        options.onError(read.error);
      }
      filesDone = i + 1;
    }
  } finally {
    await pool.close();
  }
  return out;
}

async function readInBatches(
  source: LogSource,
  pool: DetectionPool,
  read: FileRead,
  onBytes: (bytes: number) => void,
): Promise<void> {
  const file = source.location;
  let batch: ChunkBatch | undefined;
  let chars = 0;
  const flush = () => {
    if (!batch) return;
    const result = pool.run(batch);
    result.catch(() => {}); // awaited in order later; a dead worker must not be an unhandled rejection first
    read.batches.push(result);
    read.wake?.();
    batch = undefined;
    chars = 0;
  };
  const add = (chunk: JsonChunk, container: Container) => {
    if (batch && batch.container !== container) flush();
    batch ??= { location: file, container, texts: [], lines: [], indexes: [] };
    batch.texts.push(chunk.text);
    batch.lines.push(chunk.line);
    batch.indexes.push(chunk.index);
    chars += chunk.text.length;
    if (batch.texts.length >= BATCH_CHUNKS || chars >= BATCH_CHARS) flush();
  };
  try {
    await source.read(add, onBytes, () => pool.saturated());
  } catch (error) {
    read.error = error as Error;
  } finally {
    flush();
    read.done = true;
    read.wake?.();
  }
}

function apply(
  out: Ingested,
  result: BatchResult,
  interner: StringInterner,
  spans: Map<string, SourceLastSeen>,
  onError: (error: Error) => void,
): void {
  for (const key of Object.keys(out.counts) as (keyof PipelineCounts)[]) out.counts[key] += result.counts[key];
  for (const [kind, n] of Object.entries(result.skipped) as [SkipKind, number][]) {
    out.skipped[kind] = (out.skipped[kind] ?? 0) + n;
  }
  out.findings.push(...interner.intern(result.findings));
  out.rotationEvidence.push(...interner.intern(result.rotationEvidence));
  for (const seen of result.lastSeen) {
    const key = lastSeenKey(seen);
    const known = spans.get(key);
    if (!known) {
      spans.set(key, seen);
      out.lastSeen.push(seen);
    } else {
      known.firstMs = Math.min(known.firstMs ?? known.timeMs, seen.firstMs ?? seen.timeMs);
      known.timeMs = Math.max(known.timeMs, seen.timeMs);
    }
  }
  for (const error of result.errors) onError(reported(error));
}
