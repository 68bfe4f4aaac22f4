import type { IncidentChange } from '../../core/model/incident.js';
import type { IngestRuntime } from './ingest-runtime.js';
import { COUNT, METRIC } from './observability.js';

export interface SessionSweepResult {
  /** Sessions whose gap has passed, closed now. */
  closed: IncidentChange[];
  /** Changes stored earlier but never published (a failed publish), published now. */
  reconciled: IncidentChange[];
}

/**
 * The scheduled correlate step: reconciles every incident active in the last `reconcileDays` against
 * the publication ledger (a change lost to a failed PutEvents goes out at most one schedule period
 * late), then closes sessions whose gap has passed and publishes the `closed` changes.
 *
 * @example
 * const { closed, reconciled } = await closeEndedSessions(runtime, 14, Date.now());
 */
export async function closeEndedSessions(
  runtime: IngestRuntime,
  reconcileDays: number,
  nowMs: number,
): Promise<SessionSweepResult> {
  const { logger, metrics } = runtime.observability;
  // Late changes first, so subscribers see them before a `closed` of the same incident.
  // Older incidents are left alone: a lost ledger item must not re-page a months-old incident.
  const since = nowMs - reconcileDays * 86_400_000;
  const recent = [...(await runtime.repository.listHeads()), ...(await runtime.repository.listIncidents())].filter(
    (incident) => Date.parse(incident.lastSeen) >= since,
  );
  const reconciled = await runtime.publication.reconcile(recent);
  metrics.addMetric(METRIC.lateChanges, COUNT, reconciled.length);
  for (const change of reconciled) {
    logger.warn('incident change published late (an earlier publish failed)', {
      kind: change.kind,
      incidentId: change.incident.id,
      version: change.incident.version,
    });
  }

  const closed = await runtime.correlator.closeEnded(nowMs);
  await runtime.publication.publish(closed);
  metrics.addMetric(METRIC.sessionsClosed, COUNT, closed.length);
  for (const change of closed)
    logger.info('session closed', { incidentId: change.incident.id, lastSeen: change.incident.lastSeen });
  return { closed, reconciled };
}
