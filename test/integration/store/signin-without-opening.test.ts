import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoIncidentRepository } from '../../../shared/adapters/dynamodb/incident-repository.js';
import { ensureTable, type LocalDynamo, startLocalDynamo } from '../../../shared/adapters/dynamodb/local-dynalite.js';
import { Correlator } from '../../../shared/core/correlate/correlator.js';
import { parseRegistry, RegistryMatcher } from '../../../shared/core/registry/index.js';
import { finding } from '../../support/findings.js';

/**
 * "Signed in without opening the vault" judged in the correlate stage against the incident store
 * (DynamoDB through dynalite): openings recorded in earlier batches count, across sessions.
 */
const policy = new RegistryMatcher(
  parseRegistry(
    `accounts:
  - id: aws-prod-root
    cloud: aws
    match: { arn: "arn:aws:iam::111122223333:root" }
    credential: { stores: [{ secretsManager: prod/breakglass/root }], openingWindowHours: 2 }
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

async function world(): Promise<{ correlator: Correlator; repository: DynamoIncidentRepository }> {
  const tableName = `opening-${++tableCounter}`;
  await ensureTable(dynamo.client, tableName);
  const repository = new DynamoIncidentRepository(dynamo.client, tableName);
  return { correlator: new Correlator(repository, policy), repository };
}

/** A sign-in as detect reports it for an account with a declared store: both kinds on one event. */
function signIn(id: string, time: string, account = 'aws-prod-root') {
  return [
    finding({ id, time, kind: 'signin.success', account }),
    finding({ id, time, kind: 'signin.without-opening', account }),
  ];
}

describe('signin.without-opening in the correlate stage (DynamoDB)', () => {
  it('keeps the finding when no opening of the store was recorded', async () => {
    const { correlator, repository } = await world();
    await correlator.record(signIn('s1', '2026-11-20T10:00:00Z'));
    const [incident] = await repository.listIncidents();
    expect(incident?.detections).toContain('signin.without-opening');
    expect(incident?.severity).toBe('critical');
  });

  it('drops it when an opening was recorded in an earlier batch within the window (a session of its own)', async () => {
    const { correlator, repository } = await world();
    await correlator.record([finding({ id: 'o1', time: '2026-11-20T08:30:00Z', kind: 'credential.access' })]);
    await correlator.record(signIn('s1', '2026-11-20T10:00:00Z'));
    const incidents = await repository.listIncidents();
    expect(incidents.flatMap((i) => i.detections)).not.toContain('signin.without-opening');
    expect(incidents.flatMap((i) => i.detections)).toContain('signin.success');
  });

  it('drops it when the opening is in the same batch, keeps it when the opening is older than the window', async () => {
    const same = await world();
    await same.correlator.record([
      finding({ id: 'o1', time: '2026-11-20T09:55:00Z', kind: 'credential.access' }),
      ...signIn('s1', '2026-11-20T10:00:00Z'),
    ]);
    expect((await same.repository.listIncidents()).flatMap((i) => i.detections)).not.toContain(
      'signin.without-opening',
    );

    const stale = await world();
    await stale.correlator.record([finding({ id: 'o1', time: '2026-11-20T07:00:00Z', kind: 'credential.access' })]);
    await stale.correlator.record(signIn('s1', '2026-11-20T10:00:00Z'));
    const newest = (await stale.repository.listIncidents())[0];
    expect(newest?.detections).toContain('signin.without-opening');
  });

  it('sees every opening in the window, not only the latest: a sign-in delivered after a later opening is still judged', async () => {
    // No opening before the sign-in; one after it recorded first (the sign-in's log file came late).
    const late = await world();
    await late.correlator.record([finding({ id: 'o2', time: '2026-11-20T11:00:00Z', kind: 'credential.access' })]);
    await late.correlator.record(signIn('s1', '2026-11-20T10:00:00Z'));
    expect((await late.repository.listIncidents()).flatMap((i) => i.detections)).toContain('signin.without-opening');

    // An opening within the window before it, in an earlier bucket, and a later one recorded since.
    const covered = await world();
    await covered.correlator.record([finding({ id: 'o1', time: '2026-11-20T08:30:00Z', kind: 'credential.access' })]);
    await covered.correlator.record([finding({ id: 'o2', time: '2026-11-20T11:00:00Z', kind: 'credential.access' })]);
    await covered.correlator.record(signIn('s1', '2026-11-20T10:00:00Z'));
    expect((await covered.repository.listIncidents()).flatMap((i) => i.detections)).not.toContain(
      'signin.without-opening',
    );

    // Two openings in one bucket: the later one covers a sign-in in the next bucket, the earlier would not.
    const edge = await world();
    await edge.correlator.record([
      finding({ id: 'o1', time: '2026-11-20T08:10:00Z', kind: 'credential.access' }),
      finding({ id: 'o2', time: '2026-11-20T09:50:00Z', kind: 'credential.access' }),
    ]);
    await edge.correlator.record(signIn('s1', '2026-11-20T11:30:00Z'));
    expect((await edge.repository.listIncidents()).flatMap((i) => i.detections)).not.toContain(
      'signin.without-opening',
    );
    await edge.correlator.record(signIn('s2', '2026-11-20T12:10:00Z'));
    const s2 = (await edge.repository.listIncidents()).find((i) => i.events.some((e) => e.id.endsWith('s2')));
    expect(s2?.detections).toContain('signin.without-opening');
  });

  it('reads each bucket edge once for a batch of many sign-ins, and judges each sign-in as alone', async () => {
    const { repository } = await world();
    await new Correlator(repository, policy).record([
      finding({ id: 'o1', time: '2026-11-20T09:30:00Z', kind: 'credential.access' }),
    ]);
    const reads: string[] = [];
    const counting = Object.assign(Object.create(repository) as DynamoIncidentRepository, {
      loadAlias: (alias: string) => {
        reads.push(alias);
        return repository.loadAlias(alias);
      },
    });
    // Two hours a bucket: 10:00–11:20 is covered by the 09:30 opening until 11:30, 11:40 and 12:10 are not.
    const times = ['10:00', '10:40', '11:20', '11:40', '12:10'].map((t) => `2026-11-20T${t}:00Z`);
    await new Correlator(counting, policy).record(times.flatMap((t, i) => signIn(`s${i}`, t)));
    expect(new Set(reads).size).toBe(reads.length);
    const kept = (await repository.listIncidents())
      .flatMap((i) => i.events)
      .filter((e) => e.kinds.includes('signin.without-opening'))
      .map((e) => e.id);
    expect(kept.sort()).toEqual(['aws:s3', 'aws:s4']);
  });

  it('does not judge an account that declares no store', async () => {
    const { correlator, repository } = await world();
    await correlator.record(signIn('s1', '2026-11-20T10:00:00Z', 'other'));
    expect((await repository.listIncidents()).flatMap((i) => i.detections)).not.toContain('signin.without-opening');
  });
});
