import type { Incident, IncidentChange } from '../../model/incident.js';
import type { IncidentRepository } from '../../ports/incident-repository.js';

/** Concurrent writers on one key are rare; a drill retries its close this often. */
const MAX_ATTEMPTS = 10;

export type CloseOutcome =
  | { kind: 'closed'; change: IncidentChange }
  | { kind: 'already-closed'; incident: Incident }
  | { kind: 'refused'; reason: string };

/**
 * A drill closes its own session at once instead of waiting out the session gap: a compare-and-set of
 * the key's head from open to closed, archived like every other write, and the `closed` change for the
 * act stage (which resolves the page and tells the ticket). It only ever closes the drill's own
 * incident, and only while it is still a drill: if a real event joined it, it is a real incident now
 * and stays open.
 *
 * @example
 * const outcome = await closeDrillIncident(repository, incident);
 * if (outcome.kind === 'closed') await responders.handle([outcome.change]);
 */
export async function closeDrillIncident(repository: IncidentRepository, incident: Incident): Promise<CloseOutcome> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const head = await repository.loadHead(incident.correlationKey);
    if (!head || head.id !== incident.id) {
      // A later session replaced it as the head: the correlator closed it then.
      const stored = await repository.getIncident(incident.id);
      if (stored?.status === 'closed') return { kind: 'already-closed', incident: stored };
      return { kind: 'refused', reason: `incident ${incident.id} is no longer its key's latest session` };
    }
    if (!head.drill)
      return { kind: 'refused', reason: `incident ${head.id} is no longer a drill (a real event joined it)` };
    if (head.status === 'closed') return { kind: 'already-closed', incident: head };
    const closed: Incident = { ...head, status: 'closed', version: head.version + 1 };
    if (!(await repository.saveHead(closed, head.version))) continue;
    await repository.saveCopy(closed);
    return { kind: 'closed', change: { kind: 'closed', incident: closed, newEvents: [] } };
  }
  return { kind: 'refused', reason: `incident ${incident.id}: gave up after ${MAX_ATTEMPTS} concurrent writes` };
}
