import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoIncidentRepository } from '../../../shared/adapters/dynamodb/incident-repository.js';
import { ensureTable, type LocalDynamo, startLocalDynamo } from '../../../shared/adapters/dynamodb/local-dynalite.js';
import type { Incident } from '../../../shared/core/model/incident.js';
import type { IncidentRepository } from '../../../shared/core/ports/incident-repository.js';
import { MemoryIncidentRepository } from '../../unit/assure/support/world.js';

/**
 * One contract, two implementations: the Map-backed repository the drill-runner and compliance unit
 * tests use must behave as the DynamoDB one production runs (through dynalite), or those tests prove
 * nothing about the deployed path.
 */
const MINUTE = 60_000;
const GAP = 60 * MINUTE;

let dynamo: LocalDynamo;
let tables = 0;
beforeAll(async () => {
  dynamo = await startLocalDynamo();
});
afterAll(() => dynamo.close());

const implementations: [string, () => Promise<IncidentRepository>][] = [
  [
    'DynamoIncidentRepository',
    async () => {
      const table = `contract-${++tables}`;
      await ensureTable(dynamo.client, table);
      return new DynamoIncidentRepository(dynamo.client, table);
    },
  ],
  ['MemoryIncidentRepository', async () => new MemoryIncidentRepository()],
];

function incident(overrides: Partial<Incident> & Pick<Incident, 'id' | 'firstSeen' | 'lastSeen'>): Incident {
  return {
    correlationKey: 'acct:aws-prod-root',
    account: 'aws-prod-root',
    cloud: 'aws',
    principal: 'root (111122223333)',
    detections: ['signin.success'],
    severity: 'critical',
    drill: false,
    status: 'open',
    events: [],
    version: 1,
    ...overrides,
  };
}

