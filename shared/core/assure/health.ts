import type { Fact } from '../act/actions.js';
import type { Cloud } from '../model/audit-event.js';
import { formatMs } from './drill/steps.js';
import { type HeartbeatStatus, SOURCE_INFO, type SourceKey, sourceKeyString } from './heartbeat.js';

/**
 * Pipeline health as signals (a source silent, a dead-letter queue filling, rules or pollers failing)
 * and the alerts they open and resolve: one page per silence or failure, keyed by what is watched and
 * when the trouble started, resolved when it clears.
 */

/** `pipeline.misconfigured`: a delivery path read back with the clouds' APIs is not as deployed (verify/). */
export type HealthKind = 'pipeline.silent' | 'pipeline.failing' | 'pipeline.misconfigured';

export interface HealthSignal {
  /** What is watched, stable across checks: `silent:cloudtrail-s3#-`, `dlq:IngestDLQ`, `errors:gcp-pull#-`. */
  key: string;
  kind: HealthKind;
  failing: boolean;
  /**
   * When the trouble started, when the data says (a silence starts at the last event). Point
   * measurements (queue depth, error counts) leave it out: the first check that sees it is the start.
   */
  sinceMs?: number;
  cloud: Cloud;
  /** One line: "CloudTrail log files (S3) silent for 2 h 5 min (threshold 45 min)". */
  summary: string;
  facts: Fact[];
  /** Page again on every check while failing (a dead-letter queue nobody drains hides every later dead letter). */
  repeat?: boolean;
  /** About the pager itself (its queue dead-letters): goes out through the SNS fallback too, not only the failing pager. */
  viaFallback?: boolean;
}

/** An alert that has paged and not been resolved; the store keeps these between checks. */
export interface OpenAlert {
  key: string;
  kind: HealthKind;
  /** The delivery ledger's incident id of this alert: `<kind>:<key>:<start>`, so one page per trouble. */
  alertId: string;
  sinceMs: number;
  summary: string;
  cloud: Cloud;
  facts: Fact[];
  viaFallback?: boolean;
}

export function silenceSignals(statuses: readonly HeartbeatStatus[], nowMs: number): HealthSignal[] {
  return statuses.map((status) => {
    const key = `silent:${sourceKeyString(status)}`;
    const where = status.region === '-' ? status.label : `${status.label} in ${status.region}`;
    const facts: Fact[] = [
      { label: 'Source', value: where },
      { label: 'Threshold', value: formatMs(status.thresholdMs) },
      {
        label: 'Last audit event',
        value: status.lastSeenMs === undefined ? 'never' : new Date(status.lastSeenMs).toISOString(),
      },
    ];
    const base = { key, kind: 'pipeline.silent' as const, cloud: status.cloud, facts };
    if (status.state === 'never') {
      return { ...base, failing: true, sinceMs: 0, summary: `${where}: no audit event ever seen` };
    }
    const age = formatMs(status.ageMs ?? nowMs - (status.lastSeenMs ?? nowMs));
    return {
      ...base,
      failing: status.state === 'silent',
      sinceMs: status.lastSeenMs as number,
      summary: `${where} silent for ${age} (threshold ${formatMs(status.thresholdMs)})`,
    };
  });
}

/** What the heartbeat check reads of a dead-letter queue. */
export interface DeadLetterState {
  queue: string;
  depth: number;
  /** Age of the oldest message seen, when the queue holds any. */
  oldestAgeMs?: number;
  /** The responders' own dead-letter queue: the pager is what failed. */
  pager?: boolean;
}

/**
 * A dead-letter queue's visible messages: anything there is input nobody processed. Pages on every
 * check until drained (a CloudWatch alarm notifies once, when its state changes), naming the queue
 * and its oldest message's age.
 */
