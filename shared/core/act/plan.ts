import { createHash } from 'node:crypto';
import { type DetectionKind, SEVERITY_ORDER } from '../model/finding.js';
import type { Incident, IncidentChange } from '../model/incident.js';
import {
  type Action,
  alertKey,
  PAGERS,
  type PageAction,
  type PagerName,
  PRIMARY_PAGERS,
  TICKETERS,
  type TicketerName,
} from './actions.js';
import type { RespondersConfig } from './config-schema.js';
import { pageMessage } from './render/page.js';
import { sanitizeText } from './render/sanitize.js';
import {
  buildTicket,
  eventsComment,
  sessionEndedComment,
  sessionEndedNote,
  type TicketOptions,
} from './render/ticket.js';

/**
 * Decisions: which actions an incident change calls for. Pure and deterministic — the same change
 * always yields the same action keys — so a redelivered change finds its actions in the ledger.
 *
 * Every change re-plans the opening page and ticket; the ledger skips them once delivered. A change
 * whose predecessor was lost or dead-lettered therefore still pages and tickets the incident.
 *
 * The paging contract: a real page stays open until a person resolves it (or its ticket is closed,
 * see resolution.ts); the session's end is a note on the alert and a comment on the ticket. Drills
 * resolve themselves when their session ends, and so does every page when `autoResolve` is on. Each
 * escalation kind opens its own alert, keyed `<incident>:<kind>`, because a trigger on an open alert's
 * key is merged into it without notifying anyone.
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
  /** Resolve real pages when the session ends (`responders.autoResolve`); drills always are. */
  autoResolve: boolean;
  /** Pagers that take a note on an open alert: Opsgenie, and PagerDuty when its REST API is configured. */
  notes: PagerName[];
}

/** Pagers whose alerts can be resolved (SNS and chat messages cannot be). */
export const RESOLVABLE: ReadonlySet<string> = new Set(['pagerduty', 'opsgenie']);

/** Detections that page again during an open incident, each under its own alert key suffix. */
export const NOTIFY_KINDS: Readonly<Partial<Record<DetectionKind, string>>> = {
  'audit.tamper': 'tamper',
  'account.change': 'account-change',
};

/** Which outputs a configuration uses. No vendor configured: the outbox. */
export function planFor(config: RespondersConfig | undefined, ticket: TicketOptions = {}): Plan {
  const configured = (name: string) => config?.[name as keyof RespondersConfig] !== undefined;
  const primary = PRIMARY_PAGERS.find(configured);
  const fallback = config?.fallbackPager && primary ? config.fallbackPager : undefined;
  const pagers = PAGERS.filter((p) => configured(p) && !(fallback === p));
  const ticketers = TICKETERS.filter(configured);
  const outbox = configured('outbox') || (pagers.length === 0 && ticketers.length === 0);
  const notes = pagers.filter((p) => p === 'opsgenie' || (p === 'pagerduty' && config?.pagerduty?.restApi));
  return {
    pagers,
    ...(primary ? { primary } : {}),
    ...(fallback ? { fallback } : {}),
    ticketers,
    outbox,
    ticket,
    autoResolve: config?.autoResolve ?? false,
    notes,
  };
}

export interface Escalation {
  /** The alert key suffix and the last part of the action keys: each escalation kind pages once per incident. */
  kind: string;
  /** "Incident gw-… escalated: new audit.tamper; severity raised from medium to high". Sanitized. */
  text: string;
}

/**
 * The escalations an `extended` change brings: one per new tamper/account-change kind, and a raised
 * severity on its own when no new kind explains it (the kind's page already carries the severity).
 */
export function escalationsOf(change: IncidentChange): Escalation[] {
  if (change.kind !== 'extended' || !change.previous) return [];
  const { incident, previous } = change;
  const id = sanitizeText(incident.id, 200);
  const raised = SEVERITY_ORDER[incident.severity] > SEVERITY_ORDER[previous.severity];
  const raise = raised ? `severity raised from ${previous.severity} to ${incident.severity}` : undefined;
  const kinds = (Object.keys(NOTIFY_KINDS) as DetectionKind[]).filter(
    (k) => incident.detections.includes(k) && !previous.detections.includes(k),
  );
  if (kinds.length > 0) {
    return kinds.map((k) => ({
      kind: NOTIFY_KINDS[k] as string,
      text: `Incident ${id} escalated: new ${k}${raise ? `; ${raise}` : ''}`,
    }));
  }
  return raise ? [{ kind: `severity-${incident.severity}`, text: `Incident ${id} escalated: ${raise}` }] : [];
}

