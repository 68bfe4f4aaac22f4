import { describe, expect, it } from 'vitest';
import { normalizeAzureDiagnostic } from '../../../../shared/core/normalize/azure/index.js';
import type { JsonObject } from '../../../../shared/core/normalize/fields.js';
import { readFixtureJson } from '../../../support/fixtures.js';
import { errorOf, normalizeAzure, OTEL, PANTHER_ACTIVITY, PANTHER_ENTRA, pantherLog, pantherRows } from './harness.js';

const entra = (name: string) => normalizeAzureDiagnostic(pantherLog(PANTHER_ENTRA, name), { location: PANTHER_ENTRA });
const activity = (name: string) =>
  normalizeAzureDiagnostic(pantherLog(PANTHER_ACTIVITY, name), { location: PANTHER_ACTIVITY });

describe('Event Hub Activity record (otel-collector administrative_valid_1)', () => {
  it('reads the diagnostic-settings write by an Owner', () => {
    const [event, ...rest] = normalizeAzure(readFixtureJson(OTEL), { location: 'eventhub:activity/0' });
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      id: 'azure:aaaaaaaa-bbbb-cccc-dddd-111111111111|microsoft.insights/diagnosticsettings/write|start|2025-04-15T10:16:32.987Z',
      source: 'azure.activity',
      category: 'api',
      time: '2025-04-15T10:16:32.987Z',
      service: 'MICROSOFT.INSIGHTS',
      action: 'MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/WRITE',
      // resultType Start: the write had not finished when this record was written.
      outcome: 'unknown',
      providerGenerated: false,
      actor: {
        type: 'User',
        display: 'user@example.com (John Doe)',
        upn: 'user@example.com',
        objectId: 'bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb',
      },
      account: '11111111-1111-1111-1111-111111111111',
      src: { ip: '203.0.113.10' },
      resources: [
        '/SUBSCRIPTIONS/11111111-1111-1111-1111-111111111111/PROVIDERS/MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/EXAMPLE-COLLECT-SAMPLE-LOGS',
      ],
      origin: { location: 'eventhub:activity/0', index: 0 },
    });
  });
});

/** Panther rows in shapes Event Hub never sends; each must be rejected by name. */
const ENTRA_REJECTED: Record<string, string> = {
  // Panther writes the Entra audit category where Event Hub writes "AuditLogs".
  'Set Federation Settings': 'category',
  'Different Values Changed': 'category',
  'Add Service Principal Credentials': 'category',
  'Create Service Principal': 'category',
};

describe(`Panther Entra ID test events in diagnostic shape (${PANTHER_ENTRA})`, () => {
  const rows = pantherRows(PANTHER_ENTRA);

  it('has every copied row', () => {
    expect(rows).toHaveLength(37);
  });

  it.each(rows.map((r, i) => [i, r.test_name, r] as const))('#%i %s', (index, name, row) => {
    const origin = { location: PANTHER_ENTRA, line: index + 1 };
    const field = ENTRA_REJECTED[name];
    if (field !== undefined) {
      expect(errorOf(normalizeAzureDiagnostic, row.log, origin).field).toBe(field);
      return;
    }
    const event = normalizeAzureDiagnostic(row.log, origin);
    expect(event.cloud).toBe('azure');
    expect(Number.isFinite(event.timeMs)).toBe(true);
    const category = row.log.category as string;
    const expected = /SignInLogs$/.test(category)
      ? 'azure.signin'
      : category === 'AuditLogs'
        ? 'azure.audit'
        : 'azure.activity';
    expect(event.source).toBe(expected);
  });

  it('reads a locked-out sign-in (50053) as a failure with code and reason', () => {
    expect(entra('Account Lockout Error 50053')).toMatchObject({
      source: 'azure.signin',
      outcome: 'failure',
      failureReason: expect.stringMatching(/^50053: The account is locked/),
      actor: { type: 'User', upn: 'boromir@lotr.com' },
      src: { ip: '4.4.4.4', geo: 'Unknown, Unknown, RU' },
    });
  });

  it('reads a single-factor ROPC sign-in as MFA not used, with the password step as method', () => {
    expect(entra('ROPC Login Without MFA')).toMatchObject({
      outcome: 'success',
      service: 'Legacy Application',
      mfa: { used: false, methods: ['Password'] },
      account: 'tenant-123',
    });
    expect(entra('Failed ROPC Login')).toMatchObject({
      outcome: 'failure',
      failureReason: '50126: Invalid username or password',
    });
  });

  it('takes the sign-in time from createdDateTime and keeps Event Hub time as received', () => {
    const event = entra('Non-Interactive Sign-In via NonInteractiveUserSignInLogs Category');
    expect(event).toMatchObject({
      time: '2026-02-18T07:32:50.552Z',
      receivedTime: '2026-02-18T07:34:37.443Z',
      actor: { upn: 'jane.doe@example.com', objectId: '3b4e2783-2b5d-4f1f-a3d9-ddc0ed1c623f' },
    });
  });

  it('names the user whose role assignment was removed as target', () => {
    expect(entra('Different Operation')).toMatchObject({
      source: 'azure.audit',
      action: 'Delete role assignment',
      actor: {
        type: 'User',
        upn: 'secadmin@company.com',
        objectId: 'user-security-777',
        display: 'secadmin@company.com (Security Admin)',
      },
      targets: [{ upn: 'former@company.com', objectId: 'user-former-888' }],
      resources: ['Former Employee'],
      src: { ip: '198.51.100.150' },
      outcome: 'success',
    });
  });

  it('names the user added to a role by PIM as target, not the role or the request', () => {
    const event = entra('Successfully added PIM role');
    expect(event).toMatchObject({
      id: 'azure:PIM_123415',
      service: 'PIM',
      action: 'Add member to role in PIM completed (permanent)',
      targets: [{ objectId: '12345' }],
    });
    expect(event.resources).toContain('Application Administrator');
  });

  it('reads an unsuccessful invite as a failure', () => {
    expect(entra('Unsuccessful invite').outcome).toBe('failure');
    expect(entra('Successful Invite external user')).toMatchObject({
      outcome: 'success',
      id: 'azure:Invited Users_123456789',
    });
  });
});

