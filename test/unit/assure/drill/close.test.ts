import { describe, expect, it } from 'vitest';
import { closeDrillIncident } from '../../../../shared/core/assure/drill/close.js';
import type { Incident } from '../../../../shared/core/model/incident.js';
import { MemoryIncidentRepository, drillIncident as makeDrillIncident } from '../support/world.js';

/**
 * A drill closes its own incident by compare-and-set. The repository is the Map one (held to the
 * DynamoDB contract by test/integration/store/incident-repository-contract.test.ts); concurrent
 * writers are simulated by writing between the drill's read and its write.
 */

const drillIncident: Incident = makeDrillIncident();

async function stored(incident: Incident = drillIncident): Promise<MemoryIncidentRepository> {
  const repository = new MemoryIncidentRepository();
  await repository.saveHead(incident, undefined);
  await repository.saveCopy(incident);
  return repository;
}

/** A repository whose head changes under the drill `times` times, right after each of its reads. */
class RacingRepository extends MemoryIncidentRepository {
  constructor(
    private times: number,
    private readonly race: (head: Incident) => Incident,
  ) {
    super();
  }
  override async loadHead(key: string) {
    const head = await super.loadHead(key);
    if (head && this.times > 0) {
      this.times--;
      const raced = this.race(head);
      this.heads.set(key, raced);
      this.copies.set(raced.id, raced);
    }
    return head;
  }
}

describe('closeDrillIncident', () => {
  it('closes the open drill head and its archived copy, and returns the closed change', async () => {
    const repository = await stored();
    const outcome = await closeDrillIncident(repository, drillIncident);
    expect(outcome.kind).toBe('closed');
    if (outcome.kind !== 'closed') return;
    expect(outcome.change).toEqual({
      kind: 'closed',
      incident: { ...drillIncident, status: 'closed', version: 2 },
      newEvents: [],
    });
    expect(repository.heads.get(drillIncident.correlationKey)?.status).toBe('closed');
    expect(repository.copies.get(drillIncident.id)?.version).toBe(2);
  });

  it('reports an incident that is already closed without writing again', async () => {
    const closed = { ...drillIncident, status: 'closed' as const, version: 3 };
    const repository = await stored(closed);
    expect(await closeDrillIncident(repository, drillIncident)).toEqual({ kind: 'already-closed', incident: closed });
    expect(repository.heads.get(closed.correlationKey)?.version).toBe(3);
  });

  it('refuses to close an incident a real event joined: it is real now and stays open', async () => {
    const real = { ...drillIncident, drill: false, severity: 'critical' as const, version: 2 };
    const repository = await stored(real);
    const outcome = await closeDrillIncident(repository, drillIncident);
    expect(outcome).toEqual({
      kind: 'refused',
      reason: 'incident gw-drill is no longer a drill (a real event joined it)',
    });
    expect(repository.heads.get(real.correlationKey)?.status).toBe('open');
  });

  it('when a later session replaced it as the head, reports it closed if the correlator archived it closed', async () => {
    const repository = await stored({ ...drillIncident, id: 'gw-later', firstSeen: '2026-03-02T14:00:00.000Z' });
    const archived = { ...drillIncident, status: 'closed' as const, version: 2 };
    await repository.saveCopy(archived);
    expect(await closeDrillIncident(repository, drillIncident)).toEqual({ kind: 'already-closed', incident: archived });
  });

  it('refuses when a later session replaced it and its own copy is still open (or missing)', async () => {
    const repository = new MemoryIncidentRepository();
    await repository.saveHead({ ...drillIncident, id: 'gw-later' }, undefined);
    expect(await closeDrillIncident(repository, drillIncident)).toEqual({
      kind: 'refused',
      reason: "incident gw-drill is no longer its key's latest session",
    });
    const empty = new MemoryIncidentRepository();
    expect((await closeDrillIncident(empty, drillIncident)).kind).toBe('refused');
  });

  it('retries after a concurrent write to the head and closes the newer version', async () => {
    const repository = new RacingRepository(2, (head) => ({
      ...head,
      lastSeen: '2026-03-02T12:01:00.000Z',
      version: head.version + 1,
    }));
    await repository.saveHead(drillIncident, undefined);
    const outcome = await closeDrillIncident(repository, drillIncident);
    expect(outcome.kind).toBe('closed');
    if (outcome.kind !== 'closed') return;
    // Two lost races (versions 2 and 3 written by the other writer), then the close at version 4.
    expect(outcome.change.incident).toMatchObject({
      status: 'closed',
      version: 4,
      lastSeen: '2026-03-02T12:01:00.000Z',
    });
    expect(repository.copies.get(drillIncident.id)?.version).toBe(4);
  });

  it('gives up after ten lost races rather than spinning', async () => {
    const repository = new RacingRepository(Number.POSITIVE_INFINITY, (head) => ({
      ...head,
      version: head.version + 1,
    }));
    await repository.saveHead(drillIncident, undefined);
    expect(await closeDrillIncident(repository, drillIncident)).toEqual({
      kind: 'refused',
      reason: 'incident gw-drill: gave up after 10 concurrent writes',
    });
    expect(repository.heads.get(drillIncident.correlationKey)?.status).toBe('open');
  });
});
