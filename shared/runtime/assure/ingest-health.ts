import { coverageOf } from '../../core/assure/coverage.js';
import { ALL_REGIONS, heartbeatKeyOf, sourceKeyString, type Transport } from '../../core/assure/heartbeat.js';
import { concurrently, STORE_WRITES_AT_ONCE } from '../../core/concurrently.js';
import { RuleError } from '../../core/detect/errors.js';
import type { SourceLastSeen } from '../../core/ingest/detection-pipeline.js';
import type { AssuranceStore } from '../../core/ports/assurance-store.js';

/**
 * What an ingest run tells the heartbeat: the newest event time per source (from
 * `DetectionPipeline.lastSeen`) and the errors it met. Every ingest path calls this once per unit of
 * work (an EventBridge event, an S3 object, a poll, a replay): see README "Assurance".
 */
export interface IngestHealth {
  transport: Transport;
  lastSeen: Iterable<SourceLastSeen>;
  /** Errors the pipeline reported (`onError`): rule errors are told apart from malformed records. */
  errors?: readonly Error[];
  /** Polls that failed after their retries (pollers only). */
  pollerErrors?: number;
}

const LAST_ERROR_MAX = 300;

/**
 * @example
 * await recordIngestHealth(store, { transport: 'aws.s3', lastSeen: pipeline.lastSeen.values(), errors }, Date.now());
 */
export async function recordIngestHealth(store: AssuranceStore, health: IngestHealth, nowMs: number): Promise<void> {
  const seen = [...health.lastSeen];
  // One heartbeat write per source and Region, however many accounts or projects delivered through it.
  const beats = new Map<string, { key: ReturnType<typeof heartbeatKeyOf>; timeMs: number }>();
  for (const s of seen) {
    const key = heartbeatKeyOf(health.transport, s.source, s.region);
    const id = sourceKeyString(key);
    const current = beats.get(id);
    if (!current || current.timeMs < s.timeMs) beats.set(id, { key, timeMs: s.timeMs });
  }
  // Independent items (one per source and Region, one per source, account and Region): written eight at once.
  await concurrently([...beats.values()], STORE_WRITES_AT_ONCE, ({ key, timeMs }) =>
    store.recordHeartbeat(key, timeMs),
  );
  await concurrently(coverageOf(health.transport, seen), STORE_WRITES_AT_ONCE, (record) =>
    store.recordCoverage(record),
  );
  const errors = health.errors ?? [];
  const ruleErrors = errors.filter((e) => e instanceof RuleError).length;
  const pollerErrors = health.pollerErrors ?? 0;
  const recordErrors = errors.length - ruleErrors;
  if (ruleErrors + pollerErrors + recordErrors === 0) return;
  const last = errors[errors.length - 1];
  const key = heartbeatKeyOf(health.transport, 'aws.cloudtrail', undefined);
  await store.addErrors({ source: key.source, region: ALL_REGIONS }, nowMs, {
    ruleErrors,
    pollerErrors,
    recordErrors,
    ...(last ? { lastError: last.message.slice(0, LAST_ERROR_MAX) } : {}),
  });
}
