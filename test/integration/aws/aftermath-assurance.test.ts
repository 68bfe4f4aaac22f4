import { gzipSync } from 'node:zlib';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { RotateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoAssuranceStore } from '../../../shared/adapters/dynamodb/assurance-store.js';
import { DynamoRotationWatchStore } from '../../../shared/adapters/dynamodb/rotation-watch-store.js';
import { TRIGGER_SOURCE } from '../../../shared/core/act/aftermath/types.js';
import { drillEvent, newDrillId } from '../../../shared/core/assure/drill/record.js';
import type { RotationWatch } from '../../../shared/core/ports/rotation-watch-store.js';
import { parseRegistry } from '../../../shared/core/registry/index.js';
import { ROTATION_EVIDENCE_DETAIL_TYPE } from '../../../shared/runtime/aws/rotation-evidence.js';
import { readFixtureJson } from '../../support/fixtures.js';
import { PagerDutyServer } from '../../support/vendor-servers/pagerduty.js';
import { CREDENTIALS } from '../responders/harness.js';
import {
  type LocalStack,
  lambdaContext,
  s3Notification,
  sqsEvent,
  sqsRecord,
  startLocalStack,
} from './support/stack.js';
import { trailKey } from './support/trail-records.js';

/**
 * The aftermath and the assurance on the AWS functions, on the local stand-in of the stack: drill events
 * are believed only from the EventBridge ingest function, every ingest batch leaves a heartbeat in
 * DynamoDB, rotation evidence travels from ingest over the incident bus to the responders, and a fired
 * one-time schedule (its input on the responders' queue) requests the rotation.
 */

const ROOT_ARN = 'arn:aws:iam::123456789012:root';
const ROTATED_USER = 'stratus-red-team-update-login-profile-user';
type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;
type Record_ = Record<string, unknown>;

/** A real UpdateLoginProfile (Stratus Red Team, privilege-escalation.iam-update-user-login-profile). */
const UPDATE_LOGIN_PROFILE = (
  readFixtureJson<Record_[] | { Records: Record_[] }>(
    'aws/stratus-red-team/aws.privilege-escalation.iam-update-user-login-profile.json',
  ) as Record_[]
)
  .concat([])
  .find((r) => r.eventName === 'UpdateLoginProfile') as Record_;

const secrets = mockClient(SecretsManagerClient);
let pagerDuty: PagerDutyServer;
let stack: LocalStack;
let ingest: Handler;
let respond: Handler;

beforeAll(async () => {
  pagerDuty = await new PagerDutyServer().start();
  stack = await startLocalStack(`
accounts:
  - { id: aws-prod-root, cloud: aws, match: { arn: "${ROOT_ARN}" } }
  - id: bg-console-user
    cloud: aws
    match: { arn: "arn:aws:iam::763751499319:user/${ROTATED_USER}" }
    rotation: { secretId: glasswatch-breakglass/console-user }
responders:
  pagerduty: { eventsUrl: "${pagerDuty.eventsUrl}", routingKey: ${CREDENTIALS.routingKey} }
  retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 2000 }
  rotation: { aws: { region: us-east-1 } }
`);
});
afterAll(async () => {
  secrets.restore();
  await stack?.close();
  await pagerDuty?.close();
});
// Every page the Lambda path sent was one PagerDuty accepts (the contract server validates each event).
afterEach(() => {
  const refused = pagerDuty.received.filter((r) => r.status !== 202);
  pagerDuty.received.length = 0;
  expect(refused.map((r) => r.raw)).toEqual([]);
});
beforeEach(async () => {
  secrets.reset();
  await stack.useFreshTables();
  ({ handler: ingest } = (await import('../../../functions/ingest/eventbridge.js')) as unknown as { handler: Handler });
  ({ handler: respond } = (await import('../../../functions/act/responders.js')) as unknown as { handler: Handler });
});

const assurance = () => new DynamoAssuranceStore(stack.dynamo.client, stack.tableName);
const watches = () => new DynamoRotationWatchStore(stack.dynamo.client, stack.tableName);

function rootDrillEvent() {
  const account = parseRegistry(
    `accounts:\n  - { id: aws-prod-root, cloud: aws, match: { arn: "${ROOT_ARN}" } }\n`,
    'x.yaml',
  ).accounts[0];
  // As the drill function puts it on the ingest bus; EventBridge delivers the same document.
  return drillEvent(account as NonNullable<typeof account>, { drillId: newDrillId(), now: new Date() });
}

