import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFixtureJsonl } from '../../support/fixtures.js';
import { PagerDutyServer } from '../../support/vendor-servers/pagerduty.js';
import { CREDENTIALS } from '../responders/harness.js';
import { type LocalStack, lambdaContext, sqsEvent, sqsRecord, startLocalStack } from './support/stack.js';

/**
 * The act side end to end: a change the EventBridge ingest published → EventBridge event on the
 * responders' SQS queue → responders handler → a local PagerDuty Events API (loopback), with the
 * routing key read from Secrets Manager (stubbed) and the delivery ledger on dynalite.
 */

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

const secrets = mockClient(SecretsManagerClient);
let pagerDuty: PagerDutyServer;
/** While set, PagerDuty answers every event with this status (an outage). */
let outage: number | undefined;
/** The events PagerDuty accepted (the contract server validates each one). */
const requests = () => pagerDuty.received.filter((r) => r.status === 202).map((r) => ({ body: r.body }));
let stack: LocalStack;
let respond: (event: SQSEvent, context: ReturnType<typeof lambdaContext>) => Promise<SQSBatchResponse>;
let ingest: Handler;

const SIGN_IN = readFixtureJsonl<{ event: Record<string, unknown> }>(
  'aws/aws-docs-cc-by-sa/eventbridge_cloudtrail_examples.jsonl',
)[0]?.event;

beforeAll(async () => {
  pagerDuty = await new PagerDutyServer().start();
  pagerDuty.injector = () =>
    outage === undefined
      ? undefined
      : { kind: 'status', status: outage, body: '{"status":"unavailable","message":"Service Unavailable"}' };
  stack = await startLocalStack(`
accounts:
  - { id: docs-root, cloud: aws, match: { arn: "arn:aws:iam::123456789012:root" } }
responders:
  pagerduty:
    eventsUrl: ${pagerDuty.eventsUrl}
    routingKeySecret: { secretsManager: glasswatch/pagerduty, jsonKey: routingKey }
  retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 2000 }
`);
});
afterAll(async () => {
  secrets.restore();
  await stack?.close();
  await pagerDuty?.close();
});
beforeEach(async () => {
  pagerDuty.received.length = 0;
  outage = undefined;
  secrets.reset();
  secrets
    .on(GetSecretValueCommand, { SecretId: 'glasswatch/pagerduty' })
    .resolves({ SecretString: JSON.stringify({ routingKey: CREDENTIALS.routingKey }) });
  await stack.useFreshTables();
  ({ handler: ingest } = (await import('../../../functions/ingest/eventbridge.js')) as unknown as { handler: Handler });
  ({ handler: respond } = (await import('../../../functions/act/responders.js')) as unknown as {
    handler: typeof respond;
  });
});

/** The incident changes the ingest published, as the rule's SQS target delivers them (EventBridge event JSON). */
async function queuedChanges(): Promise<SQSEvent> {
  await ingest(SIGN_IN, lambdaContext());
  const changes = await stack.published();
  return sqsEvent(
    changes.map((change, i) =>
      sqsRecord(
        JSON.stringify({
          version: '0',
          id: `change-${i}`,
          'detail-type': change.detailType,
          source: 'glasswatch',
          account: '123456789012',
          time: new Date().toISOString(),
          region: 'us-east-1',
          resources: [],
          detail: change.detail,
        }),
        `change-${i}`,
      ),
    ),
  );
}

describe('responders handler', () => {
  it('pages once through PagerDuty with the routing key from Secrets Manager, and not again on redelivery', async () => {
    const batch = await queuedChanges();
    expect(batch.Records).toHaveLength(1);

    expect((await respond(batch, lambdaContext())).batchItemFailures).toEqual([]);
    expect(requests()).toHaveLength(1);
    expect(requests()[0]?.body).toMatchObject({ routing_key: CREDENTIALS.routingKey, event_action: 'trigger' });

    expect((await respond(batch, lambdaContext())).batchItemFailures).toEqual([]);
    expect(pagerDuty.received).toHaveLength(1);
    expect(pagerDuty.opened).toHaveLength(1);
  });

  it('returns the message to the queue while the vendor fails', async () => {
    outage = 503;
    const batch = await queuedChanges();
    expect((await respond(batch, lambdaContext())).batchItemFailures).toEqual([{ itemIdentifier: 'change-0' }]);
    outage = undefined;
    expect((await respond(batch, lambdaContext())).batchItemFailures).toEqual([]);
  });

  it('fails only the message that is not a Glasswatch incident change', async () => {
    const batch = await queuedChanges();
    batch.Records.push(sqsRecord('{"source":"aws.s3","detail-type":"Object Created","detail":{}}', 'stranger'));
    expect((await respond(batch, lambdaContext())).batchItemFailures).toEqual([{ itemIdentifier: 'stranger' }]);
    expect(requests()).toHaveLength(1);
  });

  it('keeps the message when the credential cannot be read, naming the secret and the AWS error', async () => {
    secrets.reset();
    secrets.on(GetSecretValueCommand).rejects(
      Object.assign(new Error('Secrets Manager cannot find the specified secret.'), {
        name: 'ResourceNotFoundException',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const batch = await queuedChanges();
    expect((await respond(batch, lambdaContext())).batchItemFailures).toEqual([{ itemIdentifier: 'change-0' }]);
    expect(pagerDuty.received).toEqual([]);
  });
});
