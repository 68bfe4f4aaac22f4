import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v2 } from '@google-cloud/logging';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { gcpPlumbing } from '../../../shared/adapters/gcp/plumbing.js';
import { PUBSUB_SCOPES, restPubSub } from '../../../shared/adapters/gcp/pubsub-rest.js';
import { verifyGcp } from '../../../shared/core/assure/verify/gcp.js';
import { verifyExitCode } from '../../../shared/core/assure/verify/result.js';
import { cloudLoggingFilter } from '../../../shared/core/ingest/filters/index.js';
import { parseRegistry } from '../../../shared/core/registry/index.js';
import { PubSubServer } from '../../support/cloud-servers/pubsub.js';

/**
 * The GCP sink check through the Cloud Logging client, its GetSink stubbed at the SDK boundary with
 * LogSink answers as the v2 API documents them (name, destination, filter), NOT_FOUND and PERMISSION_DENIED;
 * the topic it names is read from a local Pub/Sub (test/integration/assure/verify-pubsub.test.ts covers those checks).
 */

const registry = parseRegistry(
  `accounts: [{ id: g, cloud: gcp, match: { email: breakglass@example.com } }]
pipeline:
  gcp: { sink: organizations/123456789012/sinks/glasswatch, topic: projects/gw-prod/topics/glasswatch }`,
  'gcp.yaml',
);
const client = new v2.ConfigServiceV2Client({
  credentials: { client_email: 'x@example.com', private_key: 'k' },
  projectId: 'p',
});
const getSink = vi.spyOn(client, 'getSink');
const answer = (sink: Record<string, unknown>) =>
  getSink.mockResolvedValue([sink, undefined, undefined] as unknown as Awaited<ReturnType<typeof client.getSink>>);
const healthy = {
  name: 'glasswatch',
  destination: 'pubsub.googleapis.com/projects/gw-prod/topics/glasswatch',
  filter: cloudLoggingFilter(registry),
  writerIdentity: 'serviceAccount:o123456789012-000000@gcp-sa-logging.iam.gserviceaccount.com',
  includeChildren: true,
};
let server: PubSubServer;
let dir: string;
let plumbing: ReturnType<typeof gcpPlumbing>;
beforeAll(async () => {
  server = await new PubSubServer().start();
  dir = await mkdtemp(join(tmpdir(), 'gw-verify-gcp-'));
  server.createTopic('projects/gw-prod/topics/glasswatch');
  plumbing = gcpPlumbing(client, restPubSub(await server.googleAuth(dir, PUBSUB_SCOPES), server.pubsubUrl));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});
const run = () => verifyGcp(plumbing, registry);
const byKey = async () => Object.fromEntries((await run()).map((r) => [r.key, `${r.status}: ${r.detail}`]));

afterEach(() => getSink.mockReset());

describe('verify: GCP sink', () => {
  it('passes the sink with the generated filter and the topic, asking for it by full name', async () => {
    answer(healthy);
    expect(await byKey()).toEqual({
      'gcp.sink.filter': 'pass: as deployed',
      'gcp.sink.destination': 'pass: as deployed',
      'gcp.pubsub.topic': 'pass: as deployed',
      'gcp.pubsub.subscription': 'unchecked: pipeline.gcp.subscription not in the registry',
    });
    expect(getSink.mock.calls[0]?.[0]).toEqual({ sinkName: 'organizations/123456789012/sinks/glasswatch' });
    expect(verifyExitCode(await run())).toBe(0);
  });

  it('fails a filter that differs and a destination that moved', async () => {
    answer({ ...healthy, filter: 'severity>=ERROR', destination: 'storage.googleapis.com/attacker-bucket' });
    const results = await byKey();
    expect(results['gcp.sink.filter']).toMatch(/^fail: filter differs/);
    expect(results['gcp.sink.destination']).toBe('fail: destination storage.googleapis.com/attacker-bucket');
  });

  it('fails a sink that does not exist (NOT_FOUND) and one it may not read', async () => {
    getSink.mockRejectedValue(Object.assign(new Error('5 NOT_FOUND: Sink glasswatch does not exist'), { code: 5 }));
    expect((await byKey())['gcp.sink']).toBe('fail: organizations/123456789012/sinks/glasswatch does not exist');
    getSink.mockRejectedValue(Object.assign(new Error('7 PERMISSION_DENIED: logging.sinks.get'), { code: 7 }));
    expect((await byKey())['gcp.sink']).toBe('fail: could not read: 7 PERMISSION_DENIED: logging.sinks.get');
  });

  it('explains what it could not check without a sink in the registry', async () => {
    const bare = parseRegistry('accounts: [{ id: g, cloud: gcp, match: { email: b@example.com } }]', 'b.yaml');
    expect((await verifyGcp(undefined, bare)).map((r) => r.detail)).toEqual([
      'pipeline.gcp.sink not in the registry',
      'pipeline.gcp.topic not in the registry',
      'pipeline.gcp.subscription not in the registry',
    ]);
    expect(getSink).not.toHaveBeenCalled();
  });
});