/** The CloudTrail record as the regional forwarder's rule delivers it. */
function apiCall(record: Record_, id: string) {
  return {
    version: '0',
    id,
    source: 'aws.iam',
    'detail-type': 'AWS API Call via CloudTrail',
    account: '763751499319',
    region: 'us-east-1',
    time: record.eventTime,
    resources: [],
    detail: record,
  };
}

function pendingWatch(overrides: Partial<RotationWatch>): RotationWatch {
  const sessionEnd = '2024-08-28T09:00:00.000Z';
  return {
    incidentId: 'inc-rotation-1',
    account: 'bg-console-user',
    cloud: 'aws',
    drill: false,
    reason: 'session-ended',
    immediate: false,
    principal: ROTATED_USER,
    dueAt: sessionEnd,
    since: sessionEnd,
    deadlineAt: '2099-01-01T00:00:00.000Z',
    evidence: [{ kind: 'aws.iam-user-password', userName: ROTATED_USER, accountId: '763751499319' }],
    executors: {},
    status: 'open',
    updatedAt: sessionEnd,
    revision: 0,
    ...overrides,
  };
}

describe('drill transport', () => {
  it('opens a drill incident from the EventBridge ingest function, and no heartbeat moves for it', async () => {
    await ingest(rootDrillEvent(), lambdaContext());
    const [incident] = await stack.repository().listHeads();
    expect(incident).toMatchObject({ drill: true, severity: 'low', account: 'aws-prod-root' });
    expect(await assurance().listHeartbeats()).toEqual([]);
  });

  it('rejects the same document read from an S3 object: no incident, the message fails', async () => {
    const { handler } = (await import('../../../functions/ingest/s3-log-files.js')) as unknown as {
      handler: (e: SQSEvent, c: ReturnType<typeof lambdaContext>) => Promise<SQSBatchResponse>;
    };
    const key = trailKey('123456789012', 'drill');
    await stack.s3.put(stack.bucket, key, gzipSync(JSON.stringify(rootDrillEvent())));
    const result = await handler(
      sqsEvent([sqsRecord(s3Notification(stack.bucket, key, 'seq-1'), 'm-1')]),
      lambdaContext(),
    );
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect(await stack.repository().listHeads()).toEqual([]);
    expect(await stack.repository().listIncidents()).toEqual([]);
    // The rejected drill is counted against the S3 path's errors.
    const [counts] = await assurance().errorCounts(Date.now() - 3_600_000);
    expect(counts).toMatchObject({ source: 'cloudtrail-s3', recordErrors: 1 });
  });
});

describe('heartbeats', () => {
  it('records the newest event time per source and Region after an EventBridge batch, read back from DynamoDB', async () => {
    await ingest(apiCall(UPDATE_LOGIN_PROFILE, 'evt-1'), lambdaContext());
    const beats = await assurance().listHeartbeats();
    expect(beats).toMatchObject([
      {
        source: 'cloudtrail-eventbridge',
        region: UPDATE_LOGIN_PROFILE.awsRegion,
        lastSeenMs: Date.parse(String(UPDATE_LOGIN_PROFILE.eventTime)),
      },
    ]);
  });

  it('records cloudtrail-s3 after a log file', async () => {
    const { handler } = (await import('../../../functions/ingest/s3-log-files.js')) as unknown as {
      handler: (e: SQSEvent, c: ReturnType<typeof lambdaContext>) => Promise<SQSBatchResponse>;
    };
    const key = trailKey('763751499319', 'beat');
    await stack.s3.put(stack.bucket, key, gzipSync(JSON.stringify({ Records: [UPDATE_LOGIN_PROFILE] })));
    await handler(sqsEvent([sqsRecord(s3Notification(stack.bucket, key, 'seq-2'), 'm-2')]), lambdaContext());
    expect(await assurance().listHeartbeats()).toMatchObject([{ source: 'cloudtrail-s3', region: '-' }]);
  });
});

