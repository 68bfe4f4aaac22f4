import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENTRA_CURSOR_POLICY } from '../../../shared/core/ingest/cursor/index.js';
import { KqlError } from '../../support/cloud-servers/kql.js';
import { LogAnalyticsServer } from '../../support/cloud-servers/log-analytics.js';
import { readFixtureJsonl } from '../../support/fixtures.js';
import { entraTables, logAnalyticsPoller, type PollerWorld, pollerWorld } from './world.js';

/**
 * Key Vault openings on the Log Analytics path: the production `LogsQueryClient` runs the poller's
 * generated KQL (a fuzzy `union` with an empty `datatable` leg, `column_ifexists`) against the local
 * query API, which evaluates it as the union and datatable operator pages document. The rows are the
 * AZKVAuditLogs and AzureDiagnostics spellings written from the Key Vault logging page
 * (test/fixtures/azure/written-from-docs/key_vault_audit.jsonl): a SecretGet of the registered secret
 * in each table is read and becomes an opening; the same read of another secret, and a SQL audit row
 * of AzureDiagnostics, are not selected.
 */
const WORKSPACE = '5a1c2d3e-4f50-4617-8293-a4b5c6d7e8f9';
const MIN = 60_000;
const ACCOUNTS = [
  {
    id: 'entra-ea2',
    cloud: 'azure' as const,
    match: { userPrincipalName: 'ea2@contoso.com' },
    credential: {
      stores: [{ keyVault: { vault: 'BG-Vault-Prod', secret: 'entra-ea2-password' } }],
      approvedReaders: ['d9da5048-2737-4770-bd64-0f1e2d3c4b5a'],
    },
  },
];

type Row = Record<string, unknown>;
const fixture = new Map(
  readFixtureJsonl<{ name: string; event: Row }>('azure/written-from-docs/key_vault_audit.jsonl').map((r) => [
    r.name,
    r.event,
  ]),
);
const AZKV_GET: Row = { ...(fixture.get('azkv-get-app') as Row), _ItemId: 'c1f0c0de-0001-4000-8000-00000000a001' };
/** The AzureDiagnostics spelling of the documented SecretBackup row, as the SecretGet it records the same way. */
const AZD_GET: Row = {
  ...(fixture.get('azd-backup-approved') as Row),
  OperationName: 'SecretGet',
  requestUri_s: 'https://bg-vault-prod.vault.azure.net/secrets/entra-ea2-password?api-version=7.4',
  _ItemId: 'c1f0c0de-0001-4000-8000-00000000a002',
};
const otherSecret = (row: Row, itemId: string): Row =>
  JSON.parse(
    JSON.stringify(row)
      .replaceAll('entra-ea2-password', 'app-db-password')
      .replace(/"_ItemId":"[^"]*"/, `"_ItemId":"${itemId}"`),
  );
const ROWS: [string, Row][] = [
  ['AZKVAuditLogs', AZKV_GET],
  ['AZKVAuditLogs', otherSecret(AZKV_GET, 'c1f0c0de-0001-4000-8000-00000000b001')],
  ['AzureDiagnostics', AZD_GET],
  ['AzureDiagnostics', otherSecret(AZD_GET, 'c1f0c0de-0001-4000-8000-00000000b002')],
  ['AzureDiagnostics', { ...(fixture.get('azd-sql') as Row), _ItemId: 'c1f0c0de-0001-4000-8000-00000000b003' }],
];
const ingestedAt = (row: Row) => Date.parse(row.TimeGenerated as string) + 3 * MIN;
const LAST = Math.max(...ROWS.map(([, row]) => ingestedAt(row)));

let world: PollerWorld | undefined;
let server: LogAnalyticsServer;

async function poll() {
  world = await pollerWorld(ACCOUNTS, ENTRA_CURSOR_POLICY, new Date(LAST + 10 * MIN).toISOString());
  return logAnalyticsPoller(world, server).poll();
}

