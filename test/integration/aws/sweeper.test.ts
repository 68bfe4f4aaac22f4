import { CloudTrailClient, LookupEventsCommand, type LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalStack, lambdaContext, startLocalStack } from './support/stack.js';
import { recordsOf, STRATUS, type TrailRecord } from './support/trail-records.js';

/**
 * The sweeper in process against a stubbed CloudTrail LookupEvents (no local server exists): event
 * history answers with the real Stratus records (as `CloudTrailEvent` JSON strings, two pages), the
 * correlator runs on dynalite.
 */

const SESSION_ARN = 'arn:aws:iam::056392974792:user/christophe';
const REGISTRY = `
accounts:
  - { id: bg-user, cloud: aws, match: { userName: christophe, accountId: "056392974792" } }
  - { id: bg-root, cloud: aws, match: { arn: "arn:aws:iam::056392974792:root" } }
  - { id: bg-pattern, cloud: aws, match: { arn: "arn:aws:sts::056392974792:assumed-role/BreakGlass/*" } }
`;

const session = recordsOf(SESSION_ARN);
const stopLogging = STRATUS.find((r) => r.eventName === 'StopLogging') as TrailRecord;

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<void>;

let stack: LocalStack;
let handler: Handler;
const cloudTrail = mockClient(CloudTrailClient);
const calls: { region: string; input: LookupEventsCommandInput }[] = [];

/** Event history: two pages for the user, StopLogging by name; eu-west-1 is a Region the account has not enabled. */
function answerLookups(): void {
  cloudTrail.reset();
  calls.length = 0;
  cloudTrail
    .on(LookupEventsCommand)
    .callsFake(async (input: LookupEventsCommandInput, getClient: () => CloudTrailClient) => {
      const region = await getClient().config.region();
      calls.push({ region, input });
      if (region === 'eu-west-1') {
        throw Object.assign(new Error('The security token included in the request is invalid'), {
          name: 'UnrecognizedClientException',
          $metadata: { httpStatusCode: 403 },
        });
      }
      const [attribute] = input.LookupAttributes ?? [];
      const toEvent = (r: TrailRecord) => ({
        EventId: r.eventID,
        EventName: String(r.eventName),
        CloudTrailEvent: JSON.stringify(r),
      });
      if (attribute?.AttributeKey === 'Username' && attribute.AttributeValue === 'christophe') {
        return input.NextToken
          ? { Events: session.slice(30).map(toEvent) }
          : { Events: session.slice(0, 30).map(toEvent), NextToken: 'page-2' };
      }
      if (attribute?.AttributeKey === 'EventName' && attribute.AttributeValue === 'StopLogging')
        return { Events: [toEvent(stopLogging)] };
      return { Events: [] };
    });
}

beforeAll(async () => {
  stack = await startLocalStack(REGISTRY, {
    GLASSWATCH_SWEEP_REGIONS: 'us-east-1',
    GLASSWATCH_SWEEP_CALL_INTERVAL_MS: '0',
  });
});
afterAll(async () => {
  cloudTrail.restore();
  await stack?.close();
});
beforeEach(async () => {
  answerLookups();
  process.env.GLASSWATCH_SWEEP_REGIONS = 'us-east-1';
  await stack.useFreshTables();
  ({ handler } = (await import('../../../functions/ingest/sweeper.js')) as unknown as { handler: Handler });
});

describe('sweeper handler', () => {
  it('looks up each registry principal and each tamper action with one attribute per call, over the trailing window', async () => {
    const before = Date.now();
    await handler({}, lambdaContext());
    const attributes = calls.map((c) => c.input.LookupAttributes ?? []);
    expect(attributes.every((a) => a.length === 1)).toBe(true);
    const asked = attributes.map(([a]) => `${a?.AttributeKey}=${a?.AttributeValue}`);
    expect(asked).toContain('Username=christophe');
    expect(asked).toContain('Username=root');
    expect(asked).toContain('EventName=StopLogging');
    expect(asked).toContain('EventName=AssumeRoot');
    const { StartTime, EndTime } = calls[0]?.input ?? {};
    expect(Number(EndTime) - Number(StartTime)).toBe(90 * 60_000);
    expect(Number(EndTime)).toBeGreaterThanOrEqual(before);
  });

  it('records the break-glass session and the tampering it finds, reading both pages', async () => {
    await handler({}, lambdaContext());
    const incidents = await stack.repository().listIncidents();
    const user = incidents.find((i) => i.account === 'bg-user');
    expect(user?.events).toHaveLength(session.length);
    const tamper = incidents.find((i) => i.detections.includes('audit.tamper'));
    expect(tamper?.events.map((e) => e.action)).toEqual(['StopLogging']);
    expect((await stack.published()).map((p) => p.detailType)).toEqual([
      'Glasswatch Incident Opened',
      'Glasswatch Incident Opened',
    ]);
  });

  it('merges with what already arrived: a second sweep over the same window changes nothing', async () => {
    await handler({}, lambdaContext());
    const published = (await stack.published()).length;
    await handler({ windowMinutes: 240 }, lambdaContext());
    expect(await stack.published()).toHaveLength(published);
    const { StartTime, EndTime } = calls.at(-1)?.input ?? {};
    expect(Number(EndTime) - Number(StartTime)).toBe(240 * 60_000);
  });

  it('records what the reachable Regions returned, then fails naming the Region that could not be swept', async () => {
    process.env.GLASSWATCH_SWEEP_REGIONS = 'us-east-1,eu-west-1';
    await stack.useFreshTables();
    ({ handler } = (await import('../../../functions/ingest/sweeper.js')) as unknown as { handler: Handler });
    await expect(handler({}, lambdaContext())).rejects.toThrow(
      /eu-west-1 \(Username=christophe\): UnrecognizedClientException \(HTTP 403\)/,
    );
    expect((await stack.repository().listIncidents()).some((i) => i.account === 'bg-user')).toBe(true);
    expect((await stack.published()).length).toBeGreaterThan(0);
  });

  it('refuses a window beyond the 90 days event history keeps', async () => {
    await expect(handler({ windowMinutes: 91 * 24 * 60 }, lambdaContext())).rejects.toThrow();
    expect(calls).toEqual([]);
  });
});
