import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IncidentChangeDetail } from '../../../shared/adapters/aws/eventbridge-publisher.js';
import { DynamoDeliveryLedger } from '../../../shared/adapters/dynamodb/delivery-ledger.js';
import { createObservability, METRIC } from '../../../shared/runtime/aws/observability.js';
import { createResponderRuntime, type ResponderRuntime } from '../../../shared/runtime/aws/responders.js';
import { readFixtureJsonl } from '../../support/fixtures.js';
import { PagerDutyServer } from '../../support/vendor-servers/pagerduty.js';
import { type LocalStack, lambdaContext, sqsEvent, sqsRecord, startLocalStack } from './support/stack.js';

/**
 * What the responders believe, end to end on dynalite and the PagerDuty contract server: only incident
 * changes that match the stored incident (a forged change is refused and counted), only ledger records
 * they sealed themselves (a pre-written "delivered" record does not silence the page), and a redriven
 * message tries a failed page once more (401 → dead-letter → credential fixed → redrive → one page).
 */

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

const GOOD_KEY = 'R0UT1NGKEYR0UT1NGKEYR0UT1NGKEY00';
const BAD_KEY = 'WR0NGKEYWR0NGKEYWR0NGKEYWR0NGKEY';
const LEDGER_SECRET = 'glasswatch-test/ledger-key';
const SIGN_IN = readFixtureJsonl<{ event: Record<string, unknown> }>(
  'aws/aws-docs-cc-by-sa/eventbridge_cloudtrail_examples.jsonl',
)[0]?.event;

const secrets = mockClient(SecretsManagerClient);
let routingKey = GOOD_KEY;
let pagerDuty: PagerDutyServer;
let stack: LocalStack;
let ingest: Handler;

beforeAll(async () => {
  pagerDuty = await new PagerDutyServer().start();
  // PagerDuty refuses an unknown integration key; the contract server plays that for BAD_KEY.
  pagerDuty.injector = (request) =>
    (request.body as { routing_key?: string } | undefined)?.routing_key === BAD_KEY
      ? { kind: 'status', status: 401, body: '{"status":"unauthorized"}' }
      : undefined;
  stack = await startLocalStack(
    `
accounts:
  - { id: docs-root, cloud: aws, match: { arn: "arn:aws:iam::123456789012:root" } }
responders:
  pagerduty:
    eventsUrl: ${pagerDuty.eventsUrl}
    routingKeySecret: { secretsManager: glasswatch/pagerduty, jsonKey: routingKey }
  retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 2000 }
`,
    { GLASSWATCH_LEDGER_KEY_SECRET_REF: LEDGER_SECRET },
  );
});
afterAll(async () => {
  secrets.restore();
  delete process.env.GLASSWATCH_LEDGER_KEY_SECRET_REF;
  await stack?.close();
  await pagerDuty?.close();
});
beforeEach(async () => {
  routingKey = GOOD_KEY;
  pagerDuty.received.length = 0;
  pagerDuty.opened.length = 0;
  pagerDuty.alerts.clear();
  secrets.reset();
  secrets
    .on(GetSecretValueCommand, { SecretId: 'glasswatch/pagerduty' })
    .callsFake(() => ({ SecretString: JSON.stringify({ routingKey }) }));
  secrets.on(GetSecretValueCommand, { SecretId: LEDGER_SECRET }).resolves({ SecretString: 'k'.repeat(64) });
  await stack.useFreshTables();
  ({ handler: ingest } = (await import('../../../functions/ingest/eventbridge.js')) as unknown as { handler: Handler });
});

/** A fresh function instance (cold start) whose metrics are recorded. */
function coldStart(): { runtime: ResponderRuntime; counted: (name: string) => number } {
  const observability = createObservability();
  const addMetric = vi.spyOn(observability.metrics, 'addMetric');
  const runtime = createResponderRuntime(process.env, observability);
  const counted = (name: string) =>
    addMetric.mock.calls.filter(([metric]) => metric === name).reduce((sum, [, , value]) => sum + Number(value), 0);
  return { runtime, counted };
}

/** The change the ingest published for the sample sign-in. */
async function publishedChange(): Promise<IncidentChangeDetail> {
  await ingest(SIGN_IN, lambdaContext());
  const [change] = await stack.published();
  if (!change) throw new Error('the ingest published no change');
  return change.detail;
}

/** The EventBridge event as the rule's SQS target delivers it, with this SQS message id. */
function message(detail: unknown, messageId: string, detailType = 'Glasswatch Incident Opened'): SQSEvent {
  const body = {
    version: '0',
    id: `event-${messageId}`,
    'detail-type': detailType,
    source: 'glasswatch',
    account: '123456789012',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [],
    detail,
  };
  return sqsEvent([sqsRecord(JSON.stringify(body), messageId)]);
}

