import { readFile } from 'node:fs/promises';
import { DynamoAssuranceStore } from '../adapters/dynamodb/assurance-store.js';
import { DynamoIncidentRepository } from '../adapters/dynamodb/incident-repository.js';
import { type LocalDynamo, startLocalDynamo } from '../adapters/dynamodb/local-dynalite.js';
import type { LogsEnd } from '../core/act/aftermath/runner.js';
import { buildReport, type DeliveryReport } from '../core/act/report.js';
import type { UnverifiedRotation } from '../core/act/responders.js';
import { cloudOfSource, coverageOf } from '../core/assure/coverage.js';
import { concurrently, STORE_WRITES_AT_ONCE } from '../core/concurrently.js';
import { Correlator } from '../core/correlate/correlator.js';
import type { PipelineCounts, SourceLastSeen } from '../core/ingest/detection-pipeline.js';
import { SourceReadError } from '../core/ingest/errors.js';
import type { AuditEvent } from '../core/model/audit-event.js';
import type { Incident, IncidentChange } from '../core/model/incident.js';
import type { SkipKind } from '../core/normalize/skips.js';
import { parseRegistry, type Registry, RegistryMatcher } from '../core/registry/index.js';
import { createLocalResponders } from './local-responders.js';
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
 * The local composition root of ingest → normalize → detect → correlate: reads files, collects
 * findings (few, even in huge logs), sorts them by event time, and correlates them through the same
 * DynamoDB store code Lambda uses, on an embedded dynalite.
 */
export async function runReplay(options: ReplayOptions, dynamo?: LocalDynamo): Promise<ReplayResult> {
  const registry = await loadRegistry(options.registryPath);
  const matcher = new RegistryMatcher(registry);
  const onError = options.onError ?? (() => {});
  const { sources, close } = await resolveSources(options.paths, options.env ?? process.env);
  const files = sources.map((source) => source.location);
  // The store starts (and a locked state folder fails) while the files are read.
  const store = dynamo
    ? Promise.resolve(dynamo)
    : startLocalDynamo({ inProcess: true, ...(options.stateDir ? { path: options.stateDir } : {}) });
  store.catch(() => {}); // awaited below, after the files
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
  const { findings, rotationEvidence, unreadableFiles, counts, lastSeen, skipped } = ingested;
  const ownDynamo = await store;
  try {
    const correlator = new Correlator(new DynamoIncidentRepository(ownDynamo.client, ownDynamo.tableName), matcher);
    const changes = await correlator.record(findings);
    // What the replayed files covered (clouds, accounts, Regions, from when to when), for the report.
    const assurance = new DynamoAssuranceStore(ownDynamo.client, ownDynamo.tableName);
    // One item per source, account and Region: independent writes.
    await concurrently(coverageOf('replay', lastSeen), STORE_WRITES_AT_ONCE, (record) =>
      assurance.recordCoverage(record),
    );
    changes.push(...(await correlator.closeEnded(options.nowMs ?? Date.now())));
    const changedIds = new Set(changes.map((c) => c.incident.id));
    // A stored incident this run changed is, at the same version, the change's own object (the store
    // holds its JSON): report that one, so a large session's events are held once, not twice.
    const latest = new Map(latestIncidents(changes).map((incident) => [incident.id, incident]));
    const incidents = (await correlator.incidentsFor(findings)).map((stored) => {
      const changed = latest.get(stored.id);
      return changed?.version === stored.version ? changed : stored;
    });
    // Correlated and stored: the responders read the changes. Let the findings go before they run.
    findings.length = 0;
    // Closing changes may touch incidents no finding of this run belongs to: report them too.
    for (const incident of latest.values()) {
      if (!incidents.some((i) => i.id === incident.id)) incidents.push(incident);
    }
    incidents.sort((a, b) => a.firstSeen.localeCompare(b.firstSeen) || a.id.localeCompare(b.id));
    const delivery =
      options.respond === false
        ? undefined
        : await respond(
            registry,
            changes,
            rotationEvidence,
            ownDynamo,
            options.env,
            options.nowMs,
            logsEndOf(lastSeen),
          );
    return {
      ...(delivery ? { delivery: delivery.report, unverified: delivery.unverified } : {}),
      registry,
      counts,
      skipped,
      files: files.length,
      unreadableFiles,
      changes,
      incidents,
      unchanged: incidents.filter((i) => !changedIds.has(i.id)).map((i) => i.id),
    };
  } finally {
    if (!dynamo) await ownDynamo.close();
  }
}

/**
 * The act stage, locally: the registry's responders (or the outbox when none is configured), with the
 * delivery ledger and the rotation watches in the same embedded DynamoDB, so nothing pages twice across
 * runs. Pages and tickets for the changes, then the aftermath: rotations the replayed logs prove, the
 * reviews and rotations now due, rotations overdue, pages whose ticket was closed. Waits for every action to be delivered, failed, or
 * out of retries.
 */
async function respond(
  registry: Registry,
  changes: IncidentChange[],
  rotationEvidence: AuditEvent[],
  dynamo: LocalDynamo,
  env: Readonly<Record<string, string | undefined>> = process.env,
  nowMs?: number,
  logsEnd?: LogsEnd,
): Promise<{ report: DeliveryReport; unverified: UnverifiedRotation[] }> {
  const { responders } = createLocalResponders(registry, dynamo, env);
  const timed = nowMs === undefined ? {} : { nowMs };
  // Old logs replayed today: a deadline after the logs end cannot be judged from them.
  const bounded = logsEnd === undefined ? timed : { ...timed, logsEnd };
  const report = mergeReports([
    await responders.handle(changes),
    await responders.rotationSeen(rotationEvidence),
    await responders.runDue(timed),
    await responders.checkOverdue(bounded),
    // A ticket a person closed since the last run resolves the incident's pages.
    await responders.checkTickets(),
  ]);
  const unverified = logsEnd === undefined ? [] : await responders.unverifiedRotations({ ...timed, logsEnd });
  return { report, unverified };
}

/** The newest event time of the input per cloud and per account: a rotation is proven by its own account's logs. */
function logsEndOf(seen: readonly SourceLastSeen[]): LogsEnd {
  const byCloud: LogsEnd['byCloud'] = {};
  const byScope: Record<string, number> = {};
  for (const s of seen) {
    const cloud = cloudOfSource(s.source);
    byCloud[cloud] = Math.max(byCloud[cloud] ?? s.timeMs, s.timeMs);
    if (s.scope) byScope[`${cloud}:${s.scope}`] = Math.max(byScope[`${cloud}:${s.scope}`] ?? s.timeMs, s.timeMs);
  }
  return { byCloud, byScope };
}

/** One report for several act steps: a later outcome of the same action replaces an earlier one. */
function mergeReports(reports: readonly DeliveryReport[]): DeliveryReport {
  return buildReport(reports.flatMap((report) => report.incidents.flatMap((incident) => incident.actions)));
}

function latestIncidents(changes: readonly IncidentChange[]): Incident[] {
  const latest = new Map<string, Incident>();
  for (const { incident } of changes) {
    const seen = latest.get(incident.id);
    if (!seen || seen.version <= incident.version) latest.set(incident.id, incident);
  }
  return [...latest.values()].sort((a, b) => a.firstSeen.localeCompare(b.firstSeen) || a.id.localeCompare(b.id));
}
