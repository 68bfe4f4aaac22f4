import { GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngestRuntime, detect, recordFindings } from '../../../shared/runtime/aws/ingest-runtime.js';
import { readFixtureJsonl } from '../../support/fixtures.js';
import { PagerDutyServer } from '../../support/vendor-servers/pagerduty.js';
import { type LocalStack, lambdaContext, startLocalStack } from '../aws/support/stack.js';
import { CREDENTIALS } from '../responders/harness.js';

/**
 * The scheduled heartbeat and compliance checks as Lambda runs them (functions/assure/*-check.ts):
 * configuration from the environment, the assurance store on dynalite, alerts to the PagerDuty
 * contract server, dead-letter queue depths from SQS (stubbed at SDK level: no local server exists).
 */

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;
const DLQ = 'https://sqs.us-east-1.amazonaws.com/123456789012/glasswatch-forwarder-dlq';

const SIGN_IN = readFixtureJsonl<{ event: unknown }>(
  'aws/aws-docs-cc-by-sa/cloudtrail_console_signin_examples.jsonl',
)[0]?.event;
const sqs = mockClient(SQSClient);
let stack: LocalStack;
let pagerDuty: PagerDutyServer;
let heartbeat: Handler;
let compliance: Handler;

beforeAll(async () => {
  pagerDuty = await new PagerDutyServer().start();
  stack = await startLocalStack(
    `
accounts:
  - { id: aws-anaya, cloud: aws, match: { arn: "arn:aws:iam::111122223333:user/anaya" } }
responders:
  pagerduty: { eventsUrl: "${pagerDuty.eventsUrl}", routingKey: ${CREDENTIALS.routingKey} }
  retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 2000 }
`,
    { GLASSWATCH_HEARTBEAT_SOURCES: 'cloudtrail-s3', GLASSWATCH_DEAD_LETTER_QUEUES: DLQ },
  );
  await stack.useFreshTables();
  ({ handler: heartbeat } = (await import('../../../functions/assure/heartbeat-check.js')) as unknown as {
    handler: Handler;
  });
  ({ handler: compliance } = (await import('../../../functions/assure/compliance-check.js')) as unknown as {
    handler: Handler;
  });
});
afterAll(async () => {
  sqs.restore();
  await stack?.close();
  await pagerDuty?.close();
});

const triggers = () =>
  pagerDuty.received
    .map((r) => r.body as { event_action?: string; payload?: { summary?: string } })
    .filter((b) => b.event_action === 'trigger')
    .map((b) => b.payload?.summary ?? '');

describe('heartbeat-check function', () => {
  it('pages a silent source once and a non-empty dead-letter queue on every run, then resolves what cleared', async () => {
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '3' } });
    sqs
      .on(ReceiveMessageCommand)
      .resolves({ Messages: [{ Attributes: { SentTimestamp: String(Date.now() - 60_000) } }] });
    expect(await heartbeat({}, lambdaContext())).toEqual({ opened: 2, resolved: 0, undelivered: 0 });
    const first = triggers();
    expect(first).toHaveLength(2);
    expect(first.some((s) => /^pipeline\.silent: CloudTrail log files \(S3\)/.test(s))).toBe(true);
    expect(first.some((s) => /glasswatch-forwarder-dlq/.test(s))).toBe(true);

    // Again: the silent source is not paged twice; the dead-letter queue pages again (repeat).
    expect(await heartbeat({}, lambdaContext())).toEqual({ opened: 0, resolved: 0, undelivered: 0 });
    const second = triggers().slice(first.length);
    expect(second).toHaveLength(1);
    expect(second[0]).toMatch(/glasswatch-forwarder-dlq/);

    // The queue drained: its alert resolves, the silent source stays open.
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '0' } });
    expect(await heartbeat({}, lambdaContext())).toEqual({ opened: 0, resolved: 1, undelivered: 0 });
    expect(pagerDuty.received.at(-1)?.body).toMatchObject({ event_action: 'resolve' });
  });
});

describe('compliance-check function', () => {
  it('alerts on a console sign-in without MFA (to the pager: no ticketing system here) once per period, however often it runs', async () => {
    // The documentation's console sign-in (MFAUsed: No), restamped to now, through the ingest runtime.
    const event = structuredClone(SIGN_IN) as { Records: Record<string, unknown>[] };
    for (const record of event.Records) record.eventTime = new Date(Date.now() - 3_600_000).toISOString();
    const ingest = createIngestRuntime();
    const { findings } = await detect(ingest, (p) => p.document(event, { location: 'test:sign-in' }));
    await recordFindings(ingest, findings);
    const sent = pagerDuty.received.length;
    const first = (await compliance({}, lambdaContext())) as { violations: number; undelivered: number };
    expect(first).toEqual({ violations: 1, undelivered: 0 });
    const ticket = pagerDuty.received.slice(sent).map((r) => r.body as { payload?: { summary?: string } });
    expect(ticket.map((t) => t.payload?.summary)).toEqual([
      expect.stringMatching(/^.*aws-anaya: last sign-in without MFA/),
    ]);
    expect(await compliance({}, lambdaContext())).toEqual({ violations: 1, undelivered: 0 });
    expect(pagerDuty.received.length).toBe(sent + 1); // the same (account, kind, period): not delivered twice
  });
});
