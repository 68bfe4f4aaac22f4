import type { Incident, IncidentChange } from '../../core/model/incident.js';

/**
 * An incident change on the responders' queue is a notification, not the truth: the responders act on
 * the incident as the correlator stored it, read back by id. A message that does not match a stored
 * incident — none with that id, a version the store never reached, another account or principal,
 * events the incident does not hold, a "closed" for an open incident — is refused: whoever put it on
 * the bus is not the pipeline (or the store lost a write), and either way nobody should be paged,
 * ticketed or have keys deactivated on its word.
 *
 * The copy is written before the change is published (correlator: head, copy, then publish), so a
 * genuine message never finds a store older than itself. A newer stored version (a later change
 * already stored) is normal: the responders act on the newer incident, which the ledger handles.
 */
export interface StoredIncidents {
  getIncident(id: string): Promise<Incident | undefined>;
}

export type StoredChange = { ok: true; change: IncidentChange } | { ok: false; reason: string };

/**
 * The change rebuilt from the store, or why the message matches no stored incident.
 *
 * @example
 * const checked = await storedChange(repository, message.change);
 * if (!checked.ok) refuse(message, checked.reason);
 */
export async function storedChange(store: StoredIncidents, claimed: IncidentChange): Promise<StoredChange> {
  const id = claimed.incident.id;
  const stored = await store.getIncident(id);
  const refuse = (reason: string): StoredChange => ({ ok: false, reason: `incident ${id.slice(0, 120)}: ${reason}` });
  if (!stored) return refuse('no such incident in the store');
  if (stored.version < claimed.incident.version)
    return refuse(`version ${claimed.incident.version} claimed, the store holds version ${stored.version}`);
  for (const field of ['correlationKey', 'account', 'cloud', 'principal', 'firstSeen'] as const) {
    if (stored[field] !== claimed.incident[field]) return refuse(`${field} differs from the stored incident`);
  }
  if (claimed.kind === 'closed' && stored.status !== 'closed')
    return refuse('closed claimed, the stored incident is open');
  const held = new Set(stored.events.map((event) => event.id));
  const wanted = new Set<string>();
  for (const event of claimed.newEvents) {
    const eventId = (event as { id?: unknown } | null)?.id;
    if (typeof eventId !== 'string' || !held.has(eventId))
      return refuse(`new event ${String(eventId).slice(0, 120)} is not in the stored incident`);
    wanted.add(eventId);
  }
  const change: IncidentChange = {
    kind: claimed.kind,
    incident: stored,
    newEvents: stored.events.filter((event) => wanted.has(event.id)),
    ...(claimed.previous ? { previous: claimed.previous } : {}),
  };
  return { ok: true, change };
}
