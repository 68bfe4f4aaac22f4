import type { ActionOutcome, OutcomeStatus } from './driver.js';

/**
 * What `handle` returns: per incident, what each action came to. The Lambda marks a change for
 * redelivery while anything is `pending`, sends it to the DLQ (with its alarm) when something `failed`;
 * the local CLI prints it and exits non-zero unless `complete`.
 */
export interface DeliveryReport {
  incidents: IncidentDelivery[];
  totals: Record<OutcomeStatus, number>;
  /** Every action delivered (now or earlier). */
  complete: boolean;
}

export interface IncidentDelivery {
  incidentId: string;
  /** Latest outcome per action key, in the order actions first ran. */
  actions: ActionOutcome[];
  status: OutcomeStatus;
}

/** Folds the outcomes of several changes: a later outcome of the same action replaces an earlier one. */
export function buildReport(outcomes: readonly ActionOutcome[]): DeliveryReport {
  const byIncident = new Map<string, Map<string, ActionOutcome>>();
  for (const outcome of outcomes) {
    const actions = byIncident.get(outcome.incidentId) ?? new Map<string, ActionOutcome>();
    const earlier = actions.get(outcome.key);
    // "already delivered" after "sent now" must not hide that this run sent it.
    actions.set(outcome.key, earlier?.sent && outcome.status === 'delivered' ? earlier : outcome);
    byIncident.set(outcome.incidentId, actions);
  }
  const totals: Record<OutcomeStatus, number> = { delivered: 0, pending: 0, failed: 0 };
  const incidents = [...byIncident].map(([incidentId, map]) => {
    const actions = [...map.values()];
    for (const a of actions) totals[a.status]++;
    return { incidentId, actions, status: worst(actions.map((a) => a.status)) };
  });
  return { incidents, totals, complete: totals.pending === 0 && totals.failed === 0 };
}

function worst(statuses: readonly OutcomeStatus[]): OutcomeStatus {
  if (statuses.includes('failed')) return 'failed';
  if (statuses.includes('pending')) return 'pending';
  return 'delivered';
}

/** One line per action, for a terminal: `pending  page:pagerduty  <incident>  pagerduty 503: …`. */
export function formatReport(report: DeliveryReport): string[] {
  const lines = report.incidents.flatMap((incident) =>
    incident.actions.map((a) => {
      const note = a.sent ? 'sent' : (a.detail ?? '');
      const where = a.ref
        ? ` ${Object.entries(a.ref)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')}`
        : '';
      return `${a.status.padEnd(9)} ${a.key.padEnd(28)} ${incident.incidentId}  ${note}${where}`.trimEnd();
    }),
  );
  const { delivered, pending, failed } = report.totals;
  lines.push(`actions: ${delivered} delivered, ${pending} pending, ${failed} failed`);
  return lines;
}
