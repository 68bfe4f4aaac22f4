import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoIncidentRepository } from '../../../shared/adapters/dynamodb/incident-repository.js';
import { ensureTable, type LocalDynamo, startLocalDynamo } from '../../../shared/adapters/dynamodb/local-dynalite.js';
import { pageMessage } from '../../../shared/core/act/render/page.js';
import { buildTicket } from '../../../shared/core/act/render/ticket.js';
import { Correlator } from '../../../shared/core/correlate/correlator.js';
import { detect } from '../../../shared/core/detect/engine.js';
import type { AuditEvent } from '../../../shared/core/model/audit-event.js';
import type { Finding } from '../../../shared/core/model/finding.js';
import type { Incident } from '../../../shared/core/model/incident.js';
import type { RegistryMatcher } from '../../../shared/core/registry/index.js';
import { ROOT_ACCESS_EVENTS as R, rootRegistry } from '../../support/root-access.js';

/**
 * AWS centralized root access end to end on the real store: the AssumeRoot calls in the management
 * account and the privileged sessions' records in the member accounts, linked by the issued access key
 * into one incident per caller, in whatever order the log files arrive.
 */

let dynamo: LocalDynamo;
let tables = 0;
beforeAll(async () => {
  dynamo = await startLocalDynamo();
});
afterAll(async () => {
  await dynamo.close();
});

async function correlatorFor(matcher: RegistryMatcher) {
  const tableName = `root-links-${++tables}`;
  await ensureTable(dynamo.client, tableName);
  const repository = new DynamoIncidentRepository(dynamo.client, tableName);
  return { correlator: new Correlator(repository, matcher), repository };
}

const findingsOf = (matcher: RegistryMatcher, events: AuditEvent[]): Finding[] =>
  events.flatMap((event) => detect(event, matcher).findings);

const SWEEP = () => [
  R.assumeRoot222(),
  R.unlockBucket222(),
  R.assumeRoot333(),
  R.createLoginProfile333(),
  R.deniedAccessKey333(),
];

describe('privileged root sessions, linked by the issued access key', () => {
  it('makes one incident of a caller’s sweep over two member accounts: who, where, which policy, what it did', async () => {
    const matcher = rootRegistry();
    const { correlator, repository } = await correlatorFor(matcher);
    await correlator.record(findingsOf(matcher, SWEEP()));
    const incidents = await repository.listIncidents();
    expect(incidents).toHaveLength(1);
    const [incident] = incidents;
    expect(incident).toMatchObject({
      correlationKey: 'root-task:aws:arn:aws:sts::111111111111:assumed-role/john/johnrole1',
      account: 'member-roots',
      principal: 'arn:aws:sts::111111111111:assumed-role/John/JohnRole1',
      // account.change (CreateLoginProfile: root credentials back) is high; the sessions are high undeclared.
      severity: 'high',
    });
    expect(incident?.detections.sort()).toEqual(['account.change', 'root.privileged-task']);
    expect(incident?.events.map((e) => e.action)).toEqual([
      'AssumeRoot',
      'DeleteBucketPolicy',
      'AssumeRoot',
      'CreateLoginProfile',
      'CreateAccessKey',
    ]);
    const facts = Object.fromEntries(pageMessage(incident as Incident, 'opened').facts.map((f) => [f.label, f.value]));
    expect(facts['Privileged root sessions']).toBe(
      'arn:aws:sts::111111111111:assumed-role/John/JohnRole1 → member account 222222222222 under S3UnlockBucketPolicy; ' +
        'arn:aws:sts::111111111111:assumed-role/John/JohnRole1 → member account 333333333333 under IAMCreateRootUserPassword',
    );
    expect(facts.Flags).toContain(
      'outside task policy IAMCreateRootUserPassword: iam.amazonaws.com CreateAccessKey (333333333333)',
    );
    expect(facts.Flags).toContain('denied: iam.amazonaws.com CreateAccessKey (AccessDenied');
    expect(facts.Flags).not.toContain('DeleteBucketPolicy');
    // The ticket's timeline says "denied", not just "failure".
    const timeline = buildTicket(incident as Incident).blocks.find((b) => b.type === 'table');
    expect(timeline?.type === 'table' && timeline.rows.map((row) => row[3])).toEqual([
      'success',
      'success',
      'success',
      'success',
      'denied',
    ]);
  });

  it('takes the severity the registry gives the AssumeRoot: medium for a declared caller and policy, critical otherwise', async () => {
    const declared = rootRegistry(
      '{ allowedCallers: ["arn:aws:iam::111111111111:role/John"], taskPolicies: [S3UnlockBucketPolicy] }',
    );
    const first = await correlatorFor(declared);
    await first.correlator.record(findingsOf(declared, [R.assumeRoot222(), R.unlockBucket222()]));
    // The session record alone would be critical (its caller unknown); linked, it is the AssumeRoot's medium.
    expect((await first.repository.listIncidents()).map((i) => i.severity)).toEqual(['medium']);

    const second = await correlatorFor(declared);
    await second.correlator.record(findingsOf(declared, [R.assumeRoot333()]));
    expect((await second.repository.listIncidents()).map((i) => i.severity)).toEqual(['critical']);
  });

  it('links session records delivered in a later batch (another account’s log file) to the caller’s incident', async () => {
    const matcher = rootRegistry();
    const { correlator, repository } = await correlatorFor(matcher);
    await correlator.record(findingsOf(matcher, [R.assumeRoot222(), R.assumeRoot333()]));
    const later = await correlator.record(findingsOf(matcher, [R.createLoginProfile333(), R.unlockBucket222()]));
    expect(later.map((c) => c.kind)).toEqual(['extended']);
    const incidents = await repository.listIncidents();
    expect(incidents).toHaveLength(1);
    expect(incidents[0]?.events).toHaveLength(4);
  });

  it('joins an AssumeRoot that arrives after its session’s records to the incident they opened', async () => {
    const matcher = rootRegistry();
    const { correlator, repository } = await correlatorFor(matcher);
    await correlator.record(findingsOf(matcher, [R.unlockBucket222()]));
    const [alone] = await repository.listIncidents();
    expect(alone?.correlationKey).toBe('root-key:ASIAIOSFODNN7EXAMPLE');
    await correlator.record(findingsOf(matcher, [R.assumeRoot222()]));
    const incidents = await repository.listIncidents();
    expect(incidents).toHaveLength(1);
    expect(incidents[0]?.events.map((e) => e.action)).toEqual(['AssumeRoot', 'DeleteBucketPolicy']);
    // A redelivery of everything changes nothing.
    expect(await correlator.record(findingsOf(matcher, [R.assumeRoot222(), R.unlockBucket222()]))).toEqual([]);
  });
});
