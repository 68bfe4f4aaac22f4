import type { Finding } from '../model/finding.js';
import type { Incident } from '../model/incident.js';
import { DRILL_OPENING_SUFFIX, DRILL_RECORD_ID_PREFIX } from '../normalize/drill/envelope.js';
import type { SessionPolicy } from './session.js';

/**
 * A drill: a synthetic drill record for this very account (its marker is set only by the drill envelope,
 * from a trusted transport, never from log fields), or an event inside a declared drill window.
 */
export function isDrillFinding(finding: Finding, policy: SessionPolicy): boolean {
  if (finding.account === null) return false;
  const marker = finding.event.origin.drill;
  if (marker !== undefined) return marker.account === finding.account;
  return policy.drillAt(finding.account, finding.event.timeMs) !== undefined;
}

/** True when the incident holds a synthetic record of this drill (its sign-in or its opening). */
function heldByDrill(incident: Incident, drillId: string): boolean {
  const own = `${DRILL_RECORD_ID_PREFIX}${drillId}`;
  return incident.events.some((e) => e.id.endsWith(own) || e.id.endsWith(`${own}${DRILL_OPENING_SUFFIX}`));
}

/**
 * Findings that open their own session even inside the current one's gap:
 * - real activity never joins a drill session: it would inherit the drill's low urgency, and once a drill
 *   has closed its own session a PagerDuty/Opsgenie escalation would be superseded by the resolve;
 * - each synthetic drill opens its own incident, so every drill observes its own page and ticket (its
 *   opening of the credential store and its sign-in are one drill: the same drill id);
 * A drill record inside an open real session joins it and stays real: a drill never ends a real session.
 */
export function startsOwnSession(
  current: Incident,
  finding: Finding,
  policy: SessionPolicy,
  /** The ids of `current`'s events, when the caller keeps them. */
  ids?: ReadonlySet<string>,
): boolean {
  const again = ids ? ids.has(finding.event.id) : current.events.some((e) => e.id === finding.event.id);
  if (again) return false; // the same event again
  if (current.drill) {
    const marker = finding.event.origin.drill;
    return !isDrillFinding(finding, policy) || (marker !== undefined && !heldByDrill(current, marker.drillId));
  }
  return finding.event.origin.drill !== undefined && current.status === 'closed';
}
