import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAzureLambdaPoller } from '../../../shared/runtime/pollers/azure-lambda.js';
import { createGcpLambdaPoller } from '../../../shared/runtime/pollers/gcp-lambda.js';
import { readFixtureJson, readFixtureJsonl } from '../../support/fixtures.js';
import { loginEntry } from '../../unit/normalize/gcp/harness.js';
import { acceptAll, type LocalStack, startLocalStack } from '../aws/support/stack.js';
import { ScriptedCloudLogging } from './scripted-cloud-logging.js';
import { ScriptedWorkspace } from './scripted-log-analytics.js';

/**
 * The pollers as Lambda runs them: the shared ingest runtime (bundled registry.json, incident table,
 * incident bus with its publication ledger), configuration from the environment, credentials from a
 * secret, the SDK clients scripted at their boundary.
 */

const REGISTRY = `
accounts:
  - { id: gcp-breakglass, cloud: gcp, match: { email: dkhanas@gmail.com } }
  - { id: entra-ea1, cloud: azure, match: { userPrincipalName: adelev@m365x816222.onmicrosoft.com } }
`;
const WORKSPACE = '7c759f10-811c-4db8-ad6d-f07d8ae3f8ea';
const EXCLUSION = readFixtureJson<Record<string, unknown>>('gcp/cloud-custodian/log-create-project-exclusion.json');
const SIGN_IN = readFixtureJsonl<Record<string, unknown>>(
  'azure/sentinel-training-lab/sign-in_adelete.la-json.jsonl',
)[0] as Record<string, unknown>;

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack(REGISTRY, {
    GLASSWATCH_GCP_RESOURCES: 'projects/test-project-232910',
    GLASSWATCH_GCP_CREDENTIALS_SECRET_REF: 'glasswatch/gcp-wif',
    GLASSWATCH_AZURE_WORKSPACE_ID: WORKSPACE,
    GLASSWATCH_AZURE_CREDENTIALS_SECRET_REF: 'glasswatch/azure-app',
  });
});
afterAll(() => stack?.close());
beforeEach(async () => {
  acceptAll(stack.eventBridge);
  await stack.useFreshTables();
});
afterEach(() => vi.useRealTimers());

function at(iso: string): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.parse(iso));
}

