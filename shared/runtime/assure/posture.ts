import type { RespondersConfig } from '../../core/act/config-schema.js';
import { evaluateHeartbeats, type SourceKey, type Thresholds } from '../../core/assure/heartbeat.js';
import { buildPostureReport, type CheckRow, type PostureReport } from '../../core/assure/report.js';
import { ticketSites } from '../../core/assure/report-incidents.js';
import { checkRow } from '../../core/assure/verify/result.js';
import type { DeliveryRecord } from '../../core/ports/delivery-ledger.js';
import type { RotationWatch, RotationWatchStore } from '../../core/ports/rotation-watch-store.js';
import { type AssuranceSources, gatherFacts } from './facts.js';

const READS_IN_FLIGHT = 16;

export interface PostureOptions {
  expected?: readonly SourceKey[];
  thresholds?: Thresholds;
  /** Rotation watches: the incidents' rotation state (requested, seen, overdue). */
  rotations?: RotationWatchStore;
  /** The plumbing checks' rows; by default the last results the store holds (`glasswatch verify`). */
  checks?: readonly CheckRow[];
  /** Incidents listed one by one (every incident is counted in the trend). */
  incidentLimit?: number;
}

/**
 * The posture report from the stores: controls per account, incidents with their workflow, coverage,
 * drills, source heartbeats and the pipeline alerts still open.
 *
 * @example
 * const report = await collectPosture(sources, Date.now());
 */
export async function collectPosture(
  sources: AssuranceSources,
  nowMs: number,
  options: PostureOptions = {},
): Promise<PostureReport> {
  const facts = await gatherFacts(sources, nowMs);
  const deliveries = new Map<string, DeliveryRecord[]>();
  const rotations = new Map<string, RotationWatch>();
  // A few reads in flight at a time: hundreds of incidents are read in seconds, not one round trip each.
  const ids = facts.incidents.map((i) => i.id);
  for (let at = 0; at < ids.length; at += READS_IN_FLIGHT) {
    await Promise.all(
      ids.slice(at, at + READS_IN_FLIGHT).map(async (id) => {
        deliveries.set(id, await sources.ledger.list(id));
        const watch = await options.rotations?.get(id);
        if (watch) rotations.set(id, watch);
      }),
    );
  }
  return buildPostureReport({
    registry: sources.registry,
    incidents: facts.incidents,
    deliveries,
    rotations,
    drills: facts.drills,
    heartbeats: evaluateHeartbeats(facts.heartbeats, options.expected ?? [], options.thresholds ?? {}, nowMs),
    coverage: await sources.store.listCoverage(),
    checks: options.checks ?? (await storedChecks(sources)),
    openAlerts: await sources.store.openAlerts(),
    ticketSites: ticketSites(sources.registry.responders as RespondersConfig | undefined),
    nowMs,
    ...(options.incidentLimit === undefined ? {} : { incidentLimit: options.incidentLimit }),
  });
}

async function storedChecks(sources: AssuranceSources): Promise<CheckRow[]> {
  const watched = new Set(sources.registry.accounts.map((a) => a.cloud));
  return (await sources.store.listChecks()).map((c) => checkRow(c, watched));
}
