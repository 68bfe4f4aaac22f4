import { CloudTrailClient, LookupEventsCommand, type LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IDENTITY_REGISTRY, type IdentityShape, identityRecord } from '../../support/identity-shapes.js';
import {
  type LocalStack,
  lambdaContext,
  s3Notification,
  sqsEvent,
  sqsRecord,
  startLocalStack,
} from './support/stack.js';
import { logFile, trailKey } from './support/trail-records.js';

/**
 * Role sessions and changes to an IAM user registered by ARN, through the three AWS Lambda paths:
 * EventBridge events, an S3 log file, and the sweeper's event-history lookups (LookupEvents stubbed:
 * no local server exists), each on dynalite. Records are the documentation-written identity shapes.
 */

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;
const ROLE_FLOW: IdentityShape[] = ['assume-role-mfa', 'role-session-activity'];

let stack: LocalStack;
const cloudTrail = mockClient(CloudTrailClient);

beforeAll(async () => {
  stack = await startLocalStack(IDENTITY_REGISTRY, {
    GLASSWATCH_SWEEP_REGIONS: 'us-east-1',
    GLASSWATCH_SWEEP_CALL_INTERVAL_MS: '0',
  });
});
afterAll(async () => {
  cloudTrail.restore();
  await stack?.close();
});
beforeEach(async () => {
  process.env.GLASSWATCH_SWEEP_REGIONS = 'us-east-1';
  await stack.useFreshTables();
});

async function incidents() {
  return (await stack.repository().listIncidents()).map((i) => ({
    account: i.account,
    principal: i.principal,
    detections: [...i.detections].sort(),
    actions: i.events.map((e) => e.action),
  }));
}

const EXPECTED = [
  {
    account: 'bg-role',
    principal: 'arn:aws:sts::111122223333:assumed-role/BreakGlass/JohnDoe-breakglass (assumed by JohnDoe)',
    detections: ['activity', 'signin.success'],
    actions: ['AssumeRole', 'CreateUser'],
  },
  { account: 'bg-user', principal: 'ops-admin', detections: ['account.change'], actions: ['CreateAccessKey'] },
];

describe('identity resolution in the Lambda paths', () => {
  it('EventBridge: a role sign-in and its session’s call form one incident; a key added to the user is another', async () => {
    const { handler } = (await import('../../../functions/ingest/eventbridge.js')) as unknown as { handler: Handler };
    for (const name of [...ROLE_FLOW, 'create-access-key-for-user'] as const) {
      const record = identityRecord(name);
      await handler(
        {
          version: '0',
          id: `eb-${name}`,
          'detail-type': 'AWS API Call via CloudTrail',
          source: `aws.${String(record.eventSource).split('.')[0]}`,
          account: String(record.recipientAccountId),
          time: String(record.eventTime),
          region: 'us-east-1',
          resources: [],
          detail: record,
        },
        lambdaContext(),
      );
    }
    expect(await incidents()).toEqual(expect.arrayContaining(EXPECTED));
    expect(await incidents()).toHaveLength(2);
  });

  it('S3: the same records in one trail log file, among records of an unregistered role', async () => {
    const { handler } = (await import('../../../functions/ingest/s3-log-files.js')) as unknown as {
      handler: (event: SQSEvent, context: ReturnType<typeof lambdaContext>) => Promise<SQSBatchResponse>;
    };
    const other = identityRecord('role-session-activity');
    other.eventID = 'other-role-call';
    other.userIdentity = {
      ...(other.userIdentity as object),
      arn: 'arn:aws:sts::111122223333:assumed-role/Developer/alice',
      sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::111122223333:role/Developer' } },
    };
    const records = [...ROLE_FLOW, 'create-access-key-for-user' as const].map(identityRecord);
    const key = trailKey('111122223333', 'identity');
    await stack.s3.put(stack.bucket, key, logFile([other, ...records]));
    const response = await handler(
      sqsEvent([sqsRecord(s3Notification(stack.bucket, key, 'seq-1'), 'm-1')]),
      lambdaContext(),
    );
    expect(response.batchItemFailures).toEqual([]);
    expect(await incidents()).toEqual(expect.arrayContaining(EXPECTED));
    expect(await incidents()).toHaveLength(2);
  });

  it('sweeper: finds the AssumeRole by the role’s ARN, then what the session did by its access key', async () => {
    const asked: string[] = [];
    cloudTrail.reset();
    cloudTrail.on(LookupEventsCommand).callsFake(async (input: LookupEventsCommandInput) => {
      const [attribute] = input.LookupAttributes ?? [];
      const query = `${attribute?.AttributeKey}=${attribute?.AttributeValue}`;
      asked.push(query);
      const answer: Record<string, IdentityShape> = {
        'ResourceName=arn:aws:iam::111122223333:role/ops/BreakGlass': 'assume-role-mfa',
        'AccessKeyId=ASIAQRSTUVWXYZBGSESS': 'role-session-activity',
        'Username=BreakGlassUser': 'create-access-key-for-user',
      };
      const name = answer[query];
      if (!name) return { Events: [] };
      const record = identityRecord(name);
      return { Events: [{ EventId: String(record.eventID), CloudTrailEvent: JSON.stringify(record) }] };
    });
    const { handler } = (await import('../../../functions/ingest/sweeper.js')) as unknown as { handler: Handler };
    await handler({}, lambdaContext());
    expect(asked).toContain('ResourceName=arn:aws:iam::111122223333:role/ops/BreakGlass');
    expect(asked.at(-1)).toBe('AccessKeyId=ASIAQRSTUVWXYZBGSESS');
    expect(await incidents()).toEqual(expect.arrayContaining([EXPECTED[0]]));
  });
});
