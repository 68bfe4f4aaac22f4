import { ClientSecretCredential } from '@azure/identity';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { armPlumbing } from '../../../shared/adapters/azure/plumbing.js';
import { verifyAzure } from '../../../shared/core/assure/verify/azure.js';
import { verifyExitCode } from '../../../shared/core/assure/verify/result.js';
import { parseRegistry } from '../../../shared/core/registry/index.js';
import { ArmMonitorServer } from '../../support/cloud-servers/arm-monitor.js';

/**
 * The Azure diagnostic-settings checks over HTTPS with the real clients: @azure/identity's
 * ClientSecretCredential (the Azure poller's credential) getting an ARM token from a local Entra token
 * endpoint, and the ARM lists through @azure/core-rest-pipeline against a local ARM answering as
 * documented (200 `{value}`, 404 ResourceNotFound, 403 AuthorizationFailed, 429 with Retry-After).
 */

const SUB = '/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333';
const ENTRA = '/providers/microsoft.aadiam/diagnosticSettings/glasswatch-entra';
const ACTIVITY = `${SUB}/providers/microsoft.insights/diagnosticSettings/glasswatch`;
const VAULT = `${SUB}/resourceGroups/bg/providers/Microsoft.KeyVault/vaults/bg-vault`;
const KV = `${VAULT}/providers/microsoft.insights/diagnosticSettings/kv-audit`;
const WORKSPACE = `${SUB}/resourceGroups/glasswatch/providers/Microsoft.OperationalInsights/workspaces/glasswatch-logs`;
const NAMESPACE = `${SUB}/resourceGroups/glasswatch/providers/Microsoft.EventHub/namespaces/gw-ns`;
const HUB = `${NAMESPACE}/eventhubs/glasswatch`;
const RULE = `${NAMESPACE}/authorizationrules/RootManageSharedAccessKey`;
const ENTRA_CATEGORIES = [
  'AuditLogs',
  'SignInLogs',
  'NonInteractiveUserSignInLogs',
  'ServicePrincipalSignInLogs',
  'ManagedIdentitySignInLogs',
];
const registry = (extra = `workspace: ${WORKSPACE}, eventHub: ${HUB}`) =>
  parseRegistry(
    `accounts: [{ id: e, cloud: azure, match: { userPrincipalName: ea@contoso.onmicrosoft.com } }]
pipeline:
  azure:
    diagnosticSettings:
      - { id: ${ENTRA}, categories: [AuditLogs, SignInLogs] }
      - { id: ${ACTIVITY}, categories: [Administrative] }
      - { id: ${KV}, categories: [AuditEvent] }
    ${extra ? `${extra.split(', ').join('\n    ')}` : ''}
`,
    'azure.yaml',
  );
const logs = (categories: string[]) =>
  categories.map((category) => ({ category, enabled: true, retentionPolicy: { enabled: false, days: 0 } }));
const destinations = { workspaceId: WORKSPACE, eventHubAuthorizationRuleId: RULE, eventHubName: 'glasswatch' };

let server: ArmMonitorServer;
beforeEach(async () => {
  server = await new ArmMonitorServer().start();
  server.setting(ENTRA, { ...destinations, logs: logs(ENTRA_CATEGORIES) });
  server.setting(ACTIVITY, { ...destinations, logs: logs(['Administrative', 'Security', 'Policy', 'Alert']) });
  server.setting(KV, { ...destinations, logs: [{ categoryGroup: 'audit', enabled: true }], metrics: [] });
});
afterEach(() => server.close());

function plumbing() {
  const { tenantId, clientId, clientSecret } = server.entra;
  const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, {
    authorityHost: server.url,
    disableInstanceDiscovery: true,
    tlsOptions: server.tlsOptions,
  });
  return armPlumbing(credential, { baseUrl: server.url, pipeline: { tlsOptions: server.tlsOptions } });
}

