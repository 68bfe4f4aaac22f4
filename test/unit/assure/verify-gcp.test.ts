import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gcpPlumbing, VERIFY_SCOPES } from '../../../shared/adapters/gcp/plumbing.js';
import { verifyGcp } from '../../../shared/core/assure/verify/gcp.js';
import { verifyExitCode } from '../../../shared/core/assure/verify/result.js';
import { cloudLoggingFilter } from '../../../shared/core/ingest/filters/index.js';
import { parseRegistry } from '../../../shared/core/registry/index.js';
import { PubSubServer } from '../../support/cloud-servers/pubsub.js';

/**
 * The GCP sink check over Cloud Logging REST `sinks.get` with the real client stack (google-auth-library
 * trading a workload identity federation token at the local STS), against a local Cloud Logging that
 * answers as documented: 200 LogSink (destination, filter, disabled, exclusions), 404 NOT_FOUND, 403
 * PERMISSION_DENIED. The topic it names is read from the same server's Pub/Sub
 * (test/integration/assure/verify-pubsub.test.ts covers those checks).
 */

const SINK = 'organizations/123456789012/sinks/glasswatch';
const TOPIC = 'projects/gw-prod/topics/glasswatch';
const registry = parseRegistry(
  `accounts: [{ id: g, cloud: gcp, match: { email: breakglass@example.com } }]
pipeline:
  gcp: { sink: ${SINK}, topic: ${TOPIC} }`,
  'gcp.yaml',
);
let server: PubSubServer;
let dir: string;
let plumbing: ReturnType<typeof gcpPlumbing>;
beforeAll(async () => {
  server = await new PubSubServer().start();
  dir = await mkdtemp(join(tmpdir(), 'gw-verify-gcp-'));
  server.createTopic(TOPIC);
  const auth = await server.googleAuth(dir, VERIFY_SCOPES);
  plumbing = gcpPlumbing(auth, { logging: server.url, pubsub: server.pubsubUrl });
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});
const healthy = (changes: Record<string, unknown> = {}) =>
  server.putSink(SINK, `pubsub.googleapis.com/${TOPIC}`, cloudLoggingFilter(registry), changes);
beforeEach(() => healthy());
const run = () => verifyGcp(plumbing, registry);
const byKey = async () => Object.fromEntries((await run()).map((r) => [r.key, `${r.status}: ${r.detail}`]));

describe('verify: GCP sink', () => {
  it('passes the enabled sink with the generated filter and the topic, asking for it by full name', async () => {
    expect(await byKey()).toEqual({
      'gcp.sink.enabled': 'pass: as deployed',
      'gcp.sink.filter': 'pass: as deployed',
      'gcp.sink.destination': 'pass: as deployed',
      'gcp.pubsub.topic': 'pass: as deployed',
      'gcp.pubsub.subscription': 'unchecked: pipeline.gcp.subscription not in the registry',
    });
    expect(server.received.filter((r) => r.path.includes('/sinks/')).map((r) => `${r.method} ${r.path}`)).toContain(
      `GET /v2/${SINK}`,
    );
    expect(verifyExitCode(await run())).toBe(0);
  });

  it('fails a filter that differs and a destination that moved', async () => {
    healthy({ filter: 'severity>=ERROR', destination: 'storage.googleapis.com/attacker-bucket' });
    const results = await byKey();
    expect(results['gcp.sink.filter']).toMatch(/^fail: filter differs/);
    expect(results['gcp.sink.destination']).toBe('fail: destination storage.googleapis.com/attacker-bucket');
  });

  it('fails a disabled sink and one with an active exclusion, not one whose exclusion is disabled', async () => {
    healthy({ disabled: true });
    expect((await byKey())['gcp.sink.enabled']).toBe('fail: the sink is disabled (it exports nothing)');
    const exclusion = { name: 'quiet', filter: 'protoPayload.serviceName="iam.googleapis.com"' };
    healthy({ exclusions: [exclusion] });
    expect((await byKey())['gcp.sink.enabled']).toBe('fail: active exclusions: quiet');
    healthy({ exclusions: [{ ...exclusion, disabled: true }] });
    expect((await byKey())['gcp.sink.enabled']).toBe('pass: as deployed');
  });

  it('fails a sink that does not exist (404 NOT_FOUND) and one it may not read (403)', async () => {
    server.deleteSink(SINK);
    expect(await byKey()).toMatchObject({ 'gcp.sink': `fail: ${SINK} does not exist` });
    healthy();
    server.denySink(SINK);
    expect((await byKey())['gcp.sink']).toBe(
      `fail: could not read: Cloud Logging GET ${SINK}: HTTP 403 PERMISSION_DENIED: The caller does not have permission`,
    );
  });

  it('explains what it could not check without a sink in the registry', async () => {
    const bare = parseRegistry('accounts: [{ id: g, cloud: gcp, match: { email: b@example.com } }]', 'b.yaml');
    const before = server.received.length;
    expect((await verifyGcp(undefined, bare)).map((r) => r.detail)).toEqual([
      'pipeline.gcp.sink not in the registry',
      'pipeline.gcp.topic not in the registry',
      'pipeline.gcp.subscription not in the registry',
    ]);
    expect(server.received.length).toBe(before);
  });
});