export function deadLetterSignal(state: DeadLetterState, cloud: Cloud = 'aws'): HealthSignal {
  const { queue, depth, oldestAgeMs } = state;
  const age = oldestAgeMs === undefined ? '' : `, oldest ${formatAge(oldestAgeMs)} old`;
  return {
    key: `dlq:${queue}`,
    kind: 'pipeline.failing',
    failing: depth > 0,
    cloud,
    summary: `dead-letter queue ${queue} holds ${depth} message(s)${age}${state.pager ? ' — the pager itself is failing' : ''}`,
    facts: [
      { label: 'Queue', value: queue },
      { label: 'Messages', value: String(depth) },
      ...(oldestAgeMs === undefined ? [] : [{ label: 'Oldest message', value: formatAge(oldestAgeMs) }]),
    ],
    repeat: true,
    ...(state.pager ? { viaFallback: true } : {}),
  };
}

function formatAge(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h ${minutes % 60} min` : `${Math.floor(hours / 24)} days ${hours % 24} h`;
}

/** Errors a source's ingest recorded over the last window, by class. */
export interface ErrorCounts extends SourceKey {
  ruleErrors: number;
  pollerErrors: number;
  recordErrors: number;
  lastError?: string;
}

/**
 * A rule that throws is a bug that hides detections, and a poll that failed after its retries is a gap:
 * both fail the source at once. Malformed records are reported by the report only (noisy sources have
 * some), unless every record of the window failed.
 */
export function errorSignal(counts: ErrorCounts): HealthSignal {
  const info = SOURCE_INFO[counts.source];
  const where = counts.region === '-' ? info.label : `${info.label} in ${counts.region}`;
  const failing = counts.ruleErrors > 0 || counts.pollerErrors > 0;
  return {
    key: `errors:${sourceKeyString(counts)}`,
    kind: 'pipeline.failing',
    failing,
    cloud: info.cloud,
    summary: `${where}: ${counts.ruleErrors} rule error(s), ${counts.pollerErrors} failed poll(s) in the last hour`,
    facts: [
      { label: 'Source', value: where },
      { label: 'Rule errors', value: String(counts.ruleErrors) },
      { label: 'Failed polls', value: String(counts.pollerErrors) },
      { label: 'Malformed records', value: String(counts.recordErrors) },
      ...(counts.lastError ? [{ label: 'Last error', value: counts.lastError }] : []),
    ],
  };
}

export interface AlertPlan {
  /** Page these (new troubles). */
  open: OpenAlert[];
  /** Resolve these (cleared, or replaced by a newer trouble of the same key). */
  resolve: OpenAlert[];
}

/**
 * What changes between the open alerts and this check's signals. A signal still failing with the same
 * start keeps its alert (no second page); a silence whose start moved (the source spoke, then fell
 * silent again) resolves the old alert and opens a new one.
 */
export function reconcileAlerts(
  signals: readonly HealthSignal[],
  open: readonly OpenAlert[],
  nowMs: number,
): AlertPlan {
  const openByKey = new Map(open.map((a) => [a.key, a]));
  const plan: AlertPlan = { open: [], resolve: [] };
  const seen = new Set<string>();
  for (const signal of signals) {
    seen.add(signal.key);
    const current = openByKey.get(signal.key);
    if (!signal.failing) {
      if (current) plan.resolve.push(current);
      continue;
    }
    const sinceMs = signal.sinceMs ?? current?.sinceMs ?? nowMs;
    if (current && current.sinceMs === sinceMs) continue;
    if (current) plan.resolve.push(current);
    plan.open.push({
      key: signal.key,
      kind: signal.kind,
      alertId: `${signal.kind}:${signal.key}:${sinceMs === 0 ? 'never' : new Date(sinceMs).toISOString()}`,
      sinceMs,
      summary: signal.summary,
      cloud: signal.cloud,
      facts: signal.facts,
      ...(signal.viaFallback ? { viaFallback: true } : {}),
    });
  }
  // A watched thing that disappeared from the checks (a queue removed from configuration) is resolved.
  for (const alert of open) if (!seen.has(alert.key)) plan.resolve.push(alert);
  return plan;
}
