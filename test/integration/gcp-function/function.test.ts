import { Buffer } from 'node:buffer';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { cloudEvent, http } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoAssuranceStore } from '../../../shared/adapters/dynamodb/assurance-store.js';
import { gcpPushForwarderFromEnv } from '../../../shared/runtime/pollers/gcp-function.js';
import { createHandlers, type Log, once } from '../../../shared/runtime/pollers/gcp-handlers.js';
import { GCP_PUSH_DETAIL_TYPE, GCP_PUSH_SOURCE } from '../../../shared/runtime/pollers/gcp-push-events.js';
import { readFixtureJson, readFixtureJsonl } from '../../support/fixtures.js';
import { loginEntry } from '../../unit/normalize/gcp/harness.js';
import { acceptAll, type LocalStack, lambdaContext, startLocalStack } from '../aws/support/stack.js';

/**
 * The Cloud Run function as functions-framework serves it: Pub/Sub push requests (the Loki sample's
 * envelope, carrying real Cloud Audit Log entries from cloud-custodian's GCP test data) are checked
 * and forwarded to the AWS ingest bus (PutEvents stub) — never to the incident bus or the table — and
 * the eventbridge-ingest handler turns the forwarded events into incidents (dynalite), the `gcp-push`
 * heartbeat and rotation evidence.
 */

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

const REGISTRY = `
accounts:
  - { id: gcp-breakglass, cloud: gcp, match: { email: alex.karpitski@gmail.com } }
  - { id: workspace-breakglass, cloud: gcp, match: { email: breakglass@example.com } }
`;
const INGEST_BUS = 'arn:aws:events:us-east-1:123456789012:event-bus/glasswatch-ingest';
const PUSH = readFixtureJson<{ message: Record<string, unknown>; subscription: string }>(
  'gcp/pubsub-push/pubsub_push_payload_cloudaudit.json',
);
const KEYRING = readFixtureJson<Record<string, unknown>>('gcp/cloud-custodian/kms-keyring-create.json'); // by the break-glass account
const EXCLUSION = readFixtureJson<Record<string, unknown>>('gcp/cloud-custodian/log-create-project-exclusion.json'); // tampering by someone else
const TRAIL_SIGN_IN = readFixtureJsonl<{ event: Record<string, unknown> }>(
  'aws/aws-docs-cc-by-sa/cloudtrail_console_signin_examples.jsonl',
)[0]?.event;

/** The push request Pub/Sub sends for a message carrying `entry`, in the sample's envelope. */
function pushBody(entry: unknown, messageId: string, data?: string) {
  return {
    ...PUSH,
    message: {
      ...PUSH.message,
      data: data ?? Buffer.from(JSON.stringify(entry)).toString('base64'),
      messageId,
      message_id: messageId,
    },
  };
}

let stack: LocalStack;
let server: Server;
let base: string;
let ingest: Handler;
const logged: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
const log: Log = {
  info: (message, fields) => logged.push({ level: 'info', message, ...(fields ? { fields } : {}) }),
  error: (message, fields) => logged.push({ level: 'error', message, ...(fields ? { fields } : {}) }),
};

beforeAll(async () => {
  stack = await startLocalStack(REGISTRY);
  const handlers = createHandlers(
    once(async () =>
      gcpPushForwarderFromEnv(
        { ...process.env, GLASSWATCH_INGEST_BUS: INGEST_BUS },
        { eventBridge: new EventBridgeClient({}) },
      ),
    ),
    log,
  );
  http('testPubSubPush', handlers.pubSubPush);
  cloudEvent('testAuditEvent', handlers.auditEvent);
  server = getTestServer('testPubSubPush');
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await stack?.close();
});
beforeEach(async () => {
  await stack.useFreshTables();
  acceptAll(stack.eventBridge);
  logged.length = 0;
  ({ handler: ingest } = (await import('../../../functions/ingest/eventbridge.js')) as unknown as { handler: Handler });
});

