import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GoogleAuth } from 'google-auth-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { googleCredentialsFrom } from '../../../shared/adapters/gcp/credentials.js';
import { restEntriesClient } from '../../../shared/adapters/gcp/entries-client.js';
import { GCP_CURSOR_POLICY } from '../../../shared/core/ingest/cursor/index.js';
import { gcpPoller } from '../../../shared/runtime/pollers/pollers.js';
import { CloudLoggingServer } from '../../support/cloud-servers/cloud-logging.js';
import { readFixtureJson, readFixtureJsonl } from '../../support/fixtures.js';
import type { Fault } from '../../support/vendor-servers/base.js';
import { type PollerWorld, pollerWorld } from './world.js';

/**
 * The Cloud Logging poller over HTTP, with the real clients: google-auth-library trading a workload
 * identity federation subject token at a local Security Token Service, the REST `entries.list` client
 * (shared/adapters/gcp/entries-client.ts) against a local Cloud Logging that evaluates the poller's
 * filter — principal clauses included — on the entries it holds, pages with tokens and throttles
 * with 429 + Retry-After as the service does.
 */

const entry = (file: string) => readFixtureJson<Record<string, unknown>>(`gcp/cloud-custodian/${file}`);
const SINK = entry('log-create-project-sink.json');
const METRIC = entry('log-create-project-metric.json');
const EXCLUSION = entry('log-create-project-exclusion.json');
const OTHER = entry('iam-role-create.json'); // another principal: the filter must leave it out
const SECRET = 'projects/bg-vault-prod/secrets/super-admin-password';
const ACCOUNTS = [
  {
    id: 'gcp-breakglass',
    cloud: 'gcp' as const,
    match: { email: 'dkhanas@gmail.com' },
    credential: { stores: [{ gcpSecret: SECRET }] },
  },
];
const RESOURCES = ['projects/test-project-232910'];
const AUDIENCE = '//iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/glasswatch/providers/aws';
const SUBJECT_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.local-subject-token.signature';

let world: PollerWorld;
let server: CloudLoggingServer;
let dir: string;
beforeEach(async () => {
  server = await new CloudLoggingServer(AUDIENCE, SUBJECT_TOKEN).start();
  dir = await mkdtemp(join(tmpdir(), 'glasswatch-gcp-http-'));
});
afterEach(async () => {
  await world?.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** The real client stack, with credentials as the poller reads them from its secret. */
async function realEntriesClient(subjectToken = SUBJECT_TOKEN) {
  const tokenFile = join(dir, 'subject-token');
  await writeFile(tokenFile, subjectToken);
  const secret = JSON.stringify({
    type: 'external_account',
    audience: AUDIENCE,
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    token_url: server.tokenUrl,
    credential_source: { file: tokenFile },
  });
  const auth = new GoogleAuth({
    credentials: googleCredentialsFrom(secret, 'glasswatch/gcp'),
    scopes: ['https://www.googleapis.com/auth/logging.read'],
  });
  return restEntriesClient({ auth }, server.entriesListUrl);
}

async function setup(options: { pageSize?: number; subjectToken?: string } = {}) {
  world = await pollerWorld(ACCOUNTS, GCP_CURSOR_POLICY, '2019-05-21T15:20:00Z');
  for (const e of [SINK, METRIC, EXCLUSION]) server.receive(e, String(e.receiveTimestamp));
  server.receive(OTHER, '2019-05-21T15:01:00.000000001Z');
  const entries = await realEntriesClient(options.subjectToken);
  return gcpPoller({ ...world.parts, entries, resourceNames: RESOURCES, ...options });
}

describe('Cloud Logging poller over HTTP (local entries.list and STS)', () => {
  it('authenticates through the token exchange and reads only what the filter selects', async () => {
    const poller = await setup();
    const report = await poller.poll();
    // The other principal's entry is received in the window but the filter's principal clauses leave it out.
    expect(report.read).toEqual({ new: 3, seen: 0, repeat: 0 });
    expect(report.changes.map((c) => c.kind)).toEqual(['opened']);
    const [incident] = await world.repository.listIncidents();
    expect(incident?.detections).toEqual(expect.arrayContaining(['activity', 'audit.tamper']));
    const [request] = server.listRequests();
    expect(request?.resourceNames).toEqual(RESOURCES);
    expect(server.received.filter((r) => r.path === '/v1/token')).toHaveLength(1);
  });

  it('selects a read of the break-glass secret by anyone else (the Secret Manager clause of the filter)', async () => {
    const poller = await setup();
    const [, denied, other] = readFixtureJsonl<{ event: Record<string, unknown> }>(
      'gcp/written-from-docs/secret_manager.jsonl',
    );
    const restamp = (e: Record<string, unknown> | undefined) => ({ ...e, timestamp: '2019-05-21T15:05:00Z' });
    server.receive(restamp(denied?.event), '2019-05-21T15:05:01Z');
    server.receive(restamp(other?.event), '2019-05-21T15:05:02Z');
    const report = await poller.poll();
    expect(report.read.new).toBe(4); // the three of the break-glass principal and the secret read, not app-token
    const incidents = await world.repository.listIncidents();
    expect(incidents.flatMap((i) => i.detections)).toContain('credential.access');
  });

  it('follows page tokens (empty pages included) through the window', async () => {
    const poller = await setup({ pageSize: 1 });
    server.emptyPagesFirst = 2;
    const report = await poller.poll();
    expect(report.read.new).toBe(3);
    const tokens = server.listRequests().map((r) => r.pageToken);
    expect(tokens).toEqual([undefined, 'empty:1', 'empty:2', 'page:1', 'page:2']);
  });

  it('waits out a 429 with Retry-After and a 503, then reads the window', async () => {
    const poller = await setup();
    const throttled: Fault[] = [
      {
        kind: 'status',
        status: 429,
        headers: { 'retry-after': '3' },
        body: '{"error":{"code":429,"status":"RESOURCE_EXHAUSTED"}}',
      },
      { kind: 'status', status: 503, body: '{"error":{"code":503,"status":"UNAVAILABLE"}}' },
    ];
    server.injector = (request) => (request.path === '/v2/entries:list' ? throttled.shift() : undefined);
    const report = await poller.poll();
    expect(report.outcome).toBe('advanced');
    expect(report.read.new).toBe(3);
    // One retry layer (the poller's): Retry-After honoured, then its own backoff; gaxios retries nothing.
    expect(world.sleeps).toEqual([3_000, 1_000]);
    expect(server.received.filter((r) => r.path === '/v2/entries:list').map((r) => r.status)).toEqual([429, 503, 200]);
  });

  it('a refused token exchange fails the poll and commits nothing', async () => {
    const poller = await setup({ subjectToken: 'not-the-federated-token' });
    await expect(poller.poll()).rejects.toThrow(/400/);
    // The cursor stays where the first poll starts it: nothing was read, nothing committed.
    expect((await world.store.load(poller.source.name))?.watermarkMs).toBe(Date.parse('2019-05-20T15:20:00Z'));
    expect(server.listRequests()).toEqual([]);
  });
});
