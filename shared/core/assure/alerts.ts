import type { Action, Fact, PageAction, PageMessage } from '../act/actions.js';
import { alertKey, PRIMARY_PAGERS } from '../act/actions.js';
import type { Plan } from '../act/plan.js';
import { sanitizeText } from '../act/render/sanitize.js';
import type { TicketDoc } from '../act/render/ticket-doc.js';
import type { Cloud } from '../model/audit-event.js';
import type { Severity } from '../model/finding.js';

/**
 * Glasswatch's own alerts (a failed drill, a silent source, a failing pipeline, a compliance violation)
 * planned as act-stage actions, so they go through the same drivers, delivery ledger and outbox as
 * incident pages. The alert id plays the incident id: the ledger delivers each action of an id once.
 */

export type AlertMode = 'page' | 'ticket';

export interface OperationalAlert {
  /** Ledger key: `drill.failed:<drill id>`, `pipeline.silent:<source>:<start>`, `compliance:<account>:<kind>:<period>`. */
  id: string;
  /** `page`: pagers (and the outbox). `ticket`: ticketers, else a low-urgency page, else the outbox. */
  mode: AlertMode;
  severity: Severity;
  cloud: Cloud;
  /** The one line: "Drill failed for aws-prod-root: page not within 2 min". */
  title: string;
  facts: Fact[];
  /** Paragraphs for the ticket body: what to check, in order. */
  steps: string[];
  /** ISO 8601: when the trouble started. */
  timestamp: string;
  /** About the pager itself: the SNS fallback (when configured) pages at once, beside the failing pager. */
  viaFallback?: boolean;
}

const TITLE_MAX = 250;
const FACT_MAX = 600;

/** Alerts carry text from logs (a last error, a source name): made inert like every incident field. */
function clean(alert: OperationalAlert): OperationalAlert {
  return {
    ...alert,
    title: sanitizeText(alert.title, TITLE_MAX),
    facts: alert.facts.map((f) => ({ label: sanitizeText(f.label, 80), value: sanitizeText(f.value, FACT_MAX) })),
    steps: alert.steps.map((s) => sanitizeText(s, 1000)),
  };
}

function page(alert: OperationalAlert, reason: PageMessage['reason']): PageMessage {
  return {
    incidentId: alert.id,
    headline: alert.title,
    severity: alert.severity,
    drill: false,
    cloud: alert.cloud,
    /** Glasswatch's own alerts are about the pipeline, not about a cloud account. */
    source: 'Glasswatch pipeline',
    reason,
    facts: alert.facts,
    timestamp: alert.timestamp,
  };
}

function ticket(alert: OperationalAlert): TicketDoc {
  return {
    title: alert.title,
    blocks: [
      { type: 'facts', facts: alert.facts },
      ...(alert.steps.length > 0 ? [{ type: 'checklist' as const, items: alert.steps }] : []),
    ],
  };
}

/**
 * The actions that raise (`opened`) or clear (`resolved`) one alert. A ticket-mode alert is never
 * resolved by Glasswatch: a person closes the ticket once the account is back in policy.
 *
 * @example
 * await deliverer.runAll(alertActions(alert, responders.plan, 'opened'));
 *
 * @param round a reminder of an alert already paged (epoch ms of the check): its page goes out again
 *   under its own ledger key, with the same vendor dedup key (PagerDuty/Opsgenie add it to the open
 *   alert, or open a new one if someone resolved it while the trouble lasts).
 */
export function alertActions(
  raw: OperationalAlert,
  plan: Plan,
  reason: 'opened' | 'resolved',
  round?: number,
): Action[] {
  const alert = clean(raw);
  const suffix = round === undefined ? '' : `:round:${round}`;
  const base = { incidentId: alert.id, version: reason === 'opened' ? 0 : 1 };
  const actions: Action[] = [];
  const ticketsInstead = alert.mode === 'ticket' && plan.ticketers.length > 0;
  if (reason === 'resolved' && alert.mode === 'ticket') return [];

  if (!ticketsInstead) {
    for (const output of plan.pagers) {
      const opening: PageAction = {
        ...base,
        version: 0,
        kind: 'page',
        key: `page:${output}${suffix}`,
        output,
        alertKey: alertKey(alert.id),
        page: page(alert, 'opened'),
      };
      if (reason === 'opened') {
        if (output === plan.primary && plan.fallback) {
          const viaFallback = { ...opening, key: `page:fallback:sns${suffix}`, output: plan.fallback };
          if (alert.viaFallback) actions.push(viaFallback);
          else opening.fallback = viaFallback;
        }
        actions.push(opening);
      } else if ((PRIMARY_PAGERS as readonly string[]).includes(output)) {
        actions.push({
          ...base,
          kind: 'resolve',
          key: `resolve:${output}`,
          output,
          after: `page:${output}`,
          alertKey: alertKey(alert.id),
          note: 'Cleared: Glasswatch saw the condition end.',
        });
      }
    }
  }
  if (ticketsInstead) {
    for (const output of plan.ticketers) {
      actions.push({
        ...base,
        kind: 'ticket.open',
        key: `ticket:${output}:open`,
        output,
        ticket: ticket(alert),
        severity: alert.severity,
        drill: false,
      });
    }
  }
  if (plan.outbox) {
    actions.push({
      ...base,
      kind: 'outbox.write',
      key: `outbox:write:${reason}`,
      output: 'outbox',
      page: page(alert, reason),
      ticket: ticket(alert),
    });
  }
  return actions;
}