const post = (body: unknown) =>
  fetch(base, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** Every entry put so far, on whichever bus. */
function entries(): PutEventsRequestEntry[] {
  return stack.eventBridge.commandCalls(PutEventsCommand).flatMap((call) => call.args[0].input.Entries ?? []);
}
const forwarded = () => entries().filter((e) => e.Source === GCP_PUSH_SOURCE);

/** A forwarded entry as the ingest bus's rule delivers it to eventbridge-ingest. */
function asEvent(entry: PutEventsRequestEntry, id: string) {
  return {
    version: '0',
    id,
    'detail-type': entry.DetailType,
    source: entry.Source,
    account: '123456789012',
    time: '2019-04-22T14:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: JSON.parse(entry.Detail ?? '{}') as unknown,
  };
}

/** Pushes, then runs what was forwarded through the AWS ingest; returns what went on the incident bus. */
async function pushAndIngest(entry: unknown, messageId: string) {
  expect((await post(pushBody(entry, messageId))).status).toBe(204);
  const sent = forwarded();
  for (const [i, e] of sent.entries()) await ingest(asEvent(e, `${messageId}-${i}`), lambdaContext());
  return (await stack.published()).filter((p) => p.detailType.startsWith('Glasswatch '));
}

describe('GCP push function', () => {
  it('forwards the entry to the AWS ingest bus only, as the one source and detail-type its role may put', async () => {
    expect((await post(pushBody(KEYRING, 'm-keyring'))).status).toBe(204);
    expect(entries()).toHaveLength(1);
    expect(entries()[0]).toMatchObject({
      EventBusName: INGEST_BUS,
      Source: GCP_PUSH_SOURCE,
      DetailType: GCP_PUSH_DETAIL_TYPE,
    });
    expect(JSON.parse(entries()[0]?.Detail ?? '{}')).toMatchObject({
      location: 'projects/test-project/subscriptions/test/messages/m-keyring',
      entry: { insertId: KEYRING.insertId },
    });
  });

  it('the AWS ingest opens the incident, records the gcp-push heartbeat', async () => {
    const published = await pushAndIngest(KEYRING, 'm-keyring');
    expect(published.map((p) => [p.detailType, p.detail.incident.account, p.detail.incident.detections])).toEqual([
      ['Glasswatch Incident Opened', 'gcp-breakglass', ['activity']],
    ]);
    expect(published[0]?.detail.incident.events[0]?.origin).toBe(
      'projects/test-project/subscriptions/test/messages/m-keyring',
    );
    const heartbeats = await new DynamoAssuranceStore(stack.dynamo.client, stack.tableName).listHeartbeats();
    expect(heartbeats.map((h) => h.source)).toContain('gcp-push');
  });

  it('pages tampering by anyone, correlated on the actor', async () => {
    const [change] = await pushAndIngest(EXCLUSION, 'm-exclusion');
    expect(change?.detail.incident.account).toBeNull();
    expect(change?.detail.incident.principal).toBe('dkhanas@gmail.com');
    expect(change?.detail.incident.detections).toEqual(['audit.tamper']);
  });

  it('opens a critical sign-in incident for a Workspace login of the break-glass account, worded without MFA', async () => {
    const methods = { name: 'login_challenge_method', multiStrValue: ['password'] };
    const failure = loginEntry('login_failure', [
      methods,
      { name: 'login_failure_type', value: 'login_failure_invalid_password' },
    ]);
    await pushAndIngest({ ...failure, insertId: '-login_failure-2', timestamp: '2021-09-24T04:39:00.000Z' }, 'm-fail');
    const published = await pushAndIngest(loginEntry('login_success', [methods]), 'm-login');
    const incident = published.at(-1)?.detail.incident;
    expect(incident).toMatchObject({
      account: 'workspace-breakglass',
      principal: 'breakglass@example.com',
      severity: 'critical',
    });
    expect([...(incident?.detections ?? [])].sort()).toEqual([
      'signin.failure',
      'signin.success',
      'signin.without-mfa',
    ]);
    expect(incident?.events.map((e: { action: string; outcome: string }) => [e.action, e.outcome])).toEqual([
      ['login_failure', 'failure'],
      ['login_success', 'success'],
    ]);
  });

  it('publishes a Workspace password change as rotation evidence for the responders', async () => {
    const published = await pushAndIngest(loginEntry('password_edit', []), 'm-password');
    const evidence = published.filter((p) => p.detailType === 'Glasswatch Rotation Evidence');
    expect(evidence).toHaveLength(1);
    expect(evidence[0]?.detail).toMatchObject({ cloud: 'gcp', action: 'password_edit' });
  });

  it('the ingest reads a forwarded event with the GCP normalizer only: a CloudTrail record in it is refused', async () => {
    const forged = asEvent(
      {
        Source: GCP_PUSH_SOURCE,
        DetailType: GCP_PUSH_DETAIL_TYPE,
        Detail: JSON.stringify({ location: 'x', entry: TRAIL_SIGN_IN }),
      },
      'forged-1',
    );
    await expect(ingest(forged, lambdaContext())).rejects.toThrow(/no audit record could be read/);
    expect(await stack.published()).toEqual([]);
  });

  it('refuses a message whose entry is not an audit record, so Pub/Sub dead-letters it after its retries', async () => {
    // The Loki sample as it is: a k8s_cluster LogEntry without protoPayload.
    const response = await post(PUSH);
    expect(response.status).toBe(422);
    expect(logged.find((l) => l.level === 'error')?.fields?.error).toMatch(
      /protoPayload: missing: not a Cloud Audit Log entry/,
    );
    expect(entries()).toEqual([]);
  });

  it('refuses a message whose data is not base64', async () => {
    const response = await post(pushBody(undefined, 'm-broken', 'not base64 ***'));
    expect(response.status).toBe(422);
    expect(logged.find((l) => l.level === 'error')?.fields?.error).toMatch(/message m-broken .*not valid base64/);
  });

  it('drops the bulky response of an entry too big for one event, and keeps what the rules read', async () => {
    const big = {
      ...KEYRING,
      protoPayload: { ...(KEYRING.protoPayload as object), response: { blob: 'x'.repeat(300_000) } },
    };
    expect((await post(pushBody(big, 'm-big'))).status).toBe(204);
    const detail = JSON.parse(forwarded()[0]?.Detail ?? '{}') as { entry: { protoPayload: Record<string, unknown> } };
    expect(detail.entry.protoPayload.response).toBeUndefined();
    expect(detail.entry.protoPayload.methodName).toBe((KEYRING.protoPayload as { methodName: string }).methodName);
  });

  it('answers 500 while the ingest bus is down, so Pub/Sub redelivers', async () => {
    stack.eventBridge
      .on(PutEventsCommand)
      .rejects(Object.assign(new Error('Service unavailable'), { name: 'InternalException' }));
    const response = await post(pushBody({ ...KEYRING, insertId: 'another-keyring-call' }, 'm-down'));
    expect(response.status).toBe(500);
    expect(logged.find((l) => l.level === 'error')?.message).toBe('push failed; Pub/Sub will redeliver');
  });

  it('only takes POST', async () => {
    expect((await fetch(base)).status).toBe(405);
  });

  it('serves the Eventarc CloudEvent entry point with the same processing', async () => {
    const events = getTestServer('testAuditEvent');
    await new Promise<void>((resolve) => events.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(events.address() as AddressInfo).port}`;
      const send = (body: unknown, id: string) =>
        fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'ce-specversion': '1.0',
            'ce-type': 'google.cloud.pubsub.topic.v1.messagePublished',
            'ce-source': '//pubsub.googleapis.com/projects/test-project/topics/glasswatch-audit',
            'ce-id': id,
          },
          body: JSON.stringify(body),
        });
      const ok = await send(pushBody({ ...KEYRING, insertId: 'keyring-via-eventarc' }, 'ce-1'), 'ce-1');
      expect(ok.status).toBe(204);
      expect(forwarded()).toHaveLength(1);
      const refused = await send(PUSH, 'ce-2');
      expect(refused.status).toBe(500);
    } finally {
      await new Promise<void>((resolve) => events.close(() => resolve()));
    }
  });
});
