import { describe, expect, it } from 'vitest';
import { detect } from '../../../../shared/core/detect/engine.js';
import type { AuditEvent } from '../../../../shared/core/model/audit-event.js';
import type { Finding } from '../../../../shared/core/model/finding.js';
import { normalize, Skipped } from '../../../../shared/core/normalize/index.js';
import { parseRegistry, RegistryMatcher } from '../../../../shared/core/registry/index.js';
import { readFixtureJsonl } from '../../../support/fixtures.js';

/**
 * Azure Key Vault AuditEvent records in their three spellings (diagnostic record, AZKVAuditLogs,
 * AzureDiagnostics), written from the Key Vault logging page and the two table references
 * (test/fixtures/PROVENANCE.md): a read of the registered secret is `credential.access` on the owning
 * account, graded by the approval path; a change is `account.change`; other secrets and other
 * resources' records are not.
 */
const registry = new RegistryMatcher(
  parseRegistry(
    `
accounts:
  - id: entra-ea2
    cloud: azure
    match: { userPrincipalName: ea2@contoso.com }
    credential:
      stores: [{ keyVault: { vault: BG-Vault-Prod, secret: entra-ea2-password } }]
      approvedReaders: ["d9da5048-2737-4770-bd64-0f1e2d3c4b5a", "custodian@contoso.com"]
`,
    'credential-key-vault.test.yaml',
  ),
);

type Row = { name: string; format: 'diagnostic' | 'log-analytics'; event: Record<string, unknown> };
const rows = new Map(
  readFixtureJsonl<Row>('azure/written-from-docs/key_vault_audit.jsonl').map((r, index) => [
    r.name,
    normalize({
      format: r.format === 'diagnostic' ? 'azure.diagnostic' : 'azure.log-analytics',
      value: r.event,
      origin: { location: 'key_vault_audit.jsonl', index },
    }),
  ]),
);

function event(name: string): AuditEvent {
  const result = rows.get(name);
  if (result === undefined || result instanceof Skipped) throw new Error(`${name}: not an event`);
  return result;
}

function findings(name: string, kind: Finding['kind']): Finding[] {
  return detect(event(name), registry).findings.filter((f) => f.kind === kind);
}

describe('Key Vault AuditEvent normalization', () => {
  it('reads every spelling as a Microsoft.KeyVault call naming the secret URL, the caller and the subscription', () => {
    expect(event('diag-get-approved')).toMatchObject({
      cloud: 'azure',
      source: 'azure.keyvault',
      service: 'Microsoft.KeyVault',
      action: 'SecretGet',
      outcome: 'success',
      account: 'aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e',
      actor: { type: 'User', upn: 'custodian@contoso.com', objectId: 'd9da5048-2737-4770-bd64-0f1e2d3c4b5a' },
      src: { ip: '104.40.82.76' },
    });
    expect(event('diag-get-approved').resources).toContain(
      'https://bg-vault-prod.vault.azure.net/secrets/entra-ea2-password/4387e9f3d6e14c459867679a90fd0f79',
    );
    expect(event('azkv-get-app')).toMatchObject({
      action: 'SecretGet',
      actor: { type: 'ServicePrincipal', objectId: '99990000-aaaa-bbbb-cccc-ddddeeeeffff' },
      account: 'aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e',
    });
    expect(event('azd-backup-approved')).toMatchObject({
      action: 'SecretBackup',
      actor: { upn: 'custodian@contoso.com' },
      src: { ip: '104.40.82.76' },
    });
  });

  it('takes a 403 as a failure even though the REST result says Success, and keeps the request URI as the only name', () => {
    const denied = event('diag-get-denied');
    expect(denied.outcome).toBe('failure');
    expect(denied.failureReason).toBe('Forbidden');
    expect(denied.resources).toEqual([
      'https://bg-vault-prod.vault.azure.net/secrets/entra-ea2-password/?api-version=7.4',
    ]);
  });

  it('skips AuditEvent records of other resources and AzureDiagnostics rows of other providers (well-formed, not ours)', () => {
    for (const name of ['diag-other-resource', 'azd-sql']) {
      const result = rows.get(name);
      expect(result, name).toBeInstanceOf(Skipped);
      expect((result as Skipped).kind, name).toBe('azure.other-category');
    }
  });
});

describe('credential-access (Azure Key Vault)', () => {
  it('fires high for an approved reader, by object id (diagnostic record) or by UPN (AzureDiagnostics SecretBackup)', () => {
    for (const name of ['diag-get-approved', 'azd-backup-approved']) {
      const [finding] = findings(name, 'credential.access');
      expect(finding, name).toMatchObject({ account: 'entra-ea2', severity: 'high' });
      expect(finding?.title, name).toContain('Azure Key Vault');
    }
  });

  it('fires critical "outside the approval path" for anyone else: a user, a denied attempt, an application (AZKVAuditLogs)', () => {
    for (const name of ['diag-get-other-reader', 'diag-get-denied', 'azkv-get-app']) {
      const [finding] = findings(name, 'credential.access');
      expect(finding, name).toMatchObject({ account: 'entra-ea2', severity: 'critical' });
      expect(finding?.title, name).toContain('credential read outside the approval path');
    }
  });

  it('does not fire on another secret of the same vault, or on a change', () => {
    expect(findings('diag-get-other-secret', 'credential.access')).toEqual([]);
    expect(findings('diag-set', 'credential.access')).toEqual([]);
  });
});

describe('credential-store-change (Azure Key Vault)', () => {
  it('fires on SecretSet of the break-glass secret, not on a read or on another secret', () => {
    expect(findings('diag-set', 'account.change')[0]).toMatchObject({
      account: 'entra-ea2',
      ruleId: 'credential-store-change',
    });
    expect(findings('diag-get-approved', 'account.change')).toEqual([]);
    expect(findings('diag-get-other-secret', 'account.change')).toEqual([]);
  });
});
