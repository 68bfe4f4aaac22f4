/**
 * The second half of a replay — correlate → act — on the embedded DynamoDB. A module of its own because
 * of what it loads (the DynamoDB client, dynalite, the responders' drivers: ~0.1 s of one core): a
 * replay imports it while the files are read, so reading and the detection workers start that much sooner.
 */
import { DynamoAssuranceStore } from '../adapters/dynamodb/assurance-store.js';
import { DynamoIncidentRepository } from '../adapters/dynamodb/incident-repository.js';
import type { LocalDynamo } from '../adapters/dynamodb/local-dynalite.js';
import type { LogsEnd } from '../core/act/aftermath/runner.js';
import { buildReport, type DeliveryReport } from '../core/act/report.js';
import type { UnverifiedRotation } from '../core/act/responders.js';
import { cloudOfSource, coverageOf } from '../core/assure/coverage.js';
import { concurrently, STORE_WRITES_AT_ONCE } from '../core/concurrently.js';
import { Correlator } from '../core/correlate/correlator.js';
import type { SourceLastSeen } from '../core/ingest/detection-pipeline.js';
import type { AuditEvent } from '../core/model/audit-event.js';
import { byFirstSeen, type Incident, type IncidentChange, latestVersions } from '../core/model/incident.js';
import type { Registry, RegistryMatcher } from '../core/registry/index.js';
import { createLocalResponders } from './local-responders.js';
import type { Ingested } from './replay-ingest.js';

export { startLocalDynamo } from '../adapters/dynamodb/local-dynalite.js';

export interface Correlated {
  changes: IncidentChange[];
  incidents: Incident[];
  unchanged: string[];
  delivery?: DeliveryReport;
  unverified?: UnverifiedRotation[];
}

export interface CorrelateOptions {
  registry: Registry;
  matcher: RegistryMatcher;
  ingested: Ingested;
  store: LocalDynamo;
  nowMs?: number;
  respond?: boolean;
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Correlates the findings (sorted by event time) through the same DynamoDB store code Lambda uses,
 * records what the files covered, closes ended sessions, then runs the act stage on the changes.
 */
export async function correlateAndRespond(options: CorrelateOptions): Promise<Correlated> {
  const { registry, matcher, ingested, store } = options;
  const { findings, rotationEvidence, lastSeen } = ingested;
  const correlator = new Correlator(new DynamoIncidentRepository(store.client, store.tableName), matcher);
  const changes = await correlator.record(findings);
  // What the replayed files covered (clouds, accounts, Regions, from when to when), for the report.
  const assurance = new DynamoAssuranceStore(store.client, store.tableName);
  // One item per source, account and Region: independent writes.
  await concurrently(coverageOf('replay', lastSeen), STORE_WRITES_AT_ONCE, (record) =>
    assurance.recordCoverage(record),
  );
  changes.push(...(await correlator.closeEnded(options.nowMs ?? Date.now())));
  const changedIds = new Set(changes.map((c) => c.incident.id));
  // A stored incident this run changed is, at the same version, the change's own object (the store
  // holds its JSON): report that one, so a large session's events are held once, not twice.
  const latest = latestVersions(changes.map((change) => change.incident));
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
  incidents.sort(byFirstSeen);
  const delivery =
    options.respond === false
      ? undefined
      : await respond(registry, changes, rotationEvidence, store, options.env, options.nowMs, logsEndOf(lastSeen));
  return {
    ...(delivery ? { delivery: delivery.report, unverified: delivery.unverified } : {}),
    changes,
    incidents,
    unchanged: incidents.filter((i) => !changedIds.has(i.id)).map((i) => i.id),
  };
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
