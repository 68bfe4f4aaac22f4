import { describe, expect, it } from 'vitest';
import { verifyAzure } from '../../../shared/core/assure/verify/azure.js';
import { verifyGcp } from '../../../shared/core/assure/verify/gcp.js';
import { parseRegistry } from '../../../shared/core/registry/index.js';
import { verifyClouds } from '../../../shared/runtime/assure/verify-clouds.js';

/**
 * The deployed verify function's GCP and Azure clients (shared/runtime/assure/verify-clouds.ts): a
 * cloud without its poller's secret is not checked, with the reason; a secret that cannot be read or
 * is not a credential fails every check of that cloud, naming the secret and never echoing its value.
 */

const registry = parseRegistry(
  `accounts: [{ id: g, cloud: gcp, match: { email: breakglass@example.com } }]
pipeline:
  gcp: { sink: organizations/1/sinks/glasswatch, topic: projects/p/topics/t, subscription: projects/p/subscriptions/s }
  azure:
    diagnosticSettings: [{ id: /providers/microsoft.aadiam/diagnosticSettings/glasswatch, categories: [SignInLogs] }]
`,
  'r.yaml',
);
const lines = (results: { status: string; key: string; detail: string }[]) =>
  results.map((r) => `${r.status} ${r.key}: ${r.detail}`);

describe('verify function clients', () => {
  it('records a cloud the stack has no poller for as not checked, with why', async () => {
    const clouds = verifyClouds({}, () => Promise.reject(new Error('not called')));
    expect(clouds.gcp).toBeUndefined();
    expect(clouds.azure).toBeUndefined();
    expect(lines(await verifyGcp(clouds.gcp, registry, clouds.missing.gcp))).toEqual([
      `unchecked gcp.sink: ${clouds.missing.gcp}`,
      `unchecked gcp.pubsub.topic: ${clouds.missing.gcp}`,
      `unchecked gcp.pubsub.subscription: ${clouds.missing.gcp}`,
    ]);
    expect(clouds.missing.azure).toMatch(/AzureWorkspaceId empty/);
  });

  it('fails every check of a cloud whose secret cannot be read or is no credential, never echoing it', async () => {
    const env = {
      GLASSWATCH_GCP_CREDENTIALS_SECRET_REF: 'gw/gcp',
      GLASSWATCH_AZURE_CREDENTIALS_SECRET_REF: 'gw/azure',
    };
    const clouds = verifyClouds(env, async (id) => {
      if (id === 'gw/gcp') throw new Error('secret gw/gcp: ResourceNotFoundException (no secret value yet)');
      return JSON.stringify({ tenantId: 'not-a-guid', clientSecret: 'hunter2-value' });
    });
    const gcp = lines(await verifyGcp(clouds.gcp, registry, clouds.missing.gcp));
    expect(gcp).toHaveLength(3);
    for (const line of gcp) expect(line).toMatch(/^fail .*: could not read: secret gw\/gcp: ResourceNotFoundException/);
    const azure = lines(await verifyAzure(clouds.azure, registry.pipeline, clouds.missing.azure));
    expect(azure).toEqual([
      expect.stringMatching(/^fail azure\.setting#.*: could not read: secret gw\/azure: expected/),
    ]);
    expect(azure.join()).not.toContain('hunter2');
  });

  it('refuses an endpoint override that is not a URL, naming the variable', () => {
    expect(() => verifyClouds({ GLASSWATCH_AZURE_ARM_URL: 'management.azure.com' }, async () => '')).toThrow(
      /GLASSWATCH_AZURE_ARM_URL/,
    );
  });
});