describe.each(implementations)('%s', (_name, make) => {
  it('writes a head only over the version it was read at', async () => {
    const repository = await make();
    const first = incident({ id: 'i1', firstSeen: '2026-11-20T10:00:00.000Z', lastSeen: '2026-11-20T10:05:00.000Z' });
    expect(await repository.loadHead(first.correlationKey)).toBeUndefined();
    expect(await repository.saveHead(first, undefined)).toBe(true);
    // A second writer that also saw "no head" loses.
    expect(await repository.saveHead({ ...first, principal: 'other' }, undefined)).toBe(false);
    const next = { ...first, lastSeen: '2026-11-20T10:20:00.000Z', version: 2 };
    expect(await repository.saveHead(next, 2)).toBe(false);
    expect(await repository.saveHead(next, 1)).toBe(true);
    expect(await repository.loadHead(first.correlationKey)).toEqual(next);
    expect(await repository.listHeads()).toEqual([next]);
  });

  it('lists every head, and the open ones alone for closing', async () => {
    const repository = await make();
    const at = '2026-11-20T10:00:00.000Z';
    const open = incident({ id: 'o', correlationKey: 'acct:open', firstSeen: at, lastSeen: at });
    const closed = incident({ id: 'c', correlationKey: 'acct:closed', firstSeen: at, lastSeen: at, status: 'closed' });
    for (const head of [open, closed]) await repository.saveHead(head, undefined);
    await repository.saveCopy({ ...open, id: 'copy' });
    expect((await repository.listHeads()).map((h) => h.id).sort()).toEqual(['c', 'o']);
    expect(await repository.listOpenHeads()).toEqual([open]);
  });

  it('keeps the newest copy: an older version never overwrites a newer one', async () => {
    const repository = await make();
    const v2 = incident({
      id: 'i2',
      firstSeen: '2026-11-20T10:00:00.000Z',
      lastSeen: '2026-11-20T11:00:00.000Z',
      version: 2,
    });
    await repository.saveCopy(v2);
    await repository.saveCopy({ ...v2, lastSeen: '2026-11-20T10:30:00.000Z', version: 1 });
    expect(await repository.getIncident('i2')).toEqual(v2);
    const v3 = { ...v2, status: 'closed' as const, version: 3 };
    await repository.saveCopy(v3);
    expect(await repository.getIncident('i2')).toEqual(v3);
    expect(await repository.getIncident('missing')).toBeUndefined();
  });

  it('replaces a copy only over the version it was read at', async () => {
    const repository = await make();
    const copy = incident({ id: 'i3', firstSeen: '2026-11-20T10:00:00.000Z', lastSeen: '2026-11-20T10:00:00.000Z' });
    expect(await repository.replaceCopy(copy, 0)).toBe(false);
    expect(await repository.replaceCopy(copy, undefined)).toBe(true);
    expect(await repository.replaceCopy({ ...copy, version: 2 }, undefined)).toBe(false);
    expect(await repository.replaceCopy({ ...copy, version: 2 }, 1)).toBe(true);
    expect((await repository.getIncident('i3'))?.version).toBe(2);
  });

  it('finds the archived session that covers a time, within the gap on either side, and only for its key', async () => {
    const repository = await make();
    const morning = incident({ id: 'am', firstSeen: '2026-11-20T09:00:00.000Z', lastSeen: '2026-11-20T09:30:00.000Z' });
    const evening = incident({ id: 'pm', firstSeen: '2026-11-20T18:00:00.000Z', lastSeen: '2026-11-20T18:10:00.000Z' });
    const otherKey = incident({
      id: 'other',
      correlationKey: 'acct:other',
      firstSeen: '2026-11-20T12:00:00.000Z',
      lastSeen: '2026-11-20T12:00:00.000Z',
    });
    for (const copy of [morning, evening, otherKey]) await repository.saveCopy(copy);
    const at = (iso: string) => Date.parse(iso);
    expect((await repository.findCovering(morning.correlationKey, at('2026-11-20T09:15:00Z'), GAP))?.id).toBe('am');
    expect((await repository.findCovering(morning.correlationKey, at('2026-11-20T08:01:00Z'), GAP))?.id).toBe('am');
    expect((await repository.findCovering(morning.correlationKey, at('2026-11-20T10:29:00Z'), GAP))?.id).toBe('am');
    expect((await repository.findCovering(morning.correlationKey, at('2026-11-20T18:30:00Z'), GAP))?.id).toBe('pm');
    // Between the sessions by more than the gap on both sides: none covers it.
    expect(await repository.findCovering(morning.correlationKey, at('2026-11-20T13:00:00Z'), GAP)).toBeUndefined();
    // Exactly one gap before the first event is outside (the session bounds are open).
    expect(await repository.findCovering(morning.correlationKey, at('2026-11-20T08:00:00Z'), GAP)).toBeUndefined();
    expect(await repository.findCovering(morning.correlationKey, at('2026-11-20T12:00:00Z'), 1)).toBeUndefined();
  });

  it('answers several times of one key at once as findCovering answers each, past a page of sessions', async () => {
    const repository = await make();
    // 30 sessions of one key, an hour apart (more than one gap), and a long one overlapping the last ten.
    const start = Date.parse('2026-11-20T00:00:00Z');
    const iso = (ms: number) => new Date(ms).toISOString();
    for (let i = 0; i < 30; i++) {
      const at = start + i * 2 * GAP;
      await repository.saveCopy(incident({ id: `s${i}`, firstSeen: iso(at), lastSeen: iso(at + 10 * MINUTE) }));
    }
    await repository.saveCopy(
      incident({ id: 'long', firstSeen: iso(start + 39 * GAP), lastSeen: iso(start + 60 * GAP), drill: true }),
    );
    await repository.saveCopy(
      incident({ id: 'x', correlationKey: 'acct:x', firstSeen: iso(start), lastSeen: iso(start) }),
    );
    const times = [0, 5, 31, 61, 62, 90, 121, 125, -30, 3000].map((m) => start + m * MINUTE);
    times.push(...[0, 11, 22, 23, 40, 45, 58].map((h) => start + h * GAP + 5 * MINUTE));
    const probes = times.map((timeMs) => ({ timeMs, gapMs: GAP }));
    const each = await repository.findCoveringEach('acct:aws-prod-root', probes);
    const one = await Promise.all(times.map((t) => repository.findCovering('acct:aws-prod-root', t, GAP)));
    expect(each.map((i) => i?.id)).toEqual(one.map((i) => i?.id));
    expect(each).toEqual(one);
    // The probes span more sessions than one findCovering looks at.
    expect(new Set(each.map((i) => i?.id)).size).toBeGreaterThan(6);
    // Two answers of one session are two objects, as two reads would be.
    expect(each[0]?.id).toBe(each[1]?.id);
    expect(each[0]).not.toBe(each[1]);
    expect(await repository.findCoveringEach('acct:aws-prod-root', [])).toEqual([]);
    expect(await repository.findCoveringEach('acct:none', probes.slice(0, 2))).toEqual([undefined, undefined]);
  });

  it('loads the heads of many keys at once, leaving out keys with none', async () => {
    const repository = await make();
    const keys = Array.from({ length: 130 }, (_, i) => `acct:k${i}`);
    for (const key of keys.filter((_, i) => i % 3 !== 0)) {
      const at = '2026-11-20T10:00:00.000Z';
      await repository.saveHead(
        incident({ id: `h-${key}`, correlationKey: key, firstSeen: at, lastSeen: at }),
        undefined,
      );
    }
    const heads = await repository.loadHeads([...keys, 'acct:k1']);
    expect([...heads.keys()].sort()).toEqual(keys.filter((_, i) => i % 3 !== 0).sort());
    for (const key of ['acct:k1', 'acct:k2', 'acct:k128'])
      expect(heads.get(key)).toEqual(await repository.loadHead(key));
    expect(await repository.loadHeads(['acct:k0'])).toEqual(new Map());
    expect(await repository.loadHeads([])).toEqual(new Map());
    (heads.get('acct:k1') as Incident).detections.push('audit.tamper');
    expect((await repository.loadHeads(['acct:k1'])).get('acct:k1')?.detections).toEqual(['signin.success']);
  });

  it('lists incidents newest first, up to a limit, and keeps heads apart from copies', async () => {
    const repository = await make();
    const days = ['2026-11-18', '2026-11-20', '2026-11-19'];
    for (const [i, day] of days.entries()) {
      await repository.saveCopy(
        incident({
          id: `d${i}`,
          correlationKey: `acct:a${i}`,
          firstSeen: `${day}T10:00:00.000Z`,
          lastSeen: `${day}T10:00:00.000Z`,
        }),
      );
    }
    expect((await repository.listIncidents()).map((i) => i.id)).toEqual(['d1', 'd2', 'd0']);
    expect((await repository.listIncidents(2)).map((i) => i.id)).toEqual(['d1', 'd2']);
    expect(await repository.listHeads()).toEqual([]);
  });

  it('keeps aliases: unknown until saved, then the key saved last', async () => {
    const repository = await make();
    expect(await repository.loadAlias('root-key:ASIAEXAMPLE')).toBeUndefined();
    await repository.saveAlias('root-key:ASIAEXAMPLE', 'root-task:aws:caller', Date.parse('2026-11-21T10:00:00Z'));
    await repository.saveAlias('root-key:ASIAEXAMPLE', 'root-task:aws:caller', Date.parse('2026-11-21T10:00:00Z'));
    expect(await repository.loadAlias('root-key:ASIAEXAMPLE')).toEqual({
      correlationKey: 'root-task:aws:caller',
      expiresAtMs: Date.parse('2026-11-21T10:00:00Z'),
    });
    await repository.saveAlias('root-key:ASIAEXAMPLE', 'acct:other', 5);
    expect(await repository.loadAlias('root-key:ASIAEXAMPLE')).toEqual({
      correlationKey: 'acct:other',
      expiresAtMs: 5,
    });
    expect(await repository.loadAlias('root-key:OTHER')).toBeUndefined();
    // An alias is not an incident: listings stay as they were.
    expect(await repository.listHeads()).toEqual([]);
    expect(await repository.listIncidents()).toEqual([]);
  });

  it('hands out copies: mutating what was read changes nothing stored', async () => {
    const repository = await make();
    const stored = incident({ id: 'i5', firstSeen: '2026-11-20T10:00:00.000Z', lastSeen: '2026-11-20T10:00:00.000Z' });
    await repository.saveHead(stored, undefined);
    await repository.saveCopy(stored);
    const head = await repository.loadHead(stored.correlationKey);
    const copy = await repository.getIncident('i5');
    if (!head || !copy) throw new Error('not stored');
    head.detections.push('audit.tamper');
    copy.status = 'closed';
    expect(await repository.loadHead(stored.correlationKey)).toEqual(stored);
    expect(await repository.getIncident('i5')).toEqual(stored);
  });
});