async function byKey(reg = registry()) {
  const results = await verifyAzure(plumbing(), reg.pipeline);
  return Object.fromEntries(results.map((r) => [r.key.replace(/#.*\//, '#'), `${r.status}: ${r.detail}`]));
}

const lists = () =>
  server.received.filter((r) => /diagnosticSettings$/i.test(r.path)).map((r) => `${r.path}?${r.query}`);

describe('verify: Azure diagnostic settings', () => {
  it('passes settings that exist with every needed category and the registry’s destinations', async () => {
    const results = await verifyAzure(plumbing(), registry().pipeline);
    expect(results.map((r) => `${r.status} ${r.key}`)).toEqual(
      [ENTRA, ACTIVITY, KV].flatMap((id) => [
        `pass azure.setting#${id}`,
        `pass azure.setting.categories#${id}`,
        `pass azure.setting.destination#${id}`,
      ]),
    );
    expect(verifyExitCode(results)).toBe(0);
    expect(lists()).toEqual([
      '/providers/microsoft.aadiam/diagnosticSettings?api-version=2017-04-01',
      `${SUB}/providers/Microsoft.Insights/diagnosticSettings?api-version=2021-05-01-preview`,
      `${VAULT}/providers/Microsoft.Insights/diagnosticSettings?api-version=2021-05-01-preview`,
    ]);
  });

  it('fails a setting without a needed category: the table’s for its kind, not only the registry’s', async () => {
    server.setting(ENTRA, { ...destinations, logs: logs(['AuditLogs', 'SignInLogs']) });
    server.setting(ACTIVITY, {
      ...destinations,
      logs: [...logs(['Administrative', 'Policy']), { category: 'Security', enabled: false }],
    });
    server.setting(KV, { ...destinations, logs: [{ category: 'AzurePolicyEvaluationDetails', enabled: true }] });
    const results = await byKey();
    expect(results['azure.setting.categories#glasswatch-entra']).toBe(
      'fail: not enabled: NonInteractiveUserSignInLogs, ServicePrincipalSignInLogs, ManagedIdentitySignInLogs',
    );
    expect(results['azure.setting.categories#glasswatch']).toBe('fail: not enabled: Security');
    expect(results['azure.setting.categories#kv-audit']).toBe('fail: not enabled: AuditEvent');
    server.setting(KV, { ...destinations, logs: [{ categoryGroup: 'allLogs', enabled: true }] });
    expect((await byKey())['azure.setting.categories#kv-audit']).toBe('pass: as deployed');
  });

  it('fails a setting that sends elsewhere or to no event hub', async () => {
    server.setting(ENTRA, { workspaceId: `${WORKSPACE}-other`, logs: logs(ENTRA_CATEGORIES) });
    server.setting(ACTIVITY, {
      ...destinations,
      eventHubName: 'insights-logs',
      logs: logs(['Administrative', 'Security', 'Policy']),
    });
    const results = await byKey();
    expect(results['azure.setting.destination#glasswatch-entra']).toBe(
      `fail: sends to workspace ${WORKSPACE}-other; sends to no event hub`,
    );
    expect(results['azure.setting.destination#glasswatch']).toBe(`fail: sends to event hub insights-logs via ${RULE}`);
    // A registry naming only the workspace does not ask for the event hub.
    expect((await byKey(registry(`workspace: ${WORKSPACE}`)))['azure.setting.destination#glasswatch']).toBe(
      'pass: as deployed',
    );
    expect((await byKey(registry('')))['azure.setting.destination#glasswatch']).toBe(
      'unchecked: pipeline.azure.workspace and pipeline.azure.eventHub not in the registry',
    );
  });

  it('fails a deleted setting, naming what the resource still has, and a resource that does not exist (404)', async () => {
    server.deleteSetting(ACTIVITY);
    server.setting(`${SUB}/providers/microsoft.insights/diagnosticSettings/renamed`, { logs: [] });
    const results = await byKey();
    expect(results['azure.setting#glasswatch']).toBe('fail: does not exist (the resource has renamed)');
    expect(results['azure.setting.categories#glasswatch']).toBeUndefined();
    const gone = registry().pipeline;
    if (gone?.azure?.diagnosticSettings[2]) gone.azure.diagnosticSettings[2].id = KV.replace('bg-vault', 'other-vault');
    const missing = await verifyAzure(plumbing(), gone);
    expect(missing.find((r) => r.key.includes('other-vault'))?.detail).toBe('its resource does not exist');
  });

  it('fails with ARM’s code when it may not read (403 AuthorizationFailed), once per resource list', async () => {
    server.deny('/providers/microsoft.aadiam');
    const [entra] = await verifyAzure(plumbing(), registry().pipeline);
    expect(entra?.status).toBe('fail');
    expect(entra?.detail).toMatch(
      /^could not read: ARM GET \/providers\/microsoft\.aadiam\/diagnosticSettings: HTTP 403 AuthorizationFailed: The client '.+' .* does not have authorization/,
    );
  });

  it('waits as told on 429 Retry-After and reads again; fails with the status when throttling persists', async () => {
    const azure = plumbing();
    await azure.diagnosticSettings(SUB); // the token is fetched: the faults below reach ARM's list
    const throttled = {
      kind: 'status' as const,
      status: 429,
      headers: { 'retry-after': '0' },
      body: '{"error":{"code":"TooManyRequests","message":"throttled"}}',
    };
    server.fail(throttled);
    const settings = await azure.diagnosticSettings('/providers/microsoft.aadiam');
    expect(settings?.map((s) => s.name)).toEqual(['glasswatch-entra']);
    expect(server.received.slice(-2).map((r) => `${r.status} ${r.path}`)).toEqual([
      '429 /providers/microsoft.aadiam/diagnosticSettings',
      '200 /providers/microsoft.aadiam/diagnosticSettings',
    ]);
    server.fail(throttled, throttled, throttled, throttled);
    await expect(azure.diagnosticSettings(SUB)).rejects.toThrow(/HTTP 429 TooManyRequests: throttled/);
  });

  it('explains what it did not check', async () => {
    const none = parseRegistry('accounts: [{ id: e, cloud: azure, match: { userPrincipalName: a@b.c } }]', 'n.yaml');
    expect((await verifyAzure(plumbing(), none.pipeline)).map((r) => `${r.status}: ${r.detail}`)).toEqual([
      'unchecked: pipeline.azure.diagnosticSettings not in the registry',
    ]);
    expect((await verifyAzure(undefined, registry().pipeline)).map((r) => `${r.status}: ${r.detail}`)).toEqual([
      'unchecked: no Azure credentials in this run',
    ]);
    expect(server.received).toHaveLength(0);
  });
});
