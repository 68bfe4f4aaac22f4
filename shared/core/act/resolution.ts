import type { DeliveryLedger, DeliveryRecord } from '../ports/delivery-ledger.js';
import { type Action, alertKey, type OutputName, type ResolveAction, type TicketerName } from './actions.js';
import { OVERDUE_ALERT } from './aftermath/plan.js';
import type { ActionOutcome, OutputDriver, TicketStatus } from './driver.js';
import { RESOLVABLE, ticketOpenKey } from './plan.js';
import { sanitizeText } from './render/sanitize.js';

/**
 * Which of an incident's alerts are still open, by the delivery ledger, and the actions that resolve
 * them. A real page is resolved by a person; Glasswatch resolves it itself only when the incident's
 * ticket was closed (`checkTickets`), or, for a drill or with `autoResolve`, when the session ends.
 * The ledger, not the incident, says what was paged: each escalation opened an alert of its own.
 */

/** Action keys that open an alert, and the alert key suffix each one opened. */
const OPENERS: readonly { pattern: RegExp; suffix: (match: RegExpExecArray) => string | undefined }[] = [
  { pattern: /^page:([a-z]+)$/, suffix: () => undefined },
  { pattern: /^notify:([a-z]+):([a-z0-9-]+)$/, suffix: (m) => m[2] },
  { pattern: /^rotation:overdue:([a-z]+)$/, suffix: () => OVERDUE_ALERT },
];

export interface OpenAlert {
  pager: string;
  /** The alert key suffix (`tamper`, `rotation-overdue`), undefined for the incident's page. */
  suffix?: string;
}

/** The key of the action resolving one alert: `resolve:<pager>` for the page, `resolve:<pager>:<suffix>` else. */
export function resolveKey(alert: OpenAlert): string {
  return alert.suffix ? `resolve:${alert.pager}:${alert.suffix}` : `resolve:${alert.pager}`;
}

/** Alerts of resolvable pagers that were delivered and whose resolve was not. */
export function openAlerts(records: readonly DeliveryRecord[]): OpenAlert[] {
  const delivered = new Set(records.filter((r) => r.status === 'delivered').map((r) => r.actionKey));
  const open: OpenAlert[] = [];
  for (const key of [...delivered].sort()) {
    for (const { pattern, suffix } of OPENERS) {
      const match = pattern.exec(key);
      if (!match || !RESOLVABLE.has(match[1] as string)) continue;
      const found = suffix(match);
      const alert: OpenAlert = { pager: match[1] as string, ...(found ? { suffix: found } : {}) };
      if (!delivered.has(resolveKey(alert))) open.push(alert);
    }
  }
  return open;
}

/** Resolve actions for the given open alerts of one incident, each saying why. */
export function resolveActions(incidentId: string, alerts: readonly OpenAlert[], note: string): Action[] {
  return alerts.map(
    (alert): ResolveAction => ({
      incidentId,
      version: 0,
      kind: 'resolve',
      key: resolveKey(alert),
      output: alert.pager as ResolveAction['output'],
      alertKey: alertKey(incidentId, alert.suffix),
      note,
    }),
  );
}

export interface TicketCheckDeps {
  ledger: DeliveryLedger;
  drivers: Partial<Record<OutputName, OutputDriver>>;
  ticketers: readonly TicketerName[];
}

/** What one ticket check found: resolves to run, and resolves left waiting (ticket unreadable). */
export interface TicketCheck {
  resolves: Action[];
  waiting: ActionOutcome[];
}

/**
 * Incidents whose ticket was closed by a person while alerts of theirs are still open: those alerts
 * are resolved, with a note naming the ticket. Only incidents with an open alert are read from the
 * ticketer, so a quiet account costs one ledger listing per ticketer.
 */
export async function closedTicketResolves(deps: TicketCheckDeps): Promise<TicketCheck> {
  const resolves: Action[] = [];
  const waiting: ActionOutcome[] = [];
  const done = new Set<string>();
  for (const ticketer of deps.ticketers) {
    const read = deps.drivers[ticketer]?.ticketStatus;
    if (!read) continue;
    for (const ticket of await deps.ledger.listByAction(ticketOpenKey(ticketer))) {
      if (ticket.status !== 'delivered' || !ticket.ref || done.has(ticket.incidentId)) continue;
      const open = openAlerts(await deps.ledger.list(ticket.incidentId));
      if (open.length === 0) continue;
      const status = await read
        .call(deps.drivers[ticketer], ticket.ref)
        .catch((error: unknown): TicketStatus => ({ ok: false, retryable: true, error: String(error).slice(0, 200) }));
      if (status.ok && !status.closed) continue;
      const actions = resolveActions(
        ticket.incidentId,
        open,
        status.ok ? `Ticket ${sanitizeText(status.label, 120)} was closed: resolved by Glasswatch` : '',
      );
      if (status.ok) {
        done.add(ticket.incidentId);
        resolves.push(...actions);
        continue;
      }
      for (const action of actions) {
        waiting.push({
          incidentId: action.incidentId,
          key: action.key,
          output: action.output,
          kind: action.kind,
          status: 'pending',
          sent: false,
          attempts: 0,
          detail: `status of the ${ticketer} ticket unavailable: ${status.error}`,
        });
      }
    }
  }
  return { resolves, waiting };
}
