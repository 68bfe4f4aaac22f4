import { describe, expect, it } from 'vitest';
import { detect } from '../../../../shared/core/detect/engine.js';
import { TAMPER_ENTRIES } from '../../../../shared/core/detect/tamper-actions.js';
import {
  AZURE_TAMPER_OPERATIONS,
  entraQueries,
  FilterBuildError,
  INGESTED_AT_COLUMN,
  windowedKql,
} from '../../../../shared/core/ingest/filters/index.js';
import { normalize } from '../../../../shared/core/normalize/index.js';
import { type RegistryInput, RegistryMatcher } from '../../../../shared/core/registry/index.js';
import { registrySchema } from '../../../../shared/core/registry/schema.js';
import { readFixtureJsonl } from '../../../support/fixtures.js';
import { normalized } from '../../../support/normalize.js';

const registry = (accounts: RegistryInput['accounts']) => registrySchema.parse({ accounts });
const window = { fromMs: Date.parse('2026-11-18T13:25:00Z'), toMs: Date.parse('2026-11-18T13:58:00Z') };

/** The query text with every string literal (regular or verbatim) replaced by `<s>`: what KQL parses as code. */
function codeOutsideLiterals(kql: string): string {
  let out = '';
  for (let i = 0; i < kql.length; i++) {
    const verbatim = kql[i] === '@' && kql[i + 1] === '"';
    if (!verbatim && kql[i] !== '"') {
      out += kql[i];
      continue;
    }
    i += verbatim ? 2 : 1;
    for (; i < kql.length; i++) {
      if (!verbatim && kql[i] === '\\') i++;
      else if (kql[i] === '"' && verbatim && kql[i + 1] === '"') i++;
      else if (kql[i] === '"') break;
    }
    out += '<s>';
  }
  return out;
}

const TAMPER_WHERE = `| where OperationNameValue in~ (${AZURE_TAMPER_OPERATIONS.map((op) => `@"${op}"`).join(', ')})`;

