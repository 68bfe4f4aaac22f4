import { describe, expect, it } from 'vitest';
import { normalizeAzureDiagnostic, normalizeLogAnalyticsRow } from '../../../../shared/core/normalize/azure/index.js';
import type { JsonObject } from '../../../../shared/core/normalize/fields.js';
import { readFixtureJson, readFixtureJsonl } from '../../../support/fixtures.js';
import { errorOf, normalizeAzure, normalizeSentinel, OTEL, OTRF, sentinelRows } from './harness.js';

const ADELE_UPN = 'adelev@m365x816222.onmicrosoft.com';
const ADELE_OBJECT_ID = '9b117c67-170e-4aed-9702-658b3fddc889';
const ENTRA_TENANT = '2ad3fc79-1859-42fa-9011-6f8df2251b22';

describe('SigninLogs: Adele Vance signs in from 175.45.176.99 (sign-in_adelete, recorded)', () => {
  const events = normalizeSentinel('sign-in_adelete.la-json.jsonl');

  it('normalizes all 56 rows as Adele Vance sign-ins from 175.45.176.99', () => {
    expect(events).toHaveLength(56);
    for (const event of events) {
      expect(event).toMatchObject({
        cloud: 'azure',
        source: 'azure.signin',
        category: 'authentication',
        action: 'Sign-in activity',
        providerGenerated: false,
        actor: { type: 'User', upn: ADELE_UPN, objectId: ADELE_OBJECT_ID, display: `${ADELE_UPN} (Adele Vance)` },
        // Log Analytics TenantId is the workspace; the Entra tenant is AADTenantId.
        account: ENTRA_TENANT,
        // singleFactorAuthentication = MFA not required; "Previously satisfied" by a first-factor claim
        // proves neither way: MFA unknown.
        mfa: { used: undefined, methods: ['Previously satisfied'] },
      });
      expect(event.src.ip).toBe('175.45.176.99');
      expect(event.id).toBe(`azure:${event.nativeId}`);
      expect(event.nativeId).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(new Set(events.map((e) => e.id)).size).toBe(56);
  });

  it('reads the first row field by field', () => {
    expect(events[0]).toMatchObject({
      id: 'azure:cfb68155-70f5-4e28-b046-0a3a7086c401',
      time: '2021-04-28T14:08:45.221Z',
      service: 'Azure Portal',
      outcome: 'success',
      src: {
        ip: '175.45.176.99',
        geo: 'Azor, Tel Aviv, IL',
        userAgent: expect.stringMatching(/Edg\/90\.0\.818\.49$/),
      },
      origin: { location: 'azure/sentinel-training-lab/sign-in_adelete.la-json.jsonl', line: 1 },
    });
    expect(events[0]?.failureReason).toBeUndefined();
  });

  it('reads non-zero result codes as failures with code and reason', () => {
    const failures = events.filter((e) => e.outcome === 'failure');
    expect(failures.map((e) => e.failureReason?.split(':')[0]).sort()).toEqual(['16000', '16000', '50058']);
    expect(failures.find((e) => e.failureReason?.startsWith('50058'))?.failureReason).toMatch(
      /^50058: The application tried to perform a silent sign in/,
    );
    expect(events.filter((e) => e.outcome === 'success')).toHaveLength(53);
  });
});

describe('SigninLogs: sign-ins to a disabled account (disable_accounts, recorded)', () => {
  const events = normalizeSentinel('disable_accounts.la-json.jsonl');

  it('reads all 4 as 50057 failures of JohnS from Pyongyang', () => {
    expect(events).toHaveLength(4);
    for (const event of events) {
      expect(event).toMatchObject({
        outcome: 'failure',
        failureReason: '50057: User account is disabled. The account has been disabled by an administrator.',
        actor: { upn: 'johns@m365x816222.onmicrosoft.com', objectId: '14dc6e86-42b9-4f0a-8da0-8b5bdc62e336' },
        src: { ip: '175.45.176.99', geo: 'Pyongyang, North Korea, KP' },
        // The password step itself failed: nothing was proven about a second factor.
        mfa: { used: undefined, methods: ['Password'] },
      });
    }
  });

  it('takes the time from the authentication step when the export dropped both time columns', () => {
    expect(events.map((e) => e.time)).toEqual([
      '2021-04-19T12:13:19.483Z',
      '2021-04-19T12:13:31.421Z',
      '2021-04-19T12:16:30.719Z',
      '2021-04-19T12:16:34.877Z',
    ]);
  });
});

describe('AuditLogs rows from a hunting query (AuditLogs_Hunting, recorded)', () => {
  it('rejects all 5: the query projected away every time column, and no time is invented', () => {
    const rows = sentinelRows('AuditLogs_Hunting.la-json.jsonl');
    expect(rows).toHaveLength(5);
    for (const { row, origin } of rows) {
      const error = errorOf(normalizeLogAnalyticsRow, row, origin);
      expect(error.field).toBe('ActivityDateTime');
      expect(error.reason).toMatch(/missing, and so is TimeGenerated/);
      expect(error.message).toContain(`AuditLogs_Hunting.la-json.jsonl:${origin.line}`);
    }
  });
});

describe('AuditLogs rows with dynamic columns as JSON text (OTRF GoldenSAML lab, recorded)', () => {
  const rows = readFixtureJsonl<JsonObject>(OTRF);

  it('parses InitiatedBy and TargetResources from JSON text', () => {
    expect(rows).toHaveLength(4);
    const event = normalizeLogAnalyticsRow(rows[0], { location: OTRF, line: 1 });
    expect(event).toMatchObject({
      id: 'azure:Directory_10065ffb-8199-48bc-8ff5-912cb5b8295a_AUMVX_13992832',
      source: 'azure.audit',
      category: 'api',
      service: 'Core Directory',
      action: 'Update application – Certificates and secrets management',
      outcome: 'success',
      time: '2021-08-02T13:29:25.983Z',
      actor: { type: 'User', upn: 'pgustavo@simulandlabs.com', objectId: 'aead923d-498b-4f64-a66c-2af91447a8b6' },
      // An Application is changed, not a user: no targets for the account rules.
      targets: [],
      resources: ['SimuLandApp'],
      account: '00000000-0000-0000-0000-000000000000',
    });
    expect(event.src.userAgent).toMatch(/WindowsPowerShell/);
  });

  it('rejects the rows whose query overwrote Type with a target type, naming Type', () => {
    expect(errorOf(normalizeLogAnalyticsRow, rows[2]).reason).toMatch(/"Application" is not one Glasswatch reads/);
    expect(errorOf(normalizeLogAnalyticsRow, rows[3]).field).toBe('Type');
  });
});

describe('AzureActivity: Adele Vance deletes Key Vaults and resource groups (azureActivity_adele, recorded)', () => {
  const events = normalizeSentinel('azureActivity_adele.la-json.jsonl');

  it('normalizes all 23 rows as Adele’s ARM operations', () => {
    expect(events).toHaveLength(23);
    for (const event of events) {
      expect(event).toMatchObject({
        source: 'azure.activity',
        category: 'api',
        providerGenerated: false,
        actor: {
          type: 'User',
          upn: 'AdeleV@M365x816222.OnMicrosoft.com',
          objectId: ADELE_OBJECT_ID,
          display: 'AdeleV@M365x816222.OnMicrosoft.com (Adele Vance)',
        },
        account: '8f153238-e602-427e-a7c0-3043fbe50918',
        src: { ip: '37.142.150.162' },
      });
    }
    expect(events.filter((e) => e.action === 'MICROSOFT.KEYVAULT/VAULTS/DELETE')).toHaveLength(6);
    expect(new Set(events.map((e) => e.id)).size).toBe(23);
  });

  it('counts only finished operations as successes: Start and Accept are unknown', () => {
    const by = (outcome: string) => events.filter((e) => e.outcome === outcome).length;
    expect([by('success'), by('unknown'), by('failure')]).toEqual([13, 10, 0]);
  });

  it('reads the first row field by field', () => {
    expect(events[0]).toMatchObject({
      id: 'azure:a2bba39a-d17f-404d-9919-e59039e73ad4|microsoft.web/sites/delete|success|2021-04-28T14:32:14.029Z',
      time: '2021-04-28T14:32:14.029Z',
      service: 'MICROSOFT.WEB',
      action: 'MICROSOFT.WEB/SITES/DELETE',
      outcome: 'success',
      resources: [
        '/subscriptions/8f153238-e602-427e-a7c0-3043fbe50918/resourcegroups/sentinel-mainrg/providers/microsoft.web/sites/okta-new',
      ],
    });
  });
});

describe('AzureActivity rows of the pre-2021 schema without Type (azure_activity, recorded)', () => {
  const rows = sentinelRows('azure_activity.la-json.first40.jsonl');
  const events = rows.map(({ row, origin }) => normalizeLogAnalyticsRow(row, origin));

  it('recognises the table by its columns and normalizes all 40 rows', () => {
    expect(events).toHaveLength(40);
    for (const [i, event] of events.entries()) {
      expect(event.source).toBe('azure.activity');
      expect(event.account).toBe('1c61ccbf-70b3-45a3-a1fb-848ce46d70a6');
      const caller = String(rows[i]?.row.Caller);
      if (caller.includes('@')) expect(event.actor.upn).toBe(caller);
      else expect(event.actor.objectId).toBe(caller.toLowerCase());
    }
  });

  it('takes the operation from Properties.message, not the display name', () => {
    expect(events[0]).toMatchObject({
      action: 'Microsoft.SecurityInsights/incidents/write',
      outcome: 'success',
      receivedTime: '2021-04-26T19:18:24.156Z',
    });
    expect(events.filter((e) => e.outcome === 'unknown')).toHaveLength(18);
  });

  it('reads a Failed row with its substatus', () => {
    expect(events[18]).toMatchObject({ outcome: 'failure', failureReason: 'Conflict (HTTP Status Code: 409)' });
  });
});

describe('Activity ids: the same event in both spellings', () => {
  const diagnostic = readFixtureJson<{ records: JsonObject[] }>(OTEL).records[0] as JsonObject;

  /** The otel-collector record as Log Analytics stores it (AzureActivity columns, per the schema mapping). */
  const asLogAnalytics = (status: string): JsonObject => ({
    Type: 'AzureActivity',
    TenantId: 'workspace-guid',
    TimeGenerated: '2025-04-15T10:16:32.9873441Z',
    CorrelationId: 'aaaaaaaa-bbbb-cccc-dddd-111111111111',
    OperationNameValue: 'MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/WRITE',
    ActivityStatusValue: status,
    EventDataId: 'only-in-log-analytics',
    SubscriptionId: '11111111-1111-1111-1111-111111111111',
    Caller: 'user@example.com',
    CallerIpAddress: '203.0.113.10',
  });

  it('gives the Log Analytics row and the Event Hub record the same id', () => {
    const fromHub = normalizeAzureDiagnostic(diagnostic, { location: OTEL, index: 0 });
    const fromWorkspace = normalizeLogAnalyticsRow(asLogAnalytics('Start'), { location: 'workspace' });
    expect(fromWorkspace.id).toBe(fromHub.id);
    expect(fromWorkspace.account).toBe(fromHub.account);
    expect(fromWorkspace.actor.upn).toBe(fromHub.actor.upn);
  });

  it('tells apart the Start and Success records of one operation, whatever the status spelling', () => {
    const start = normalizeLogAnalyticsRow(asLogAnalytics('Start'), { location: 'w' });
    expect(normalizeLogAnalyticsRow(asLogAnalytics('Started'), { location: 'w' }).id).toBe(start.id);
    const success = normalizeLogAnalyticsRow(asLogAnalytics('Success'), { location: 'w' });
    expect(success.id).not.toBe(start.id);
    expect(normalizeLogAnalyticsRow(asLogAnalytics('Succeeded'), { location: 'w' }).id).toBe(success.id);
  });
});

describe('Log Analytics query API result (tables of rows, dynamic columns as JSON text)', () => {
  it('gives the same events as the exported rows', () => {
    const rows = sentinelRows('sign-in_adelete.la-json.jsonl')
      .slice(0, 5)
      .map((r) => r.row);
    const columns = Object.keys(rows[0] as JsonObject);
    const result = {
      tables: [
        {
          name: 'PrimaryResult',
          columns: columns.map((name) => ({ name, type: 'string' })),
          // The API returns dynamic values as JSON text.
          rows: rows.map((row) => columns.map((c) => (typeof row[c] === 'object' ? JSON.stringify(row[c]) : row[c]))),
        },
      ],
    };
    const fromApi = normalizeAzure(result, { location: 'workspace query' });
    const direct = rows.map((row) => normalizeLogAnalyticsRow(row, { location: 'x' }));
    expect(fromApi.map((e) => [e.id, e.mfa, e.src, e.actor])).toEqual(direct.map((e) => [e.id, e.mfa, e.src, e.actor]));
    expect(fromApi[3]?.origin).toEqual({ location: 'workspace query', index: 3 });
  });
});

describe('malformed Log Analytics rows', () => {
  const adele = () => structuredClone(sentinelRows('sign-in_adelete.la-json.jsonl')[0]?.row as JsonObject);
  const origin = { location: 'workspace 7c759f10', index: 2 };

  it.each([
    ['unknown table', (r: JsonObject) => (r.Type = 'SecurityEvent'), 'Type', /"SecurityEvent" is not one/],
    ['hostile table name', (r: JsonObject) => (r.Type = 'constructor'), 'Type', /"constructor" is not one/],
    [
      'no table and no telling column',
      (r: JsonObject) => {
        delete r.Type;
        delete r.Category;
      },
      'Type',
      /missing/,
    ],
    ['Id an object', (r: JsonObject) => (r.Id = { a: 1 }), 'Id', /expected a string/],
    [
      'bad JSON in a dynamic column',
      (r: JsonObject) => (r.AuthenticationDetails = '[{"x":'),
      'AuthenticationDetails',
      /JSON/,
    ],
    ['LocationDetails a list', (r: JsonObject) => (r.LocationDetails = [1]), 'LocationDetails', /object/],
    [
      'step without a usable time',
      (r: JsonObject) => {
        delete r.CreatedDateTime;
        r.AuthenticationDetails = [{ authenticationStepDateTime: 'later' }];
      },
      'AuthenticationDetails[0].authenticationStepDateTime',
      /not a timestamp/,
    ],
    ['bad CreatedDateTime', (r: JsonObject) => (r.CreatedDateTime = '7'), 'CreatedDateTime', /not a timestamp/],
    ['Status.errorCode a list', (r: JsonObject) => (r.Status = { errorCode: [] }), 'Status.errorCode', /string/],
  ])('%s → NormalizeError naming the column and origin', (_name, breakIt, field, reason) => {
    const row = adele();
    breakIt(row);
    const error = errorOf(normalizeLogAnalyticsRow, row, origin);
    expect(error.field).toBe(field);
    expect(error.reason).toMatch(reason);
    expect(error.format).toBe('azure.log-analytics');
    expect(error.message).toContain('workspace 7c759f10#2');
  });

  it('keeps a missing id from dropping the sign-in: a content hash stands in', () => {
    const row = adele();
    delete row.Id;
    const event = normalizeLogAnalyticsRow(row, origin);
    expect(event.nativeId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(normalizeLogAnalyticsRow(structuredClone(row), origin).id).toBe(event.id);
  });
});
