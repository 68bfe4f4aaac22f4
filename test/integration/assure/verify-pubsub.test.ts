import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PUBSUB_SCOPES, restPubSub } from '../../../shared/adapters/gcp/pubsub-rest.js';
import { verifyPubSub } from '../../../shared/core/assure/verify/gcp-pubsub.js';
import { verifyExitCode } from '../../../shared/core/assure/verify/result.js';
import { parseRegistry } from '../../../shared/core/registry/index.js';
import { PubSubServer } from '../../support/cloud-servers/pubsub.js';

/**
 * The Pub/Sub checks over HTTP with the real client stack: google-auth-library trading a workload
 * identity federation token at the local STS, then `projects.topics.get` / `projects.subscriptions.get`
 * against a local Pub/Sub answering as documented (200 resources, 404 NOT_FOUND, 403 PERMISSION_DENIED).
 */

const TOPIC = 'projects/gw-prod/topics/glasswatch';
const SUB = 'projects/gw-prod/subscriptions/glasswatch-push';
const ENDPOINT = 'https://glasswatch-push-abc123-ew.a.run.app';
const registry = (gcp: string) =>
  parseRegistry(
    `accounts: [{ id: g, cloud: gcp, match: { email: breakglass@example.com } }]\npipeline:\n  gcp: ${gcp}\n`,
    'gcp.yaml',
  );
const FULL = registry(`{ topic: ${TOPIC}, subscription: ${SUB}, pushEndpoint: "${ENDPOINT}" }`);

let server: PubSubServer;
let dir: string;
beforeEach(async () => {
  server = await new PubSubServer().start();
  dir = await mkdtemp(join(tmpdir(), 'gw-pubsub-'));
  server.createTopic(TOPIC);
  server.createPushSubscription(SUB, TOPIC, ENDPOINT);
});
afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function plumbing() {
  return restPubSub(await server.googleAuth(dir, PUBSUB_SCOPES), server.pubsubUrl);
}

async function byKey(reg = FULL) {
  const results = await verifyPubSub(await plumbing(), reg.pipeline);
  return Object.fromEntries(results.map((r) => [r.key, `${r.status}: ${r.detail}`]));
}

describe('verify: GCP Pub/Sub topic and push subscription', () => {
  it('passes the topic and an active push subscription on it, pushing to the deployed endpoint', async () => {
    expect(await byKey()).toEqual({
      'gcp.pubsub.topic': 'pass: as deployed',
      'gcp.pubsub.subscription': 'pass: as deployed',
    });
    const reads = server.received.filter((r) => r.path.startsWith('/v1/projects/')).map((r) => r.path);
    expect(reads).toEqual([`/v1/${TOPIC}`, `/v1/${SUB}`]);
    expect(verifyExitCode(await verifyPubSub(await plumbing(), FULL.pipeline))).toBe(0);
  });

  it('fails a deleted topic: the topic is NOT_FOUND and the subscription reads _deleted-topic_', async () => {
    server.deleteTopic(TOPIC);
    expect(await byKey()).toEqual({
      'gcp.pubsub.topic': `fail: ${TOPIC} does not exist`,
      'gcp.pubsub.subscription': 'fail: its topic was deleted',
    });
  });

  it('fails a subscription that does not exist, is on another topic, detached, pull, elsewhere or in error', async () => {
    server.createTopic('projects/gw-prod/topics/other');
    const cases: [Record<string, unknown> | undefined, string][] = [
      [undefined, `fail: ${SUB} does not exist`],
      [{ topic: 'projects/gw-prod/topics/other' }, 'fail: attached to projects/gw-prod/topics/other'],
      [{ detached: true }, 'fail: detached from its topic'],
      [{ pushConfig: {} }, 'fail: no push endpoint (a pull subscription)'],
      [
        { pushConfig: { pushEndpoint: 'https://attacker.example/hook' } },
        'fail: pushes to https://attacker.example/hook',
      ],
      [{ state: 'RESOURCE_ERROR' }, 'fail: state RESOURCE_ERROR'],
    ];
    for (const [changes, expected] of cases) {
      const other = `${SUB}-${cases.findIndex((c) => c[1] === expected)}`;
      if (changes) server.createPushSubscription(other, TOPIC, ENDPOINT, changes);
      const reg = registry(`{ topic: ${TOPIC}, subscription: ${other}, pushEndpoint: "${ENDPOINT}" }`);
      expect((await byKey(reg))['gcp.pubsub.subscription'], expected).toBe(expected.replace(SUB, other));
    }
  });

  it('fails with the status when it may not read (403 PERMISSION_DENIED)', async () => {
    server.deny(SUB);
    expect((await byKey())['gcp.pubsub.subscription']).toBe(
      `fail: could not read: Pub/Sub GET ${SUB}: HTTP 403 PERMISSION_DENIED: User not authorized to perform this action.`,
    );
  });

  it('says what it did not compare without the deployed endpoint, and what the registry does not name', async () => {
    const noEndpoint = registry(`{ topic: ${TOPIC}, subscription: ${SUB} }`);
    expect(await byKey(noEndpoint)).toEqual({
      'gcp.pubsub.topic': 'pass: as deployed',
      'gcp.pubsub.subscription': 'pass: as deployed',
      'gcp.pubsub.endpoint': `unchecked: pipeline.gcp.pushEndpoint not in the registry (it pushes to ${ENDPOINT})`,
    });
    const topicOnly = registry(`{ topic: ${TOPIC} }`);
    expect(await byKey(topicOnly)).toEqual({
      'gcp.pubsub.subscription': 'unchecked: pipeline.gcp.subscription not in the registry',
      'gcp.pubsub.topic': 'pass: as deployed',
    });
    expect((await verifyPubSub(undefined, FULL.pipeline)).map((r) => r.status)).toEqual(['unchecked', 'unchecked']);
  });
});
