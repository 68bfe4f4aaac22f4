import { Buffer } from 'node:buffer';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { cloudEvent, http } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gcpPushProcessorFromEnv } from '../../../shared/runtime/pollers/gcp-function.js';
import { createHandlers, type Log, once } from '../../../shared/runtime/pollers/gcp-handlers.js';
import { readFixtureJson } from '../../support/fixtures.js';
import { acceptAll, type LocalStack, startLocalStack } from '../aws/support/stack.js';

/**
 * The Cloud Run function as functions-framework serves it: Pub/Sub push requests (the Loki sample's
 * envelope, carrying real Cloud Audit Log entries from cloud-custodian's GCP test data) through the
 * real core, incidents in the incident table (dynalite), changes on the incident bus (PutEvents stub).
 */

const REGISTRY = `
accounts:
  - { id: gcp-breakglass, cloud: gcp, match: { email: alex.karpitski@gmail.com } }
`;
const PUSH = readFixtureJson<{ message: Record<string, unknown>; subscription: string }>(
  'gcp/pubsub-push/pubsub_push_payload_cloudaudit.json',
);
const KEYRING = readFixtureJson<Record<string, unknown>>('gcp/cloud-custodian/kms-keyring-create.json'); // by the break-glass account
const EXCLUSION = readFixtureJson<Record<string, unknown>>('gcp/cloud-custodian/log-create-project-exclusion.json'); // tampering by someone else

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
const logged: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
const log: Log = {
  info: (message, fields) => logged.push({ level: 'info', message, ...(fields ? { fields } : {}) }),
  error: (message, fields) => logged.push({ level: 'error', message, ...(fields ? { fields } : {}) }),
};

beforeAll(async () => {
  stack = await startLocalStack(REGISTRY);
  await stack.useFreshTables();
  const handlers = createHandlers(
    once(async () =>
      gcpPushProcessorFromEnv(process.env, { dynamo: stack.dynamo.client, eventBridge: new EventBridgeClient({}) }),
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
beforeEach(() => {
  acceptAll(stack.eventBridge);
  logged.length = 0;
});

const post = (body: unknown) =>
  fetch(base, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('GCP push function', () => {
  it('acks a Pub/Sub push with 204 after publishing the incident it opens', async () => {
    const response = await post(pushBody(KEYRING, 'm-keyring'));
    expect(response.status).toBe(204);
    const published = await stack.published();
    expect(published.map((p) => [p.detailType, p.detail.incident.account, p.detail.incident.detections])).toEqual([
      ['Glasswatch Incident Opened', 'gcp-breakglass', ['activity']],
    ]);
    expect(published[0]?.detail.incident.events[0]?.origin).toBe(
      'projects/test-project/subscriptions/test/messages/m-keyring',
    );
  });

  it('pages tampering by anyone, correlated on the actor', async () => {
    expect((await post(pushBody(EXCLUSION, 'm-exclusion'))).status).toBe(204);
    const [change] = await stack.published();
    expect(change?.detail.incident.account).toBeNull();
    expect(change?.detail.incident.principal).toBe('dkhanas@gmail.com');
    expect(change?.detail.incident.detections).toEqual(['audit.tamper']);
  });

  it('changes nothing on a redelivery of the same message', async () => {
    expect((await post(pushBody(KEYRING, 'm-keyring'))).status).toBe(204);
    expect(await stack.published()).toEqual([]);
  });

  it('refuses a message whose entry is not an audit record, so Pub/Sub dead-letters it after its retries', async () => {
    // The Loki sample as it is: a k8s_cluster LogEntry without protoPayload.
    const response = await post(PUSH);
    expect(response.status).toBe(422);
    expect(logged.find((l) => l.level === 'error')?.fields?.error).toMatch(
      /protoPayload: missing: not a Cloud Audit Log entry/,
    );
    expect(await stack.published()).toEqual([]);
  });

  it('refuses a message whose data is not base64', async () => {
    const response = await post(pushBody(undefined, 'm-broken', 'not base64 ***'));
    expect(response.status).toBe(422);
    expect(logged.find((l) => l.level === 'error')?.fields?.error).toMatch(/message m-broken .*not valid base64/);
  });

  it('answers 500 while the incident bus is down, so Pub/Sub redelivers', async () => {
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
      const ok = await send(
        pushBody({ ...KEYRING, insertId: 'keyring-via-eventarc', timestamp: '2019-04-22T14:40:00Z' }, 'ce-1'),
        'ce-1',
      );
      expect(ok.status).toBe(204);
      expect((await stack.published()).map((p) => p.detailType)).toEqual(['Glasswatch Incident Extended']);
      const refused = await send(PUSH, 'ce-2');
      expect(refused.status).toBe(500);
    } finally {
      await new Promise<void>((resolve) => events.close(() => resolve()));
    }
  });
});
