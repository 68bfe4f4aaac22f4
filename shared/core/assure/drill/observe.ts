import { type Action, PRIMARY_PAGERS } from '../../act/actions.js';
import { aftermathOutputs, reviewActions as aftermathReviewActions } from '../../act/aftermath/plan.js';
import { planReview } from '../../act/aftermath/review.js';
import type { RespondersConfig } from '../../act/config-schema.js';
import type { Plan } from '../../act/plan.js';
import { DRILL_PREFIX, pageMessage } from '../../act/render/page.js';
import type { Incident } from '../../model/incident.js';
import { DRILL_OPENING_SUFFIX, DRILL_RECORD_ID_PREFIX } from '../../normalize/drill/envelope.js';
import type { DeliveryRecord } from '../../ports/delivery-ledger.js';
import type { BreakGlassAccount } from '../../registry/index.js';

/**
 * What a drill looks for in the stores, as pure checks over what was read: the incident holding the
 * drill event, and the delivery ledger's records of that incident. The same checks run locally and
 * against the deployed stack; only the polling differs.
 */

/**
 * A check that is not met yet returns `waiting` (poll again) or `failure` (it will not be met);
 * `unavailable` when the deployment has nothing that could meet it (no ticketing system configured).
 */
export type Observation =
  | { seenAt: number; detail: string }
  | { waiting: string }
  | { failure: string }
  | { unavailable: string };

/** The incident step: the drill event (or the drill's opening before it) opened its own incident, marked as a drill. */
export function observeIncident(incident: Incident | undefined, eventId: string, seenAt: number): Observation {
  if (!incident) return { waiting: 'no incident holds the drill event yet' };
  const first = incident.events[0]?.id;
  // The drill's own opening of the credential store comes first when the account declares a store.
  const own = eventId.slice(Math.max(0, eventId.indexOf(DRILL_RECORD_ID_PREFIX)));
  if (first !== eventId && !first?.endsWith(`${own}${DRILL_OPENING_SUFFIX}`)) {
    return {
      failure: `the drill event joined incident ${incident.id} (opened by another event) instead of opening its own`,
    };
  }
  if (!incident.drill) return { failure: `incident ${incident.id} was opened as a real incident, not a drill` };
  return { seenAt, detail: `incident ${incident.id} (${incident.severity})` };
}

/** The keys whose delivery means "the page went out", per configured pager (the SNS fallback counts). */
function pageKeys(plan: Plan): string[][] {
  const keys = plan.pagers.map((p) =>
    p === plan.primary && plan.fallback ? [`page:${p}`, 'page:fallback:sns'] : [`page:${p}`],
  );
  return plan.outbox ? [...keys, ['outbox:write:']] : keys;
}

function ticketKeys(plan: Plan): string[][] {
  const keys = plan.ticketers.map((t) => [`ticket:${t}:open`]);
  return plan.outbox ? [...keys, ['outbox:write:']] : keys;
}

/**
 * After the close: resolvable alerts resolved, tickets told the session ended, the outbox rewritten.
 * Only what was delivered can be resolved or appended to (a refused page has nothing to resolve).
 */
function closeKeys(plan: Plan, closedVersion: number, records: readonly DeliveryRecord[]): string[][] {
  const done = new Set(records.filter((r) => r.status === 'delivered').map((r) => r.actionKey));
  const resolvable = plan.pagers.filter(
    (p) => (PRIMARY_PAGERS as readonly string[]).includes(p) && done.has(`page:${p}`),
  );
  return [
    ...resolvable.map((p) => [`resolve:${p}`]),
    ...plan.ticketers.filter((t) => done.has(`ticket:${t}:open`)).map((t) => [`ticket:${t}:ended`]),
    ...(plan.outbox ? [[`outbox:write:v${closedVersion}`]] : []),
  ];
}

/**
 * Every group of keys needs one delivered record (a key ending in ":" matches as a prefix). Returns the
 * latest delivery time over the groups, or what is still missing / failed.
 */
function delivered(groups: string[][], records: readonly DeliveryRecord[], what: string): Observation {
  let latest = 0;
  const missing: string[] = [];
  for (const group of groups) {
    const matches = records.filter((r) =>
      group.some((k) => (k.endsWith(':') ? r.actionKey.startsWith(k) : r.actionKey === k)),
    );
    const done = matches.filter((r) => r.status === 'delivered');
    if (done.length > 0) {
      latest = Math.max(latest, Math.min(...done.map((r) => Date.parse(r.updatedAt))));
      continue;
    }
    const failed = matches.find((r) => r.status === 'failed');
    if (failed) return { failure: `${failed.actionKey} failed: ${failed.lastError ?? 'no detail'}` };
    missing.push(group[0] as string);
  }
  if (missing.length > 0) return { waiting: `${what}: waiting for ${missing.join(', ')}` };
  if (groups.length === 0) return { failure: `${what}: no output is configured for it` };
  return { seenAt: latest, detail: `${what}: ${groups.map((g) => (g[0] as string).replace(/:$/, '')).join(', ')}` };
}

/**
 * The page step: what the pagers were (or would be) sent for this incident says DRILL first at low
 * urgency, and every configured pager delivered it.
 */
export function observePage(plan: Plan, incident: Incident, records: readonly DeliveryRecord[]): Observation {
  const page = pageMessage(incident, 'opened');
  if (!page.headline.startsWith(DRILL_PREFIX))
    return { failure: `page headline does not start with "${DRILL_PREFIX.trim()}"` };
  if (page.severity !== 'low') return { failure: `page severity is ${page.severity}, expected low` };
  return delivered(pageKeys(plan), records, 'DRILL page at low urgency');
}

/** The ticket step; `unavailable` when no ticketing system (nor the outbox) is configured. */
export function observeTicket(plan: Plan, records: readonly DeliveryRecord[]): Observation {
  const keys = ticketKeys(plan);
  if (keys.length === 0) return { unavailable: 'no ticketing system is configured (jira, servicenow or the outbox)' };
  return delivered(keys, records, 'ticket');
}

/** The close step: the stored incident is closed and every output acknowledged the end. */
export function observeClose(
  plan: Plan,
  incident: Incident | undefined,
  records: readonly DeliveryRecord[],
  now: number,
): Observation {
  if (!incident) return { failure: 'the drill incident is gone from the store' };
  if (incident.status !== 'closed') return { waiting: `incident ${incident.id} is still open` };
  const groups = closeKeys(plan, incident.version, records);
  if (groups.length === 0) return { seenAt: now, detail: `incident ${incident.id} closed (no output resolves alerts)` };
  return delivered(groups, records, `incident ${incident.id} closed`);
}

/**
 * The review actions the act stage's aftermath plans when this incident closes (schedules, tasks,
 * invites): the same planning functions the responders run. Empty when no output can carry a review
 * (the drill then says "unavailable", never passes it).
 */
export function reviewActions(
  plan: Plan,
  config: RespondersConfig,
  closed: Incident,
  account: BreakGlassAccount | undefined,
  sessionGapMs: number,
): Action[] {
  const review = planReview(closed, account, config.review, sessionGapMs);
  return aftermathReviewActions(closed, review, aftermathOutputs(plan, config));
}

/** The review step: every planned review action delivered. */
export function observeReview(actions: readonly Action[], records: readonly DeliveryRecord[]): Observation {
  return delivered(
    actions.map((a) => [a.key]),
    records,
    'review scheduled',
  );
}