describe('responders trust only the store and their own ledger records', () => {
  it('refuses and counts a change that matches no stored incident, and pages for the genuine one', async () => {
    const genuine = await publishedChange();
    const { runtime, counted } = coldStart();
    const forgeries: [string, unknown][] = [
      ['no-such-incident', { ...genuine, incident: { ...genuine.incident, id: 'inc-forged-0001' } }],
      ['future-version', { ...genuine, incident: { ...genuine.incident, version: genuine.incident.version + 5 } }],
      [
        'other-principal',
        { ...genuine, incident: { ...genuine.incident, principal: 'arn:aws:iam::123456789012:user/eve' } },
      ],
      ['fake-event', { ...genuine, newEvents: [{ ...genuine.newEvents[0], id: 'aws:forged-event' }] }],
      ['closed-while-open', { ...genuine, kind: 'closed', newEvents: [] }],
    ];
    for (const [id, detail] of forgeries) {
      const answer = await runtime.handleBatch(message(detail, id).Records, lambdaContext());
      expect(answer.batchItemFailures, id).toEqual([]);
    }
    expect(pagerDuty.received).toEqual([]);
    expect(counted(METRIC.changesRefused)).toBe(forgeries.length);

    expect((await runtime.handleBatch(message(genuine, 'genuine').Records, lambdaContext())).batchItemFailures).toEqual(
      [],
    );
    expect(pagerDuty.opened).toHaveLength(1);
    expect(counted(METRIC.changesRefused)).toBe(forgeries.length);
  });

  it('acts on the stored incident, not on what the message says about it', async () => {
    const genuine = await publishedChange();
    const { runtime } = coldStart();
    const edited = { ...genuine, incident: { ...genuine.incident, severity: 'low', drill: true } };
    await runtime.handleBatch(message(edited, 'edited').Records, lambdaContext());
    expect(pagerDuty.opened).toHaveLength(1);
    expect(pagerDuty.opened[0]?.severity).toBe('critical');
    expect(pagerDuty.opened[0]?.summary).not.toMatch(/^DRILL/);
  });

  it('pages although a "delivered" record was written into the ledger beforehand, and counts the forgery', async () => {
    const genuine = await publishedChange();
    const raw = new DynamoDeliveryLedger(stack.dynamo.client, stack.tableName);
    await raw.put({
      incidentId: genuine.incident.id,
      actionKey: 'page:pagerduty',
      status: 'delivered',
      attempts: 1,
      version: genuine.incident.version,
      ref: { dedupKey: genuine.incident.id },
      updatedAt: new Date().toISOString(),
      revision: 7,
    });
    const { runtime, counted } = coldStart();
    expect((await runtime.handleBatch(message(genuine, 'm-1').Records, lambdaContext())).batchItemFailures).toEqual([]);
    expect(pagerDuty.opened).toHaveLength(1);
    expect(counted(METRIC.ledgerUntrusted)).toBeGreaterThanOrEqual(1);
    // The sealed record that replaced the forgery is believed: a redelivery pages no more.
    await runtime.handleBatch(message(genuine, 'm-1').Records, lambdaContext());
    expect(pagerDuty.opened).toHaveLength(1);
    expect((await raw.get(genuine.incident.id, 'page:pagerduty'))?.status).toBe('delivered');
  });

  it('401 → dead-letter → credential fixed → redrive → exactly one page', async () => {
    const genuine = await publishedChange();
    routingKey = BAD_KEY;
    const first = coldStart().runtime;
    // The ten receives before the dead-letter queue: the first tries, the others do not hammer PagerDuty.
    for (let receive = 0; receive < 10; receive++) {
      const answer = await first.handleBatch(message(genuine, 'original').Records, lambdaContext());
      expect(answer.batchItemFailures).toEqual([{ itemIdentifier: 'original' }]);
    }
    const refused = pagerDuty.received.filter((r) => r.status === 401).length;
    expect(refused).toBe(1); // 401 is not retried; the ledger says failed
    expect(pagerDuty.opened).toEqual([]);

    // The operator fixes the secret and redrives: SQS gives the moved message a new id.
    routingKey = GOOD_KEY;
    const after = coldStart().runtime;
    expect((await after.handleBatch(message(genuine, 'redriven').Records, lambdaContext())).batchItemFailures).toEqual(
      [],
    );
    expect(pagerDuty.opened).toHaveLength(1);
    // Redelivered, or redriven once more: delivered stays delivered.
    await after.handleBatch(message(genuine, 'redriven').Records, lambdaContext());
    await after.handleBatch(message(genuine, 'redriven-again').Records, lambdaContext());
    expect(pagerDuty.opened).toHaveLength(1);
    expect(pagerDuty.received.filter((r) => r.status === 202)).toHaveLength(1);
  });

  it('a redrive before the fix tries once more, once, and dead-letters again', async () => {
    const genuine = await publishedChange();
    routingKey = BAD_KEY;
    const runtime = coldStart().runtime;
    await runtime.handleBatch(message(genuine, 'original').Records, lambdaContext());
    for (let receive = 0; receive < 3; receive++) {
      const answer = await runtime.handleBatch(message(genuine, 'redriven').Records, lambdaContext());
      expect(answer.batchItemFailures).toEqual([{ itemIdentifier: 'redriven' }]);
    }
    expect(pagerDuty.received.filter((r) => r.status === 401)).toHaveLength(2);
  });
});
