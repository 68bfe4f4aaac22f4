import { describe, expect, it } from 'vitest';
import { CREDENTIAL_ACTIONS } from '../../../../shared/core/detect/credential-actions.js';
import { entraQueries, windowedKql } from '../../../../shared/core/ingest/filters/index.js';
import { registrySchema } from '../../../../shared/core/registry/schema.js';

const window = { fromMs: Date.parse('2026-11-20T11:00:00Z'), toMs: Date.parse('2026-11-20T11:05:00Z') };

describe('entraQueries: Key Vault AuditEvent rows of registered secrets', () => {
  const withVault = entraQueries(
    registrySchema.parse({
      accounts: [
        {
          id: 'entra-ea2',
          cloud: 'azure',
          match: { userPrincipalName: 'ea2@contoso.com' },
          credential: { stores: [{ keyVault: { vault: 'BG-Vault-Prod', secret: 'Entra-EA2-Password' } }] },
        },
      ],
    }),
  );

  it('reads AZKVAuditLogs (through a fuzzy union: the table may not exist) and the Key Vault rows of AzureDiagnostics', () => {
    const tables = withVault.filter((q) => q.table === 'AZKVAuditLogs' || q.table === 'AzureDiagnostics');
    expect(tables.map((q) => q.table)).toEqual(['AZKVAuditLogs', 'AzureDiagnostics']);
    const [first, second] = tables;
    if (!first || !second) throw new Error('Key Vault queries missing');
    const azkv = windowedKql(first, window, 500);
    expect(azkv.split('\n')[0]).toBe(
      'union isfuzzy=true (datatable(Type: string, OperationName: string, Id: string, RequestUri: string)[]), AZKVAuditLogs',
    );
    const azd = windowedKql(second, window, 500);
    expect(azd).toContain('ResourceProvider == "MICROSOFT.KEYVAULT" and Category == "AuditEvent"');
    expect(azd).toContain('column_ifexists("id_s", "")');
  });

  it('selects every Key Vault operation of the credential table, on the vault and secret named (lower case)', () => {
    const operations = CREDENTIAL_ACTIONS.filter((a) => a.cloud === 'azure').map((a) => a.action);
    expect(operations.length).toBeGreaterThan(0);
    for (const query of withVault.filter((q) => q.table === 'AZKVAuditLogs' || q.table === 'AzureDiagnostics')) {
      const kql = windowedKql(query, window, 500);
      for (const op of operations) expect(kql, `${query.table} ${op}`).toContain(`@"${op}"`);
      expect(kql).toContain('@"://bg-vault-prod.vault."');
      expect(kql).toContain('@"/secrets/entra-ea2-password"');
    }
  });

  it('adds no Key Vault query when no account names a vault', () => {
    const none = entraQueries(
      registrySchema.parse({ accounts: [{ id: 'e', cloud: 'azure', match: { userPrincipalName: 'e@contoso.com' } }] }),
    );
    expect(none.map((q) => q.table)).not.toContain('AZKVAuditLogs');
    expect(none.map((q) => q.table)).not.toContain('AzureDiagnostics');
  });
});
