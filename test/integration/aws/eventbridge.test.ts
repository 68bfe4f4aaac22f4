import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { readFixtureJson, readFixtureJsonl } from '../../support/fixtures.js';
import { type LocalStack, lambdaContext, startLocalStack } from './support/stack.js';

/**
 * The EventBridge path in process: the AWS docs' EventBridge events (a root console sign-in without
 * MFA, a root CreateBucket) and cloud-custodian's captured envelopes → handler → dynalite → PutEvents.
 */

const REGISTRY = `
accounts:
  - { id: docs-root, cloud: aws, match: { arn: "arn:aws:iam::123456789012:root" } }
  - { id: docs-idc-user, cloud: aws, match: { userName: user1, accountId: "111122223333" } }
`;

type EventBridgeEvent = Record<string, unknown> & { id: string; 'detail-type': string };
type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<void>;

const DOCS_EVENTS = readFixtureJsonl<{ event: EventBridgeEvent }>(
  'aws/aws-docs-cc-by-sa/eventbridge_cloudtrail_examples.jsonl',
).map((row) => row.event);
const SIGN_IN = DOCS_EVENTS.find((e) => e['detail-type'] === 'AWS Console Sign In via CloudTrail') as EventBridgeEvent;
const CREATE_BUCKET = DOCS_EVENTS.find((e) => e['detail-type'] === 'AWS API Call via CloudTrail') as EventBridgeEvent;

let stack: LocalStack;
let handler: Handler;

beforeAll(async () => {
  stack = await startLocalStack(REGISTRY);
});
afterAll(async () => {
  await stack?.close();
});
beforeEach(async () => {
  await stack.useFreshTables();
  ({ handler } = (await import('../../../functions/ingest/eventbridge.js')) as unknown as { handler: Handler });
});

describe('eventbridge-ingest handler', () => {
  it('opens an incident for a root console sign-in without MFA and publishes it on the incident bus', async () => {
    await handler(SIGN_IN, lambdaContext());
    const [change, ...rest] = await stack.published();
    expect(rest).toEqual([]);
    expect(change?.detailType).toBe('Glasswatch Incident Opened');
    expect(change?.detail.kind).toBe('opened');
    expect(change?.detail.incident.account).toBe('docs-root');
    expect(change?.detail.incident.detections.sort()).toEqual(['signin.success', 'signin.without-mfa']);
    expect(change?.detail.newEvents.map((e) => e.origin)).toEqual([`eventbridge:us-east-1:${SIGN_IN.id}`]);
  });

  it('publishes nothing the second time the same event is delivered (EventBridge is at-least-once)', async () => {
    await handler(SIGN_IN, lambdaContext());
    await handler(SIGN_IN, lambdaContext());
    expect(await stack.published()).toHaveLength(1);
    const [incident] = await stack.repository().listIncidents();
    expect(incident?.events).toHaveLength(1);
  });

  it('closes the sign-in session and opens another for root activity weeks later', async () => {
    await handler(SIGN_IN, lambdaContext());
    await handler(CREATE_BUCKET, lambdaContext());
    expect((await stack.published()).map((p) => p.detailType)).toEqual([
      'Glasswatch Incident Opened',
      'Glasswatch Incident Closed',
      'Glasswatch Incident Opened',
    ]);
    const incidents = await stack.repository().listIncidents();
    expect(incidents.map((i) => [i.status, i.detections])).toEqual([
      ['open', ['activity']],
      ['closed', ['signin.success', 'signin.without-mfa']],
    ]);
  });

  it('reads the captured envelopes of cloud-custodian without error (none is break-glass: nothing published)', async () => {
    const envelope = readFixtureJson<EventBridgeEvent>('aws/cloud-custodian/event-cloud-trail-create-bucket.json');
    await handler(envelope, lambdaContext());
    expect(await stack.published()).toEqual([]);
  });

  it('skips and counts, never fails, a well-formed event of a kind not read (Insight, anomaly alert, EC2 state change)', async () => {
    const addMetric = vi.spyOn(Metrics.prototype, 'addMetric');
    try {
      for (const [detailType, source] of [
        ['AWS Insight via CloudTrail', 'aws.cloudtrail'],
        ['Sign-in Anomaly Alert', 'aws.signin'],
        ['EC2 Instance State-change Notification', 'aws.ec2'],
      ] as const) {
        addMetric.mockClear();
        const event = { ...SIGN_IN, source, 'detail-type': detailType, detail: { state: 'running' } };
        // Resolves: Lambda neither retries it nor sends it to the on-failure destination (the DLQ).
        await expect(handler(event, lambdaContext())).resolves.toBeUndefined();
        const counted = addMetric.mock.calls.filter(([name]) => name === 'RecordsSkipped').map(([, , n]) => n);
        expect(counted, detailType).toEqual([1]);
        expect(
          addMetric.mock.calls.some(([name]) => name === 'RecordErrors'),
          detailType,
        ).toBe(false);
      }
    } finally {
      addMetric.mockRestore();
    }
    expect(await stack.published()).toEqual([]);
  });

  it('opens an incident for the "AWS Console Signin via CloudTrail" spelling (EventBridge user guide)', async () => {
    await handler({ ...SIGN_IN, 'detail-type': 'AWS Console Signin via CloudTrail' }, lambdaContext());
    const [change] = await stack.published();
    expect(change?.detail.incident.detections.sort()).toEqual(['signin.success', 'signin.without-mfa']);
  });

  it('a failed Identity Center sign-in (the user guide "Failed CredentialVerification" flow) is never signed in', async () => {
    const flow = readFixtureJsonl<{ event: Record<string, unknown> }>(
      'aws/aws-docs-cc-by-sa/identity_center_signin_examples.jsonl',
    ).slice(12, 14);
    for (const [i, { event }] of flow.entries()) {
      const detail = { ...event, eventType: 'AwsServiceEvent' };
      const wrapped = {
        ...SIGN_IN,
        id: `idc-${i}`,
        source: 'aws.signin',
        'detail-type': 'AWS Service Event via CloudTrail',
        detail,
      };
      await handler(wrapped, lambdaContext());
    }
    const [incident] = await stack.repository().listIncidents();
    expect(incident?.account).toBe('docs-idc-user');
    expect([...(incident?.detections ?? [])].sort()).toEqual(['signin.attempt', 'signin.failure']);
    expect(incident?.events.map((e) => [e.action, e.outcome])).toEqual([
      ['CredentialChallenge', 'unknown'],
      ['CredentialVerification', 'failure'],
    ]);
  });

  it('fails (so Lambda retries, then dead-letters) a malformed event: detail not an object', async () => {
    await expect(handler({ ...SIGN_IN, detail: 'oops' }, lambdaContext())).rejects.toThrow(
      /no audit record could be read.*detail is "oops", expected an object/s,
    );
    expect(await stack.published()).toEqual([]);
  });

  it('fails an event that is not an EventBridge event at all', async () => {
    await expect(handler({ hello: 'world' }, lambdaContext())).rejects.toThrow();
    expect(await stack.published()).toEqual([]);
  });
});