describe('rotation evidence', () => {
  it('is published on the incident bus without raw, times intact, and proves the watch in the responders', async () => {
    await watches().compareAndSet(pendingWatch({ requestedAt: '2024-08-28T09:01:00.000Z' }), undefined);
    await ingest(apiCall(UPDATE_LOGIN_PROFILE, 'evt-2'), lambdaContext());

    const entries = stack.eventBridge
      .commandCalls(PutEventsCommand)
      .flatMap((c) => c.args[0].input.Entries ?? [])
      .filter((e) => e.DetailType === ROTATION_EVIDENCE_DETAIL_TYPE);
    expect(entries).toHaveLength(1);
    const detail = JSON.parse(entries[0]?.Detail ?? '{}') as Record_;
    expect(entries[0]).toMatchObject({ Source: 'glasswatch', EventBusName: 'glasswatch-incidents' });
    expect(detail).not.toHaveProperty('raw');
    expect(detail).toMatchObject({
      action: 'UpdateLoginProfile',
      time: '2024-08-28T09:54:40.000Z',
      timeMs: Date.parse('2024-08-28T09:54:40Z'),
    });

    // As the incident-change rule's SQS target delivers it.
    const message = { version: '0', id: 'ev-1', source: 'glasswatch', 'detail-type': entries[0]?.DetailType, detail };
    const result = (await respond(
      sqsEvent([sqsRecord(JSON.stringify(message), 'evidence-1')]),
      lambdaContext(),
    )) as SQSBatchResponse;
    expect(result.batchItemFailures).toEqual([]);
    expect(await watches().get('inc-rotation-1')).toMatchObject({
      status: 'seen',
      seen: { eventId: detail.id, time: '2024-08-28T09:54:40.000Z', action: 'iam.amazonaws.com UpdateLoginProfile' },
    });
  });

  it('fails only a malformed evidence message', async () => {
    const bad = { source: 'glasswatch', 'detail-type': ROTATION_EVIDENCE_DETAIL_TYPE, detail: { id: 'x' } };
    const result = (await respond(
      sqsEvent([sqsRecord(JSON.stringify(bad), 'bad-1')]),
      lambdaContext(),
    )) as SQSBatchResponse;
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'bad-1' }]);
  });
});

describe('aftermath triggers and the periodic run', () => {
  it('a fired rotation schedule on the queue requests the rotation (RotateSecret) and marks the watch requested', async () => {
    secrets
      .on(RotateSecretCommand)
      .resolves({ ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x', VersionId: 'v2' });
    await watches().compareAndSet(
      pendingWatch({ executors: { secretId: 'glasswatch-breakglass/console-user' } }),
      undefined,
    );
    const trigger = {
      source: TRIGGER_SOURCE,
      version: 1,
      task: 'rotation',
      incidentId: 'inc-rotation-1',
      dueAt: '2024-08-28T09:00:00.000Z',
    };
    const result = (await respond(
      sqsEvent([sqsRecord(JSON.stringify(trigger), 'trigger-1')]),
      lambdaContext(),
    )) as SQSBatchResponse;
    expect(result.batchItemFailures).toEqual([]);
    expect(secrets.commandCalls(RotateSecretCommand).map((c) => c.args[0].input.SecretId)).toEqual([
      'glasswatch-breakglass/console-user',
    ]);
    expect((await watches().get('inc-rotation-1'))?.requestedAt).toEqual(expect.any(String));
  });

  it('returns a trigger to the queue while the rotation cannot be requested', async () => {
    secrets
      .on(RotateSecretCommand)
      .rejects(
        Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 429 } }),
      );
    await watches().compareAndSet(
      pendingWatch({ executors: { secretId: 'glasswatch-breakglass/console-user' } }),
      undefined,
    );
    const trigger = {
      source: TRIGGER_SOURCE,
      version: 1,
      task: 'rotation',
      incidentId: 'inc-rotation-1',
      dueAt: '2024-08-28T09:00:00.000Z',
    };
    const result = (await respond(
      sqsEvent([sqsRecord(JSON.stringify(trigger), 'trigger-2')]),
      lambdaContext(),
    )) as SQSBatchResponse;
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'trigger-2' }]);
    expect((await watches().get('inc-rotation-1'))?.requestedAt).toBeUndefined();
  });

  it('the periodic input runs due rotations and overdue checks', async () => {
    secrets.on(RotateSecretCommand).resolves({ VersionId: 'v2' });
    await watches().compareAndSet(
      pendingWatch({ executors: { secretId: 'glasswatch-breakglass/console-user' } }),
      undefined,
    );
    const result = (await respond({ aftermath: 'periodic' }, lambdaContext())) as { totals: Record<string, number> };
    expect(result.totals).toMatchObject({ failed: 0, pending: 0 });
    expect(result.totals.delivered).toBeGreaterThan(0);
    expect(secrets.commandCalls(RotateSecretCommand)).toHaveLength(1);
  });
});
