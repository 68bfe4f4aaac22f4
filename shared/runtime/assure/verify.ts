import type { DeliveryReport } from '../../core/act/report.js';
import { type OpenAlert, reconcileAlerts } from '../../core/assure/health.js';
import type { CheckResult } from '../../core/assure/verify/result.js';
import { misconfigurationSignals } from '../../core/assure/verify/result.js';
import type { AssuranceStore } from '../../core/ports/assurance-store.js';
import { deliverAlertPlan } from './alert-plan.js';
import type { AlertSender } from './alert-sender.js';

export interface VerifyRunResult {
  results: CheckResult[];
  opened: OpenAlert[];
  resolved: OpenAlert[];
  /** Alerts whose page is not delivered yet: tried again at the next run. */
  undelivered: { alertId: string; report: DeliveryReport }[];
}

/**
 * The scheduled verify: the checks' results become `pipeline.misconfigured` alerts through the same
 * reconciliation and sender as `pipeline.silent` (one page per failing setting, resolved when a later
 * run sees it pass). It reconciles only its own kind: the heartbeat check owns the others.
 *
 * @example
 * await runVerify({ store, alerts, check: () => verifyAws(plumbing, registry.pipeline, busArn) }, Date.now());
 */
export async function runVerify(
  deps: { store: AssuranceStore; alerts: AlertSender; check: () => Promise<CheckResult[]> },
  nowMs: number,
): Promise<VerifyRunResult> {
  const results = await deps.check();
  const own = (await deps.store.openAlerts()).filter((a) => a.kind === 'pipeline.misconfigured');
  const checked = new Set(results.filter((r) => r.status === 'unchecked').map((r) => `misconfigured:${r.key}`));
  // An unchecked setting (a call that could not be made) keeps its alert open rather than resolving it.
  const signals = misconfigurationSignals(results);
  const plan = reconcileAlerts(
    signals,
    own.filter((a) => !checked.has(a.key)),
    nowMs,
  );
  const { opened, resolved, undelivered } = await deliverAlertPlan(plan, deps, nowMs);
  return { results, opened, resolved, undelivered };
}