describe(`Panther Azure Activity test events in diagnostic shape (${PANTHER_ACTIVITY})`, () => {
  const rows = pantherRows(PANTHER_ACTIVITY);

  it('has every copied row', () => {
    expect(rows).toHaveLength(207);
  });

  it('normalizes every Activity log record and rejects the storage resource logs and the REST-shaped one', () => {
    let normalized = 0;
    rows.forEach((row, i) => {
      const origin = { location: PANTHER_ACTIVITY, line: i + 1 };
      const category = row.log.category as string;
      if (category.startsWith('Storage')) {
        expect(errorOf(normalizeAzureDiagnostic, row.log, origin).field).toBe('category');
      } else if (typeof row.log.operationName === 'object') {
        // {value, localizedValue}: the REST API's shape, not the diagnostic record's.
        expect(errorOf(normalizeAzureDiagnostic, row.log, origin).field).toBe('operationName');
      } else {
        const event = normalizeAzureDiagnostic(row.log, origin);
        expect(event.source).toBe('azure.activity');
        expect(event.action).toBe(row.log.operationName);
        normalized++;
      }
    });
    expect(normalized).toBe(195);
  });

  it('reads diagnostic-settings deletions in either status spelling as successes', () => {
    expect(activity('Diagnostic Settings Deleted')).toMatchObject({
      action: 'Microsoft.Insights/diagnosticSettings/delete',
      outcome: 'success',
      account: '12345678-1234-1234-1234-123456789abc',
    });
    const lower = rows.find((r) => r.log.operationName === 'microsoft.insights/diagnosticsettings/delete');
    expect(normalizeAzureDiagnostic(lower?.log, { location: 'x' }).outcome).toBe('success');
  });

  it('names the principal a role is assigned to, from the request body', () => {
    const event = activity('Owner Role Assignment');
    expect(event).toMatchObject({
      action: 'Microsoft.Authorization/roleAssignments/write',
      outcome: 'success',
      targets: [{ objectId: '770797c4-e05a-43f9-bda2-1f1f379987ae' }],
      // The caller is known only by ARM's principalId (no dashes); written as a GUID.
      actor: { type: 'User', objectId: '6b6d44f0-b13a-46a0-bfde-161324d4c34d' },
    });
  });

  it('marks Advisor recommendations as provider generated, policy actions not', () => {
    expect(activity('Security Recommendation Available')).toMatchObject({
      providerGenerated: true,
      outcome: 'unknown',
    });
    expect(activity('Storage Account Policy Violation').providerGenerated).toBe(false);
  });

  it('reads Failed as a failure', () => {
    const failed = rows.filter((r) => r.log.resultType === 'Failed');
    expect(failed.length).toBe(6);
    for (const row of failed) expect(normalizeAzureDiagnostic(row.log, { location: 'x' }).outcome).toBe('failure');
  });
});

describe('malformed diagnostic records', () => {
  const otel = () => structuredClone(readFixtureJson<{ records: JsonObject[] }>(OTEL).records[0] as JsonObject);
  const signIn = () => pantherLog(PANTHER_ENTRA, 'ROPC Login Without MFA');
  const origin = { location: 'eventhub:entra/3', index: 9 };

  it.each([
    ['no category', otel, (r: JsonObject) => delete r.category, 'category', /missing/],
    ['resource log category', otel, (r: JsonObject) => (r.category = 'StorageRead'), 'category', /not a sign-in/],
    ['prototype key as category', otel, (r: JsonObject) => (r.category = '__proto__'), 'category', /not a sign-in/],
    ['no operationName', otel, (r: JsonObject) => delete r.operationName, 'operationName', /missing/],
    ['no time', otel, (r: JsonObject) => delete r.time, 'time', /missing/],
    ['claims a list', otel, (r: JsonObject) => ((r.identity as JsonObject).claims = []), 'identity.claims', /object/],
    ['properties a number', signIn, (r: JsonObject) => (r.properties = 5), 'properties', /object/],
    [
      'authenticationDetails a string',
      signIn,
      (r: JsonObject) => ((r.properties as JsonObject).authenticationDetails = 'Password'),
      'properties.authenticationDetails',
      /array/,
    ],
    [
      'status.errorCode an object',
      signIn,
      (r: JsonObject) => ((r.properties as JsonObject).status = { errorCode: {} }),
      'properties.status.errorCode',
      /string/,
    ],
  ])('%s → NormalizeError naming the path and origin', (_name, seed, breakIt, field, reason) => {
    const record = seed();
    breakIt(record);
    const error = errorOf(normalizeAzureDiagnostic, record, origin);
    expect(error.field).toBe(field);
    expect(error.reason).toMatch(reason);
    expect(error.format).toBe('azure.diagnostic');
    expect(error.message).toContain('eventhub:entra/3#9');
  });

  it('keeps an unreadable role-assignment request body from rejecting the record', () => {
    const record = pantherLog(PANTHER_ACTIVITY, 'Owner Role Assignment');
    (record.properties as JsonObject).requestbody = '{"Properties":{"PrincipalId":"22222222-33';
    const event = normalizeAzureDiagnostic(record, origin);
    expect(event.targets).toEqual([]);
    expect(event.action).toBe('Microsoft.Authorization/roleAssignments/write');
  });
});