/** The actions one change calls for, in the order each output must run them. */
export function planActions(change: IncidentChange, plan: Plan): Action[] {
  const { incident } = change;
  const base = { incidentId: incident.id, version: incident.version };
  const escalations = escalationsOf(change);
  const links = plan.ticketers.map(ticketOpenKey);
  const withLinks = links.length > 0 ? { links } : {};
  const actions: Action[] = [];

  // A quiet incident (only deployment-like tamper changes so far) is ticketed, not paged, when a
  // ticketing system can carry it; without one it pages, since a change nobody sees is a miss.
  const pagers = incident.quiet && plan.ticketers.length > 0 ? [] : plan.pagers;
  for (const output of pagers) {
    const page: PageAction = {
      ...base,
      kind: 'page',
      key: `page:${output}`,
      output,
      alertKey: alertKey(incident.id),
      ...withLinks,
      page: pageMessage(incident, 'opened'),
    };
    if (output === plan.primary && plan.fallback) page.fallback = fallbackOf(page, plan.fallback, 'page:fallback:sns');
    actions.push(page);
    for (const escalation of escalations) {
      const notify: PageAction = {
        ...base,
        kind: 'notify',
        key: `notify:${output}:${escalation.kind}`,
        output,
        alertKey: alertKey(incident.id, escalation.kind),
        after: page.key,
        coveredByAfter: true,
        ...(RESOLVABLE.has(output) ? { supersededBy: `resolve:${output}` } : {}),
        ...withLinks,
        page: pageMessage(incident, 'escalated', escalation.text),
      };
      if (output === plan.primary && plan.fallback) {
        notify.fallback = fallbackOf(notify, plan.fallback, `notify:fallback:sns:${escalation.kind}`);
      }
      actions.push(notify);
    }
    if (change.kind === 'closed') actions.push(...sessionEndActions(incident, output, plan));
  }

  for (const output of plan.ticketers) {
    const open = ticketOpenKey(output);
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
        comment: eventsComment(incident, change.newEvents, escalations.map((e) => e.text).join('. ') || undefined),
      });
    }
    if (change.kind === 'closed') {
      actions.push({
        ...base,
        kind: 'ticket.append',
        key: `ticket:${output}:ended`,
        output,
        after: open,
        comment: sessionEndedComment(incident, incident.drill || plan.autoResolve),
      });
    }
  }

  if (plan.outbox) {
    const reason = change.kind === 'closed' ? 'resolved' : escalations.length > 0 ? 'escalated' : 'opened';
    const text = escalations.map((e) => e.text).join('. ') || undefined;
    actions.push({
      ...base,
      kind: 'outbox.write',
      key: `outbox:write:v${incident.version}`,
      output: 'outbox',
      page: pageMessage(incident, reason, text),
      ticket: buildTicket(incident, plan.ticket),
    });
  }
  return actions;
}

/** The key of the action that opens an incident's ticket. */
export function ticketOpenKey(output: TicketerName): string {
  return `ticket:${output}:open`;
}

/**
 * The session ended: a drill's alert (or every alert, with `autoResolve`) is resolved; a real one
 * gets a note and stays open for a person, on the pagers that take notes.
 */
function sessionEndActions(incident: Incident, output: PagerName, plan: Plan): Action[] {
  const base = { incidentId: incident.id, version: incident.version, output, after: `page:${output}` };
  const ended = sessionEndedNote(incident);
  if (RESOLVABLE.has(output) && (incident.drill || plan.autoResolve)) {
    const why = incident.drill ? 'drill session ended, resolved by Glasswatch' : 'resolved by Glasswatch (autoResolve)';
    return [
      { ...base, kind: 'resolve', key: `resolve:${output}`, alertKey: alertKey(incident.id), note: `${ended}; ${why}` },
    ];
  }
  if (!plan.notes.includes(output)) return [];
  return [{ ...base, kind: 'note', key: `note:${output}:ended`, alertKey: alertKey(incident.id), note: ended }];
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
