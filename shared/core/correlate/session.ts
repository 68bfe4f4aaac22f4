import { createHash } from 'node:crypto';
import type { Finding } from '../model/finding.js';
import { SEVERITY_ORDER } from '../model/finding.js';
import type { Incident, IncidentChange, IncidentEvent } from '../model/incident.js';
import { isDrillFinding, startsOwnSession } from './drills.js';
import { toIncidentEvent } from './incident-event.js';
import { KIND_SEVERITY, rated, severityOf } from './severity.js';

export { isDrillFinding, severityOf, startsOwnSession, toIncidentEvent };

/**
 * Session correlation, declared as keys plus a window: findings with the same correlation key whose
 * gaps are under the session gap form one incident. Pure functions over one key's state; the store
 * makes them atomic.
 */

/** What correlation needs from the registry (RegistryMatcher provides it). */
export interface SessionPolicy {
  sessionGapMs(accountId: string | null): number;
  drillAt(accountId: string, timeMs: number): unknown;
  /**
   * How long before a sign-in an opening of the account's credential store must be seen
   * (`credential.openingWindowHours`); undefined when the account declares no store.
   */
  openingWindowMs?(accountId: string): number | undefined;
}

/**
 * Quiet: every finding so far is a change the tamper table marks as routine for deployments
 * (`pagesAtOnce: false`). Act then tickets instead of paging; one finding that pages ends it.
 */
function quietAfter(quiet: boolean, finding: Finding): { quiet?: true } {
  return quiet && finding.pagesAtOnce === false ? { quiet: true } : {};
}

/** Stable id: the same key and opening event always give the same incident id, in replay or in Lambda. */
export function incidentId(correlationKey: string, openingEventId: string): string {
  return `gw-${createHash('sha256').update(`${correlationKey}\n${openingEventId}`).digest('hex').slice(0, 20)}`;
}

/**
 * A second finding on an event already in the incident: a new kind is added; a finding of a kind the
 * event already has counts only when it raises that kind's severity (two rules of one kind, e.g. a
 * member added to an emergency group who is a break-glass account) or brings the first note or opening.
 */
function mergeFinding(current: IncidentEvent, finding: Finding): IncidentEvent {
  const known = current.kinds.includes(finding.kind);
  const was = current.severities?.[finding.kind] ?? KIND_SEVERITY[finding.kind];
  const raises = finding.severity !== undefined && (!known || SEVERITY_ORDER[finding.severity] > SEVERITY_ORDER[was]);
  const note = current.note === undefined && finding.note !== undefined;
  const opening = current.opening === undefined && finding.opening !== undefined;
  if (known && !raises && !note && !opening) return current;
  const severities = raises ? { ...current.severities, [finding.kind]: finding.severity } : current.severities;
  return {
    ...current,
    kinds: known ? current.kinds : [...current.kinds, finding.kind],
    ...(severities ? { severities } : {}),
    ...(note ? { note: finding.note } : {}),
    ...(opening ? { opening: finding.opening } : {}),
  };
}

export function openIncident(finding: Finding, policy: SessionPolicy): Incident {
  const drill = isDrillFinding(finding, policy);
  const incident: Incident = {
    id: incidentId(finding.correlationKey, finding.event.id),
    correlationKey: finding.correlationKey,
    account: finding.account,
    cloud: finding.cloud,
    principal: finding.principal,
    detections: [finding.kind],
    severity: 'low',
    drill,
    status: 'open',
    firstSeen: finding.event.time,
    lastSeen: finding.event.time,
    events: [toIncidentEvent(finding)],
    version: 0,
    ...quietAfter(true, finding),
  };
  incident.severity = severityOf(incident.detections, drill, incident.events);
  return incident;
}

/** True when a finding at `timeMs` is part of this incident's session (gap measured both ways). */
export function inSession(incident: Incident, timeMs: number, gapMs: number): boolean {
  return Date.parse(incident.firstSeen) - gapMs < timeMs && timeMs < Date.parse(incident.lastSeen) + gapMs;
}

/**
 * Adds a finding of the same session. Returns the same object when nothing changed (the same event
 * and kind delivered again), so callers can tell a duplicate by identity.
 */
export function addFinding(incident: Incident, finding: Finding, policy: SessionPolicy): Incident {
  const next = joined(incident, finding, policy);
  return next === incident ? incident : rated(next);
}

/**
 * What a batch keeps of the incident it is building: the ids of its events, and the events array it
 * copied from the stored incident (or opened with), which no one else has seen yet and is changed in
 * place. Copying the array per finding would cost a session of 800 tamper events 800².
 */
interface Draft {
  ids: Set<string>;
  events?: IncidentEvent[];
}

/**
 * {@link addFinding} without rating the result: its severity is the incident's before. A batch rates once
 * at its end, since rating reads every event (a session of 800 tamper events would otherwise cost 800²).
 */
