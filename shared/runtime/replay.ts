import { readFile } from 'node:fs/promises';
import type { LocalDynamo } from '../adapters/dynamodb/local-dynalite.js';
import type { DeliveryReport } from '../core/act/report.js';
import type { UnverifiedRotation } from '../core/act/responders.js';
import type { PipelineCounts } from '../core/ingest/detection-pipeline.js';
import { SourceReadError } from '../core/ingest/errors.js';
import type { Incident, IncidentChange } from '../core/model/incident.js';
import type { SkipKind } from '../core/normalize/skips.js';
import { parseRegistry, type Registry, RegistryMatcher } from '../core/registry/index.js';
import { defaultThreads, type Ingested, ingestFiles } from './replay-ingest.js';
import { resolveSources } from './replay-sources.js';

export interface ReplayOptions {
  registryPath: string;
  paths: readonly string[];
  /** Folder for the embedded DynamoDB; undefined keeps everything in memory. */
  stateDir?: string;
  /** "Now" for closing ended sessions; defaults to the wall clock. */
  nowMs?: number;
  onError?: (error: Error) => void;
  onProgress?: (progress: ReplayProgress) => void;
  /** Run the act stage (pages, tickets, outbox) on the changes; default true. */
  respond?: boolean;
  /** Where `{ env }` secret references resolve (vendor credentials); default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Detection worker threads; 1 = this thread; default every core for inputs over 4 MiB. */
  threads?: number;
}

export interface ReplayProgress {
  file: string;
  filesDone: number;
  filesTotal: number;
  bytesRead: number;
  counts: PipelineCounts;
}

export interface ReplayResult {
  registry: Registry;
  counts: PipelineCounts;
  /** Well-formed records of a kind not read, per kind (their sum is `counts.skipped`). */
  skipped: Partial<Record<SkipKind, number>>;
  files: number;
  /** Files that could not be read at all (each also reported through onError). */
  unreadableFiles: number;
  /** Every change this run made, in order: what the act stage consumes. */
  changes: IncidentChange[];
  /** Every incident this run's findings belong to or this run changed, latest state, oldest first. */
  incidents: Incident[];
  /** Ids of incidents that were already stored exactly so (a replay of files seen before). */
  unchanged: string[];
  /** What the responders delivered, or undefined when `respond` was false. */
  delivery?: DeliveryReport;
  /** Rotations due by now whose deadline falls after the newest replayed event: not overdue, unverified. */
  unverified?: UnverifiedRotation[];
}

/** Reads and validates a registry file; a file that cannot be read is a SourceReadError naming it. */
export async function loadRegistry(path: string): Promise<Registry> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new SourceReadError(path, (error as NodeJS.ErrnoException).code ?? String(error), { cause: error });
  }
  return parseRegistry(text, path);
}

/**
 * The local composition root of ingest → normalize → detect → correlate → act: reads files, collects
 * findings (few, even in huge logs), then correlates them and runs the responders through the same
 * DynamoDB store code Lambda uses, on an embedded dynalite (replay-store.ts).
 */
export async function runReplay(options: ReplayOptions, dynamo?: LocalDynamo): Promise<ReplayResult> {
  const registry = await loadRegistry(options.registryPath);
  const matcher = new RegistryMatcher(registry);
  const onError = options.onError ?? (() => {});
  const { sources, close } = await resolveSources(options.paths, options.env ?? process.env);
  const files = sources.map((source) => source.location);
  // The second half loads, and the store starts (a locked state folder fails), while the files are read.
  const later = import('./replay-store.js');
  const store = dynamo
    ? Promise.resolve(dynamo)
    : later.then(({ startLocalDynamo }) =>
        startLocalDynamo({ inProcess: true, ...(options.stateDir ? { path: options.stateDir } : {}) }),
      );
  later.catch(() => {}); // awaited below, after the files
  store.catch(() => {});
  let ingested: Ingested;
  try {
    ingested = await ingestFiles({
      registry,
      matcher,
      sources,
      threads: options.threads ?? defaultThreads(sources),
      onError,
      onProgress: ({ file, filesDone, bytesRead, counts }) =>
        options.onProgress?.({ file, filesDone, filesTotal: files.length, bytesRead, counts }),
    });
  } catch (error) {
    if (!dynamo) await store.then((started) => started.close()).catch(() => {});
    throw error;
  } finally {
    close();
  }
  const ownDynamo = await store;
  try {
    const { correlateAndRespond } = await later;
    const correlated = await correlateAndRespond({
      registry,
      matcher,
      ingested,
      store: ownDynamo,
      ...(options.nowMs === undefined ? {} : { nowMs: options.nowMs }),
      ...(options.respond === undefined ? {} : { respond: options.respond }),
      ...(options.env ? { env: options.env } : {}),
    });
    const { counts, skipped, unreadableFiles } = ingested;
    return { ...correlated, registry, counts, skipped, files: files.length, unreadableFiles };
  } finally {
    if (!dynamo) await ownDynamo.close();
  }
}
