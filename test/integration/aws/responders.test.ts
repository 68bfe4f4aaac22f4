import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFixtureJsonl } from '../../support/fixtures.js';
import { type LocalStack, lambdaContext, sqsEvent, sqsRecord, startLocalStack } from './support/stack.js';

/**
 * The act side end to end: a change the EventBridge ingest published → EventBridge event on the
 * responders' SQS queue → responders handler → a local PagerDuty Events API (loopback), with the
 * routing key read from Secrets Manager (stubbed) and the delivery ledger on dynalite.
 */

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

const secrets = mockClient(SecretsManagerClient);
let pagerDuty: Server;
let requests: { body: Record<string, unknown> }[] = [];
let answer = 202;
let stack: LocalStack;
let respond: (event: SQSEvent, context: ReturnType<typeof lambdaContext>) => Promise<SQSBatchResponse>;
let ingest: Handler;

const SIGN_IN = readFixtureJsonl<{ event: Record<string, unknown> }>(
  'aws/aws-docs-cc-by-sa/eventbridge_cloudtrail_examples.jsonl',
)[0]?.event;

beforeAll(async () => {
  pagerDuty = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      requests.push({ body: JSON.parse(text) as Record<string, unknown> });
      res
        .writeHead(answer, { 'content-type': 'application/json' })
        .end('{"status":"success","message":"Event processed"}');
    });
  });
  await new Promise<void>((resolve) => pagerDuty.listen(0, '127.0.0.1', resolve));
  const { port } = pagerDuty.address() as AddressInfo;
  stack = await startLocalStack(`
accounts:
  - { id: docs-root, cloud: aws, match: { arn: "arn:aws:iam::123456789012:root" } }
responders:
  pagerduty:
    eventsUrl: http://127.0.0.1:${port}/v2/enqueue
    routingKeySecret: { secretsManager: glasswatch/pagerduty, jsonKey: routingKey }
  retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 2000 }
`);
});
afterAll(async () => {
  secrets.restore();
  await stack?.close();
  await new Promise<void>((resolve) => pagerDuty.close(() => resolve()));
});
beforeEach(async () => {
  requests = [];
  answer = 202;
  secrets.reset();
  secrets
    .on(GetSecretValueCommand, { SecretId: 'glasswatch/pagerduty' })
    .resolves({ SecretString: '{"routingKey":"R0UT1NGKEY"}' });
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
    expect(requests).toHaveLength(1);
    expect(requests[0]?.body).toMatchObject({ routing_key: 'R0UT1NGKEY', event_action: 'trigger' });

    expect((await respond(batch, lambdaContext())).batchItemFailures).toEqual([]);
    expect(requests).toHaveLength(1);
  });

  it('returns the message to the queue while the vendor fails', async () => {
    answer = 503;
    const batch = await queuedChanges();
    expect((await respond(batch, lambdaContext())).batchItemFailures).toEqual([{ itemIdentifier: 'change-0' }]);
    answer = 202;
    expect((await respond(batch, lambdaContext())).batchItemFailures).toEqual([]);
  });

  it('fails only the message that is not a Glasswatch incident change', async () => {
    const batch = await queuedChanges();
    batch.Records.push(sqsRecord('{"source":"aws.s3","detail-type":"Object Created","detail":{}}', 'stranger'));
    expect((await respond(batch, lambdaContext())).batchItemFailures).toEqual([{ itemIdentifier: 'stranger' }]);
    expect(requests).toHaveLength(1);
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
    expect(requests).toEqual([]);
  });
});
