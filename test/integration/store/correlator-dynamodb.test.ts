import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoIncidentRepository } from '../../../shared/adapters/dynamodb/incident-repository.js';
import { ensureTable, type LocalDynamo, startLocalDynamo } from '../../../shared/adapters/dynamodb/local-dynalite.js';
import { Correlator } from '../../../shared/core/correlate/correlator.js';
import { parseRegistry, RegistryMatcher } from '../../../shared/core/registry/index.js';
import { finding } from '../../support/findings.js';

const policy = new RegistryMatcher(
  parseRegistry(
    `accounts:
  - { id: aws-prod-root, cloud: aws, match: { arn: "arn:aws:iam::111122223333:root" } }
  - { id: other, cloud: aws, match: { arn: "arn:aws:iam::444455556666:root" } }`,
    'r.yaml',
  ),
);

let dynamo: LocalDynamo;
let tableCounter = 0;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
});
afterAll(async () => {
  await dynamo.close();
});

/** A fresh table per test, as a fresh stack would have. */
async function freshRepository(): Promise<DynamoIncidentRepository> {
  const tableName = `table-${++tableCounter}`;
  await ensureTable(dynamo.client, tableName);
  return new DynamoIncidentRepository(dynamo.client, tableName);
}

describe('Correlator on DynamoDB (dynalite)', () => {
  it('opens one incident for many concurrent writers with overlapping events, each event counted once', async () => {
    const repository = await freshRepository();
    const events = Array.from({ length: 40 }, (_, i) =>
      finding({ id: `e${i}`, time: new Date(Date.parse('2026-11-20T10:00:00Z') + i * 30_000).toISOString() }),
    );
    // 20 "Lambdas", each with a random overlapping slice of the session.
    const writers = Array.from({ length: 20 }, (_, w) => {
      const correlator = new Correlator(repository, policy);
      const slice = events.filter((_, i) => (i + w) % 3 !== 0 || i % 7 === w % 7);
      return correlator.record(slice);
    });
    const results = await Promise.all(writers);
    const incidents = await repository.listIncidents();
    expect(incidents).toHaveLength(1);
    expect(incidents[0]?.events.map((e) => e.id).sort()).toEqual(events.map((f) => f.event.id).sort());
    expect(new Set(incidents[0]?.events.map((e) => e.id)).size).toBe(40);
    // Exactly one writer opened it; the others extended or found nothing new.
    expect(results.flat().filter((c) => c.kind === 'opened')).toHaveLength(1);
  });

  it('serialises writers racing on several keys with sessions they end, each session stored and announced once', async () => {
    const repository = await freshRepository();
    // Per key, three sessions two hours apart (the gap is one hour), ten events each.
    const events = ['k0', 'k1', 'k2', 'k3'].flatMap((key) =>
      Array.from({ length: 30 }, (_, i) =>
        finding({
          id: `${key}-${i}`,
          key,
          time: new Date(
            Date.parse('2026-11-20T06:00:00Z') + Math.floor(i / 10) * 2 * 3_600_000 + (i % 10) * 60_000,
          ).toISOString(),
        }),
      ),
    );
    // The same delivery handled by several "Lambdas" at once: one wins each key, the others retry.
    const results = (
      await Promise.all(Array.from({ length: 6 }, () => new Correlator(repository, policy).record(events)))
    ).flat();
    const alone = await freshRepository();
    const changes = await new Correlator(alone, policy).record(events);
    const stored = async (r: DynamoIncidentRepository) =>
      (await r.listIncidents()).sort((a, b) => a.id.localeCompare(b.id));
    expect(await stored(repository)).toEqual(await stored(alone));
    expect(await stored(repository)).toHaveLength(12);
    expect((await repository.listHeads()).map((h) => h.correlationKey).sort()).toEqual(['k0', 'k1', 'k2', 'k3']);
    // The changes the writers made together are the lone writer's, each made once.
    const summary = (list: typeof changes) => list.map((c) => `${c.kind} ${c.incident.id}`).sort();
    expect(summary(results)).toEqual(summary(changes));
    expect(changes.map((c) => c.kind).filter((k) => k === 'closed')).toHaveLength(8);
  });

  it('changes nothing when the same batch is delivered twice', async () => {
    const repository = await freshRepository();
    const correlator = new Correlator(repository, policy);
    const batch = [
      finding({ id: 'a', time: '2026-11-20T10:00:00Z' }),
      finding({ id: 'b', time: '2026-11-20T10:05:00Z' }),
    ];
    const first = await correlator.record(batch);
    const second = await correlator.record(batch);
    expect(first.map((c) => c.kind)).toEqual(['opened']);
    expect(second).toEqual([]);
    const [incident] = await repository.listIncidents();
    expect(incident?.events).toHaveLength(2);
    expect(incident?.version).toBe(0);
  });

  it('keeps keys apart and puts a late event of an earlier session into that session', async () => {
    const repository = await freshRepository();
    const correlator = new Correlator(repository, policy);
    await correlator.record([
      finding({ id: 'a', time: '2026-11-20T08:00:00Z' }),
      finding({ id: 'b', time: '2026-11-20T12:00:00Z' }),
      finding({ id: 'x', time: '2026-11-20T12:00:00Z', account: 'other' }),
    ]);
    const late = await correlator.record([finding({ id: 'late', time: '2026-11-20T08:20:00Z' })]);
    expect(late).toMatchObject([{ kind: 'extended' }]);
    const incidents = await repository.listIncidents();
    expect(incidents).toHaveLength(3);
    const morning = incidents.find((i) => i.firstSeen.startsWith('2026-11-20T08'));
    expect(morning?.events.map((e) => e.id)).toEqual(['aws:a', 'aws:late']);
  });

  it('closes ended sessions once, and a later replay extends an open one', async () => {
    const repository = await freshRepository();
    const correlator = new Correlator(repository, policy);
    await correlator.record([finding({ id: 'a', time: '2026-11-20T10:00:00Z' })]);
    expect(await correlator.closeEnded(Date.parse('2026-11-20T10:30:00Z'))).toEqual([]);
    const extended = await new Correlator(repository, policy).record([
      finding({ id: 'b', time: '2026-11-20T10:40:00Z' }),
    ]);
    expect(extended).toMatchObject([{ kind: 'extended', newEvents: [{ id: 'aws:b' }] }]);
    const closed = await correlator.closeEnded(Date.parse('2026-11-20T12:00:00Z'));
    expect(closed).toMatchObject([{ kind: 'closed', incident: { status: 'closed' } }]);
    expect(await correlator.closeEnded(Date.parse('2026-11-20T13:00:00Z'))).toEqual([]);
  });

  it('never puts a late real event into an archived drill incident, and counts it once on redelivery', async () => {
    const repository = await freshRepository();
    const correlator = new Correlator(repository, policy);
    const drill = finding({ id: 'glasswatch-drill-1', time: '2026-11-20T08:00:00Z', kind: 'signin.success' });
    drill.event.origin = { ...drill.event.origin, drill: { drillId: 'd1', account: 'aws-prod-root' } };
    await correlator.record([drill, finding({ id: 'b', time: '2026-11-20T12:00:00Z' })]);
    const lateReal = finding({ id: 'late-real', time: '2026-11-20T08:10:00Z', kind: 'signin.success' });
    const first = await correlator.record([lateReal]);
    expect(first).toMatchObject([{ kind: 'opened', incident: { drill: false, severity: 'critical' } }]);
    expect(await correlator.record([lateReal])).toEqual([]);
    const incidents = await repository.listIncidents();
    const drills = incidents.filter((i) => i.drill);
    expect(drills).toHaveLength(1);
    expect(drills[0]?.events.map((e) => e.id)).toEqual(['aws:glasswatch-drill-1']);
    expect(incidents.filter((i) => i.events.some((e) => e.id === 'aws:late-real'))).toHaveLength(1);
  });
});