beforeEach(async () => {
  server = await new LogAnalyticsServer(WORKSPACE).start();
  entraTables(server);
  server.table('AuditLogs', {
    TimeGenerated: 'datetime',
    Id: 'string',
    OperationName: 'string',
    TargetResources: 'dynamic',
    InitiatedBy: 'dynamic',
  });
});
afterEach(async () => {
  await world?.close();
  world = undefined;
  await server.close();
});

describe('Key Vault openings through the Log Analytics poller', () => {
  it('reads the SecretGet of the registered secret from AZKVAuditLogs and AzureDiagnostics, not another secret or SQL row', async () => {
    for (const [table, row] of ROWS) server.ingest(table, row, ingestedAt(row));
    const report = await poll();
    expect(report.pipeline).toMatchObject({ errors: 0 });
    expect(report.read.new).toBe(2);
    const events = (await world?.repository.listIncidents())?.flatMap((i) => i.events) ?? [];
    expect(events.map((e) => [e.action, e.kinds, e.opening])).toEqual([
      [
        'SecretGet',
        ['credential.access'],
        { store: 'Azure Key Vault bg-vault-prod/entra-ea2-password', approval: 'outside' },
      ],
      [
        'SecretGet',
        ['credential.access'],
        { store: 'Azure Key Vault bg-vault-prod/entra-ea2-password', approval: 'approved' },
      ],
    ]);
    expect(events.every((e) => e.account === 'entra-ea2')).toBe(true);
    const kv = server.queries().filter((q) => q.query.startsWith('union isfuzzy=true'));
    expect(kv).toHaveLength(2);
  });

  it('a workspace where no diagnostic setting wrote Key Vault logs yet answers no rows, not an error', async () => {
    const report = await poll();
    expect(report.pipeline).toMatchObject({ errors: 0 });
    expect(report.read.new).toBe(0);
    expect(server.queries().filter((q) => q.query.startsWith('union isfuzzy=true'))).toHaveLength(2);
  });
});

describe('the local query API follows the union and datatable semantics', () => {
  it('a missing table is skipped only by isfuzzy; a column no leg has is still an error; legs merge by name and type', () => {
    server.ingest('AZKVAuditLogs', AZKV_GET, ingestedAt(AZKV_GET));
    expect(() => server.evaluate('union Missing, AZKVAuditLogs')).toThrow(KqlError);
    expect(() =>
      server.evaluate('union isfuzzy=true (datatable(Type: string)[]), Missing | where OperationName == "x"'),
    ).toThrow(/Failed to resolve scalar expression named 'OperationName'/);
    expect(() => server.evaluate('union isfuzzy=true Missing, Absent')).toThrow(/no operand/);
    const merged = server.evaluate(
      'union isfuzzy=true (datatable(Type: string, Id: long)["a", 1]), Missing, AZKVAuditLogs | where Type == "a" or Type == "AZKVAuditLogs"',
    );
    // `Id` is long in one leg and string in the other: one column per type.
    expect([...merged.columns.keys()].slice(0, 3)).toEqual(['Type', 'Id_long', 'TenantId']);
    expect(merged.columns.get('Id_string')).toBe('string');
    expect(merged.rows.map((r) => [r.values.get('Type'), r.values.get('Id_long'), r.values.get('Id_string')])).toEqual([
      ['a', 1, null],
      ['AZKVAuditLogs', null, AZKV_GET.Id],
    ]);
    const inner = server.evaluate('union kind=inner (datatable(Type: string, X: string)["t", "x"]), AZKVAuditLogs');
    expect([...inner.columns.keys()]).toEqual(['Type']);
    const ifExists = server.evaluate(
      'AZKVAuditLogs | extend A = column_ifexists("RequestUri", "none"), B = column_ifexists("requestUri_s", "none")',
    );
    expect(ifExists.rows.map((r) => [r.values.get('A'), r.values.get('B')])).toEqual([[AZKV_GET.RequestUri, 'none']]);
  });
});
