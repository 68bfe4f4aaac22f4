import { createHash } from 'node:crypto';
import { type DetectionKind, SEVERITY_ORDER } from '../model/finding.js';
import type { IncidentChange } from '../model/incident.js';
import {
  type Action,
  PAGERS,
  type PageAction,
  type PagerName,
  PRIMARY_PAGERS,
  TICKETERS,
  type TicketerName,
} from './actions.js';
import type { RespondersConfig } from './config-schema.js';
import { pageMessage } from './render/page.js';
import { buildTicket, eventsComment, sessionEndedComment, type TicketOptions } from './render/ticket.js';

/**
 * Decisions: which actions an incident change calls for. Pure and deterministic — the same change
 * always yields the same action keys — so a redelivered change finds its actions in the ledger.
 *
 * Every change re-plans the opening page and ticket; the ledger skips them once delivered. A change
 * whose predecessor was lost or dead-lettered therefore still pages and tickets the incident.
 */
export interface Plan {
  /** Pagers told on every incident (SNS is absent here when it is the fallback). */
  pagers: PagerName[];
  /** The pager a fallback watches: PagerDuty, else Opsgenie. */
  primary?: PagerName;
  fallback?: 'sns';
  ticketers: TicketerName[];
  /** Local files instead of (or beside) vendors. */
  outbox: boolean;
  ticket: TicketOptions;
}

/** Pagers whose alerts are resolved when the session ends (SNS and chat messages cannot be). */
export const RESOLVABLE: ReadonlySet<string> = new Set(['pagerduty', 'opsgenie']);

/** Detections that notify again during an open incident even when the severity stays the same. */
export const NOTIFY_KINDS: readonly DetectionKind[] = ['audit.tamper', 'account.change'];

/** Which outputs a configuration uses. No vendor configured: the outbox. */
export function planFor(config: RespondersConfig | undefined, ticket: TicketOptions = {}): Plan {
  const configured = (name: string) => config?.[name as keyof RespondersConfig] !== undefined;
  const primary = PRIMARY_PAGERS.find(configured);
  const fallback = config?.fallbackPager && primary ? config.fallbackPager : undefined;
  const pagers = PAGERS.filter((p) => configured(p) && !(fallback === p));
  const ticketers = TICKETERS.filter(configured);
  const outbox = configured('outbox') || (pagers.length === 0 && ticketers.length === 0);
  return { pagers, ...(primary ? { primary } : {}), ...(fallback ? { fallback } : {}), ticketers, outbox, ticket };
}

export interface Escalation {
  /** Part of the notify action keys: each raise/new kind notifies once per incident. */
  key: string;
  /** "Severity raised from medium to high; new detection audit.tamper". */
  text: string;
}

/** An `extended` change notifies when the severity rose or a tamper/account-change kind appeared. */
export function escalationOf(change: IncidentChange): Escalation | undefined {
  if (change.kind !== 'extended' || !change.previous) return undefined;
  const { incident, previous } = change;
  const raised = SEVERITY_ORDER[incident.severity] > SEVERITY_ORDER[previous.severity];
  const kinds = NOTIFY_KINDS.filter((k) => incident.detections.includes(k) && !previous.detections.includes(k));
  if (!raised && kinds.length === 0) return undefined;
  const keyParts = [...(raised ? [`sev-${incident.severity}`] : []), ...kinds.map((k) => `kind-${k}`)];
  const textParts = [
    ...(raised ? [`Severity raised from ${previous.severity} to ${incident.severity}`] : []),
    ...(kinds.length > 0 ? [`new detection ${kinds.join(', ')}`] : []),
  ];
  return { key: keyParts.join('+'), text: textParts.join('; ') };
}

/** The actions one change calls for, in the order each output must run them. */
export function planActions(change: IncidentChange, plan: Plan): Action[] {
  const { incident } = change;
  const base = { incidentId: incident.id, version: incident.version };
  const escalation = escalationOf(change);
  const actions: Action[] = [];

  for (const output of plan.pagers) {
    const page: PageAction = {
      ...base,
      kind: 'page',
      key: `page:${output}`,
      output,
      page: pageMessage(incident, 'opened'),
    };
    if (output === plan.primary && plan.fallback) page.fallback = fallbackOf(page, plan.fallback, 'page:fallback:sns');
    actions.push(page);
    if (escalation) {
      const notify: PageAction = {
        ...base,
        kind: 'notify',
        key: `notify:${output}:${escalation.key}`,
        output,
        after: page.key,
        coveredByAfter: true,
        ...(RESOLVABLE.has(output) ? { supersededBy: `resolve:${output}` } : {}),
        page: pageMessage(incident, 'escalated', escalation.text),
      };
      if (output === plan.primary && plan.fallback) {
        notify.fallback = fallbackOf(notify, plan.fallback, `notify:fallback:sns:${escalation.key}`);
      }
      actions.push(notify);
    }
    if (change.kind === 'closed' && RESOLVABLE.has(output)) {
      actions.push({
        ...base,
        kind: 'resolve',
        key: `resolve:${output}`,
        output,
        after: page.key,
        page: pageMessage(incident, 'resolved'),
      });
    }
  }

  for (const output of plan.ticketers) {
    const open = `ticket:${output}:open`;
    actions.push({
      ...base,
      kind: 'ticket.open',
      key: open,
      output,
      ticket: buildTicket(incident, plan.ticket),
      severity: incident.severity,
      drill: incident.drill,
    });
    if (change.kind === 'extended' && change.newEvents.length > 0) {
      actions.push({
        ...base,
        kind: 'ticket.append',
        key: `ticket:${output}:events:${digest(change.newEvents.map((e) => e.id))}`,
        output,
        after: open,
        coveredByAfter: true,
        comment: eventsComment(incident, change.newEvents, escalation?.text),
      });
    }
    if (change.kind === 'closed') {
      actions.push({
        ...base,
        kind: 'ticket.append',
        key: `ticket:${output}:ended`,
        output,
        after: open,
        comment: sessionEndedComment(incident),
      });
    }
  }

  if (plan.outbox) {
    const reason = change.kind === 'closed' ? 'resolved' : escalation ? 'escalated' : 'opened';
    actions.push({
      ...base,
      kind: 'outbox.write',
      key: `outbox:write:v${incident.version}`,
      output: 'outbox',
      page: pageMessage(incident, reason, escalation?.text),
      ticket: buildTicket(incident, plan.ticket),
    });
  }
  return actions;
}

/** The same page through the fallback pager, saying why, under its own key. */
export function fallbackOf(primary: PageAction, output: 'sns', key: string): PageAction {
  const { after: _after, coveredByAfter: _covered, supersededBy: _superseded, fallback: _fallback, ...rest } = primary;
  const reasonText = `Primary pager (${primary.output}) failing, paging through ${output}`;
  return {
    ...rest,
    key,
    output,
    page: {
      ...primary.page,
      reasonText: primary.page.reasonText ? `${primary.page.reasonText}; ${reasonText}` : reasonText,
    },
  };
}

/** Short stable digest of a set of ids (order-insensitive). */
export function digest(ids: readonly string[]): string {
  return createHash('sha256')
    .update([...ids].sort().join('\n'))
    .digest('hex')
    .slice(0, 16);
}
