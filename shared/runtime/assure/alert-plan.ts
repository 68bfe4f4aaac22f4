import type { DeliveryReport } from '../../core/act/report.js';
import type { AlertPlan, OpenAlert } from '../../core/assure/health.js';
import { healthAlert } from '../../core/assure/notices.js';
import type { AssuranceStore } from '../../core/ports/assurance-store.js';
import type { AlertSender } from './alert-sender.js';

export interface DeliveredPlan {
  opened: OpenAlert[];
  resolved: OpenAlert[];
  /** Alerts whose page is not delivered yet: they are tried again at the next check. */
  undelivered: { alertId: string; report: DeliveryReport }[];
}

/**
 * Resolves then opens the alerts of one reconciliation. An alert is remembered as open (or forgotten)
 * only once its page went out, so a vendor outage during a check is retried at the next one.
 */
export async function deliverAlertPlan(
  plan: AlertPlan,
  deps: { store: AssuranceStore; alerts: AlertSender },
  nowMs: number,
): Promise<DeliveredPlan> {
  const undelivered: DeliveredPlan['undelivered'] = [];
  const resolved: OpenAlert[] = [];
  for (const alert of plan.resolve) {
    const report = await deps.alerts.send(healthAlert(alert, nowMs), 'resolved');
    if (report.totals.pending > 0) undelivered.push({ alertId: alert.alertId, report });
    else {
      await deps.store.removeOpenAlert(alert.key);
      resolved.push(alert);
    }
  }
  const opened: OpenAlert[] = [];
  for (const alert of plan.open) {
    const report = await deps.alerts.send(healthAlert(alert, nowMs), 'opened');
    if (report.totals.pending > 0) undelivered.push({ alertId: alert.alertId, report });
    else {
      await deps.store.saveOpenAlert(alert);
      opened.push(alert);
    }
  }
  return { opened, resolved, undelivered };
}