function joined(incident: Incident, finding: Finding, policy: SessionPolicy, draft?: Draft): Incident {
  const { event } = finding;
  const existing = draft?.ids.has(event.id) === false ? -1 : incident.events.findIndex((e) => e.id === event.id);
  const writable = () => (draft?.events === incident.events ? incident.events : incident.events.slice());
  let events: IncidentEvent[];
  if (existing !== -1) {
    const current = incident.events[existing] as IncidentEvent;
    const merged = mergeFinding(current, finding);
    if (merged === current) return incident;
    events = writable();
    events[existing] = merged;
  } else {
    events = writable();
    insertByTime(events, toIncidentEvent(finding));
  }
  if (draft) {
    draft.events = events;
    draft.ids.add(event.id);
  }
  const detections = incident.detections.includes(finding.kind)
    ? incident.detections
    : [...incident.detections, finding.kind];
  // A session is a drill only while every event of it falls inside a declared window.
  const drill = incident.drill && isDrillFinding(finding, policy);
  const first = events[0] as IncidentEvent;
  const last = events[events.length - 1] as IncidentEvent;
  const { quiet, ...rest } = incident;
  return {
    ...rest,
    ...quietAfter(quiet === true, finding),
    events,
    detections,
    drill,
    firstSeen: first.time,
    lastSeen: last.time,
    // A late event of an ended session joins its timeline without reopening it.
    status: incident.status,
  };
}

/** Inserts in place after every event at or before its time (usually at the end: findings come in time order). */
function insertByTime(events: IncidentEvent[], added: IncidentEvent): void {
  const at = Date.parse(added.time);
  let i = events.length;
  while (i > 0 && Date.parse((events[i - 1] as IncidentEvent).time) > at) i--;
  if (i === events.length) events.push(added);
  else events.splice(i, 0, added);
}

/** The result of applying a batch of one key's findings to its latest incident. */
export interface KeyUpdate {
  /** The key's latest incident after the batch (unchanged object if nothing changed). */
  head: Incident | undefined;
  /** Earlier incidents the batch ended (a later finding started a new session). */
  ended: Incident[];
  changes: IncidentChange[];
  /** Findings older than the head's session: they belong to an earlier incident, which the store looks up. */
  older: Finding[];
}

/**
 * Applies time-ordered findings of ONE correlation key to that key's latest incident. One change per
 * incident per batch: `opened` (with every event the batch added) or `extended`, and `closed` for an
 * incident a new session replaced.
 */
export function applyFindings(
  head: Incident | undefined,
  findings: readonly Finding[],
  policy: SessionPolicy,
): KeyUpdate {
  const ended: Incident[] = [];
  const changes: IncidentChange[] = [];
  const older: Finding[] = [];
  let current = head;
  let opened = false;
  let before = head ? { severity: head.severity, detections: head.detections } : undefined;
  // Ids of the events this batch added to the current incident; the draft holds the ids of all its events
  // (a session of 800 tamper findings would otherwise scan its events for each finding: 800²).
  const added = new Set<string>();
  let draft: Draft = { ids: new Set(head?.events.map((e) => e.id)) };
  const start = (finding: Finding) => {
    current = openIncident(finding, policy);
    opened = true;
    added.add(finding.event.id);
    draft = { ids: new Set([finding.event.id]), events: current.events };
  };

  const flush = () => {
    if (!current || (added.size === 0 && !opened)) return;
    current = rated(current);
    const newEvents = current.events.filter((e) => added.has(e.id));
    if (opened) changes.push({ kind: 'opened', incident: current, newEvents });
    else changes.push({ kind: 'extended', incident: current, newEvents, ...(before ? { previous: before } : {}) });
  };

  for (const finding of findings) {
    const gap = policy.sessionGapMs(finding.account);
    if (!current) {
      start(finding);
      continue;
    }
    const inCurrent = inSession(current, finding.event.timeMs, gap);
    if (inCurrent && !startsOwnSession(current, finding, policy, draft.ids)) {
      const next = joined(current, finding, policy, draft);
      if (next !== current) {
        added.add(finding.event.id);
        current = next;
      }
      continue;
    }
    if (!inCurrent && finding.event.timeMs < Date.parse(current.firstSeen)) {
      older.push(finding);
      continue;
    }
    // A new session: the current one has ended.
    flush();
    const closed: Incident = { ...(current as Incident), status: 'closed' };
    ended.push(closed);
    changes.push({ kind: 'closed', incident: closed, newEvents: [] });
    before = undefined;
    added.clear();
    start(finding);
  }
  flush();
  return { head: current, ended, changes, older };
}

/** Closes the incident when its session gap has passed without events. */
export function closeIfEnded(incident: Incident, nowMs: number, policy: SessionPolicy): Incident | undefined {
  if (incident.status !== 'open') return undefined;
  const gap = policy.sessionGapMs(incident.account);
  return nowMs - Date.parse(incident.lastSeen) >= gap ? { ...incident, status: 'closed' } : undefined;
}