describe('entraQueries', () => {
  const queries = entraQueries(
    registry([
      { id: 'entra-ea1', cloud: 'azure', match: { userPrincipalName: 'EA1@contoso.onmicrosoft.com' } },
      { id: 'entra-ea2', cloud: 'azure', match: { objectId: '9B117C67-170E-4AED-9702-658B3FDDC889' } },
      { id: 'gcp', cloud: 'gcp', match: { email: 'bg@example.com' } },
    ]),
  );

  it('queries the two user sign-in tables, AuditLogs and AzureActivity, each with its record id', () => {
    expect(queries.map((q) => [q.table, q.idColumn])).toEqual([
      ['SigninLogs', 'Id'],
      ['AADNonInteractiveUserSignInLogs', 'Id'],
      ['AuditLogs', 'Id'],
      ['AzureActivity', 'EventDataId'],
    ]);
  });

  it('filters on ingestion_time(), never TimeGenerated, and orders by it for paging', () => {
    const kql = windowedKql(queries[0] as (typeof queries)[number], window, 2000);
    expect(kql).toBe(
      [
        'SigninLogs',
        '| where ingestion_time() >= datetime(2026-11-18T13:25:00.000Z) and ingestion_time() < datetime(2026-11-18T13:58:00.000Z)',
        '| where tolower(UserPrincipalName) in (@"ea1@contoso.onmicrosoft.com") or tolower(UserId) in (@"9b117c67-170e-4aed-9702-658b3fddc889")',
        `| extend ${INGESTED_AT_COLUMN} = ingestion_time()`,
        `| order by ${INGESTED_AT_COLUMN} asc`,
        '| take 2000',
      ].join('\n'),
    );
    for (const query of queries) expect(windowedKql(query, window, 10)).not.toContain('TimeGenerated');
  });

  it('looks for the accounts among AuditLogs targets and initiators, case-insensitively', () => {
    const kql = windowedKql(queries[2] as (typeof queries)[number], window, 10);
    expect(kql).toContain(
      '| extend GlasswatchParties = tolower(strcat(tostring(TargetResources), " ", tostring(InitiatedBy)))',
    );
    expect(kql).toContain(
      '| where (GlasswatchParties contains @"ea1@contoso.onmicrosoft.com" or GlasswatchParties contains @"9b117c67-170e-4aed-9702-658b3fddc889")',
    );
    expect(kql).toContain('| project-away GlasswatchParties');
  });

  it('keeps every Azure tamper operation by anyone, and the accounts’ own calls and role assignments', () => {
    const kql = windowedKql(queries[3] as (typeof queries)[number], window, 10);
    expect(kql).toContain(TAMPER_WHERE);
    expect(kql).toContain('@"MICROSOFT.AADIAM/DIAGNOSTICSETTINGS/WRITE"');
    expect(kql).toContain(
      'or tolower(Caller) in (@"ea1@contoso.onmicrosoft.com", @"9b117c67-170e-4aed-9702-658b3fddc889")',
    );
    expect(kql).toContain('tolower(tostring(Properties_d)) contains @"9b117c67-170e-4aed-9702-658b3fddc889"');
  });

  it('with no Azure account, reads only the tamper operations', () => {
    const only = entraQueries(registry([{ id: 'gcp', cloud: 'gcp', match: { email: 'bg@example.com' } }]));
    expect(only.map((q) => q.table)).toEqual(['AzureActivity']);
    expect(windowedKql(only[0] as (typeof only)[number], window, 5)).toContain(`${TAMPER_WHERE}\n| extend`);
  });

  it('keeps a hostile UPN inside its literal: the code around it is unchanged', () => {
    const hostile = entraQueries(
      registry([{ id: 'evil', cloud: 'azure', match: { userPrincipalName: 'x" or true or "\\' } }]),
    );
    const benign = entraQueries(
      registry([{ id: 'ok', cloud: 'azure', match: { userPrincipalName: 'ea1@contoso.com' } }]),
    );
    hostile.forEach((query, i) => {
      const kql = windowedKql(query, window, 10);
      expect(codeOutsideLiterals(kql)).toBe(codeOutsideLiterals(windowedKql(benign[i] as typeof query, window, 10)));
      expect(codeOutsideLiterals(kql)).not.toContain('true');
    });
  });

  it('refuses a UPN with a line break, naming the registry entry', () => {
    const bad = registry([
      { id: 'entra-x', cloud: 'azure', match: { userPrincipalName: 'ea1@contoso.com\n| take 1' } },
    ]);
    expect(() => entraQueries(bad)).toThrow(FilterBuildError);
    expect(() => entraQueries(bad)).toThrow(/accounts\[0\] \(id entra-x\) field match\.userPrincipalName/);
  });
});

describe('AZURE_TAMPER_OPERATIONS', () => {
  it('lists every Azure action of the tamper table', () => {
    const table = TAMPER_ENTRIES.filter((e) => e.cloud === 'azure').flatMap((e) =>
      e.actions.map((a) => a.toUpperCase()),
    );
    expect([...AZURE_TAMPER_OPERATIONS].sort()).toEqual(table.sort());
  });

  // A real AzureActivity row (Sentinel training lab), with each watched operation in turn.
  const [row] = readFixtureJsonl<Record<string, unknown>>(
    'azure/sentinel-training-lab/azureActivity_adele.la-json.jsonl',
  );
  const matcher = new RegistryMatcher(
    registry([{ id: 'entra-x', cloud: 'azure', match: { userPrincipalName: 'nobody@contoso.com' } }]),
  );

  // Without a pipeline section, a subscription-level setting (whose body the row does not carry) is the path's.
  const settingId =
    '/SUBSCRIPTIONS/8F153238-E602-427E-A7C0-3043FBE50918/PROVIDERS/MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/SENTINEL';
  it.each(AZURE_TAMPER_OPERATIONS)('%s is audit tampering for the audit-tamper rule', (operation) => {
    const event = normalized(
      normalize({
        format: 'azure.log-analytics',
        value: { ...row, OperationNameValue: operation, _ResourceId: settingId, ResourceId: settingId },
        origin: { location: 'test' },
      }),
    );
    expect(detect(event, matcher).findings.map((f) => f.kind)).toContain('audit.tamper');
  });

  it('the row’s own operation is not (the test above can fail)', () => {
    const event = normalized(normalize({ format: 'azure.log-analytics', value: row, origin: { location: 'test' } }));
    expect(detect(event, matcher).findings.map((f) => f.kind)).not.toContain('audit.tamper');
  });
});