describe('GCP poller Lambda', () => {
  function gcp(secrets: Record<string, string>) {
    const logging = new ScriptedCloudLogging();
    logging.receive(EXCLUSION, String(EXCLUSION.receiveTimestamp));
    const built: string[] = [];
    const poller = createGcpLambdaPoller(process.env, undefined, {
      secretText: async (id) => secrets[id] ?? Promise.reject(new Error(`no secret ${id}`)),
      entries: (text) => {
        built.push(text);
        return logging;
      },
    });
    return { poller, logging, built };
  }

  it('publishes the incident on the bus and commits the cursor in the incident table', async () => {
    at('2019-05-21T15:20:00Z');
    const { poller } = gcp({ 'glasswatch/gcp-wif': '{"type":"external_account"}' });
    const report = await poller.poll(600_000);
    expect(report.outcome).toBe('advanced');
    const published = await stack.published();
    expect(published.map((p) => [p.detailType, p.detail.incident.account])).toEqual([
      ['Glasswatch Incident Opened', 'gcp-breakglass'],
    ]);
    expect(report.source).toBe('gcp-logging:projects/test-project-232910');
  });

  it('publishes a Workspace password change as rotation evidence, before the cursor moves', async () => {
    at('2021-09-24T06:00:00Z');
    const logging = new ScriptedCloudLogging();
    logging.receive(loginEntry('password_edit', [], 'dkhanas@gmail.com'), '2021-09-24T05:43:20.474338130Z');
    const poller = createGcpLambdaPoller(process.env, undefined, {
      secretText: async () => '{"type":"external_account"}',
      entries: () => logging,
    });
    expect((await poller.poll(600_000)).outcome).toBe('advanced');
    const evidence = (await stack.published()).filter((p) => p.detailType === 'Glasswatch Rotation Evidence');
    expect(evidence.map((p) => p.detail as unknown as { action: string; cloud: string })).toMatchObject([
      { action: 'password_edit', cloud: 'gcp' },
    ]);
  });

  it('loses no change when the bus fails after correlation: the re-read adds nothing, the reconciler publishes it', async () => {
    at('2019-05-21T15:20:00Z');
    const { poller } = gcp({ 'glasswatch/gcp-wif': '{"type":"external_account"}' });
    stack.eventBridge
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
    await expect(poller.poll(600_000)).rejects.toThrow(/PutEvents/);
    acceptAll(stack.eventBridge);

    const retry = await poller.poll(600_000);
    expect(retry.changes).toEqual([]);
    expect(retry.outcome).toBe('advanced');
    const late = await poller.runtime.publication.reconcile(await poller.runtime.repository.listIncidents());
    expect(late.map((c) => c.kind)).toEqual(['opened']);
    expect((await stack.published()).map((p) => p.detailType)).toEqual(['Glasswatch Incident Opened']);
  });

  it('rebuilds its client when the credentials secret was rotated, and only then', async () => {
    at('2019-05-21T15:20:00Z');
    const secrets = { 'glasswatch/gcp-wif': 'first' };
    const { poller, built } = gcp(secrets);
    await poller.poll(600_000);
    await poller.poll(600_000);
    secrets['glasswatch/gcp-wif'] = 'rotated';
    await poller.poll(600_000);
    expect(built).toEqual(['first', 'rotated']);
  });

  it('reads the organization and the aggregated log bucket view in one request', async () => {
    at('2019-05-21T15:20:00Z');
    const logging = new ScriptedCloudLogging();
    const view = 'projects/sec/locations/global/buckets/glasswatch-audit/views/_AllLogs';
    const poller = createGcpLambdaPoller(
      { ...process.env, GLASSWATCH_GCP_RESOURCES: `organizations/123456789012, ${view}` },
      undefined,
      {
        secretText: async () => '{}',
        entries: () => logging,
      },
    );
    await poller.poll(600_000);
    expect(logging.requests[0]?.resourceNames).toEqual(['organizations/123456789012', view]);
  });

  it('fails at start naming every missing variable', () => {
    expect(() =>
      createGcpLambdaPoller({
        ...process.env,
        GLASSWATCH_GCP_RESOURCES: 'my-project',
        GLASSWATCH_GCP_CREDENTIALS_SECRET_REF: '',
      }),
    ).toThrow(
      /GLASSWATCH_GCP_RESOURCES: organizations\/…, folders\/…, projects\/… or billingAccounts\/…[\s\S]*GLASSWATCH_GCP_CREDENTIALS_SECRET_REF: must be set/,
    );
  });
});

describe('Azure poller Lambda', () => {
  it('publishes the account’s sign-in from Log Analytics and commits the cursor', async () => {
    const ingested = Date.parse(String(SIGN_IN.CreatedDateTime)) + 3 * 60_000;
    at(new Date(ingested + 10 * 60_000).toISOString());
    const workspace = new ScriptedWorkspace();
    workspace.ingest('SigninLogs', SIGN_IN, ingested);
    const poller = createAzureLambdaPoller(process.env, undefined, {
      secretText: async () => '{"tenantId":"…"}',
      logs: () => workspace,
    });
    const report = await poller.poll(600_000);
    expect(report.source).toBe(`azure-log-analytics:${WORKSPACE}`);
    expect(report.watermarkMs).toBe(ingested);
    const published = await stack.published();
    expect(published.map((p) => [p.detailType, p.detail.incident.account, p.detail.incident.detections])).toEqual([
      // "Previously satisfied" under singleFactorAuthentication: MFA unknown, so no signin.without-mfa.
      ['Glasswatch Incident Opened', 'entra-ea1', ['signin.success']],
    ]);
  });
});
