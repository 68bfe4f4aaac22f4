import type { DeliveryReport } from '../../core/act/report.js';
import {
  type DeadLetterState,
  deadLetterSignal,
  errorSignal,
  type HealthSignal,
  type OpenAlert,
  reconcileAlerts,
  silenceSignals,
} from '../../core/assure/health.js';
import {
  evaluateHeartbeats,
  type HeartbeatStatus,
  type SourceKey,
  type Thresholds,
} from '../../core/assure/heartbeat.js';
import { healthAlert } from '../../core/assure/notices.js';
import type { AssuranceStore } from '../../core/ports/assurance-store.js';
import { deliverAlertPlan } from './alert-plan.js';
import type { AlertSender } from './alert-sender.js';

export type DeadLetterDepth = DeadLetterState;

export interface HeartbeatCheckDeps {
  store: AssuranceStore;
  alerts: AlertSender;
  /** Sources that must be heard from even if they never were (deployed configuration). */
  expected?: readonly SourceKey[];
  thresholds?: Thresholds;
  /** Depths of the dead-letter queues to watch (deployed: SQS); none locally. */
  deadLetters?: () => Promise<DeadLetterDepth[]>;
  /** Errors counted over this trailing window. Default one hour. */
  errorWindowMs?: number;
}

export interface HeartbeatCheckResult {
  statuses: HeartbeatStatus[];
  signals: HealthSignal[];
  opened: OpenAlert[];
  /** Alerts already open whose trouble lasts and that page on every check (non-empty dead-letter queues). */
  repeated: OpenAlert[];
  resolved: OpenAlert[];
  /** Alerts whose page is not delivered yet: they are tried again at the next check. */
  undelivered: { alertId: string; report: DeliveryReport }[];
}

/**
 * The dead-man's switch, run on a schedule: judges every source's last-seen time, the dead-letter
 * queues and the error counters, pages `pipeline.silent` / `pipeline.failing` once per trouble (a
 * non-empty dead-letter queue on every check until drained), and resolves the page when it clears. An alert is remembered as open only once its page went out (or
 * failed for good), so a vendor outage during a check is retried at the next one.
 *
 * @example
 * await runHeartbeatCheck({ store, alerts, expected: [{ source: 'cloudtrail-s3', region: '-' }] }, Date.now());
 */
export async function runHeartbeatCheck(deps: HeartbeatCheckDeps, nowMs: number): Promise<HeartbeatCheckResult> {
  const statuses = evaluateHeartbeats(
    await deps.store.listHeartbeats(),
    deps.expected ?? [],
    deps.thresholds ?? {},
    nowMs,
  );
  const errors = await deps.store.errorCounts(nowMs - (deps.errorWindowMs ?? 3_600_000));
  const depths = deps.deadLetters ? await deps.deadLetters() : [];
  const signals = [
    ...silenceSignals(statuses, nowMs),
    ...depths.map((d) => deadLetterSignal(d)),
    ...errors.map(errorSignal),
  ];
  // The verify function owns pipeline.misconfigured alerts: this check neither opens nor resolves them.
  const ownOpen = (await deps.store.openAlerts()).filter((a) => a.kind !== 'pipeline.misconfigured');
  const plan = reconcileAlerts(signals, ownOpen, nowMs);
  const { opened, resolved, undelivered } = await deliverAlertPlan(plan, deps, nowMs);
  const repeated: OpenAlert[] = [];
  const stillOpen = new Map((await deps.store.openAlerts()).map((a) => [a.key, a]));
  for (const signal of signals) {
    const alert = stillOpen.get(signal.key);
    if (!signal.repeat || !signal.failing || !alert || opened.some((o) => o.key === alert.key)) continue;
    const current = { ...alert, summary: signal.summary, facts: signal.facts };
    const report = await deps.alerts.send(healthAlert(current, nowMs), 'opened', nowMs);
    if (report.totals.pending > 0) undelivered.push({ alertId: alert.alertId, report });
    else repeated.push(current);
  }
  return { statuses, signals, opened, repeated, resolved, undelivered };
}
