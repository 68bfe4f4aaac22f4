import { describe, expect, it } from 'vitest';
import { normalizeLogAnalyticsRow } from '../../../../shared/core/normalize/azure/index.js';
import type { JsonObject } from '../../../../shared/core/normalize/fields.js';
import { readFixtureJsonl } from '../../../support/fixtures.js';
import { errorOf, OTRF } from './harness.js';

/**
 * The directory-audit normalizer's own decisions (shared/core/normalize/azure/audit.ts), on variants
 * of one recorded AuditLogs row (OTRF GoldenSAML lab, InitiatedBy and TargetResources as JSON text):
 * who acted (user, app, or unknown — never a guess), which targets are people, the failure reason,
 * and errors that name the field.
 */

const ROW = readFixtureJsonl<JsonObject>(OTRF)[0] as JsonObject;
const origin = { location: OTRF, line: 1 };
const normalize = (changes: JsonObject) => normalizeLogAnalyticsRow({ ...structuredClone(ROW), ...changes }, origin);

const ADMIN = { id: '9b117c67-170e-4aed-9702-658b3fddc889', userPrincipalName: 'adelev@m365x816222.onmicrosoft.com' };

describe('Entra directory audit normalizer', () => {
  it('the initiator is the user, else the app (PIM, Azure AD itself), else unknown from Identity', () => {
    expect(normalize({ InitiatedBy: JSON.stringify({ user: ADMIN }) }).actor).toMatchObject({
      type: 'User',
      upn: ADMIN.userPrincipalName,
      objectId: ADMIN.id,
    });
    const app = { servicePrincipalId: 'b0e0b4ee-0e5e-4e4f-8a5c-2c4a0b7a9d11', displayName: 'MS-PIM' };
    expect(normalize({ InitiatedBy: JSON.stringify({ app }) }).actor).toEqual({
      type: 'ServicePrincipal',
      display: 'MS-PIM',
      objectId: app.servicePrincipalId,
    });
    expect(normalize({ InitiatedBy: JSON.stringify({ user: {} }), Identity: 'Someone' }).actor).toEqual({
      type: 'Unknown',
      display: 'Someone',
    });
  });

  it('only User targets are targets; every target names a resource once', () => {
    const targets = [
      { type: 'User', id: ADMIN.id, userPrincipalName: ADMIN.userPrincipalName, displayName: 'Adele Vance' },
      { type: 'Role', id: '62e90394-69f5-4237-9190-012177145e10', displayName: 'Global Administrator' },
      { type: 'User', id: ADMIN.id, userPrincipalName: ADMIN.userPrincipalName, displayName: 'Adele Vance' },
    ];
    const event = normalize({ TargetResources: JSON.stringify(targets), OperationName: 'Add member to role' });
    expect(event.targets).toEqual([
      { upn: ADMIN.userPrincipalName, objectId: ADMIN.id },
      { upn: ADMIN.userPrincipalName, objectId: ADMIN.id },
    ]);
    expect(event.resources).toEqual(['Adele Vance', 'Global Administrator']);
  });

  it('a failure carries its ResultReason; a success none', () => {
    const failed = normalize({ Result: 'failure', ResultReason: 'Insufficient privileges' });
    expect(failed.outcome).toBe('failure');
    expect(failed.failureReason).toContain('Insufficient privileges');
    expect(normalize({ Result: 'success', ResultReason: 'ignored' }).failureReason).toBeUndefined();
  });

  it('errors name the field: no time at all, or a null target', () => {
    const noTime = errorOf(normalizeLogAnalyticsRow, { ...ROW, ActivityDateTime: null, TimeGenerated: null }, origin);
    expect(noTime.message).toContain('ActivityDateTime');
    const nullTarget = errorOf(normalizeLogAnalyticsRow, { ...ROW, TargetResources: '[null]' }, origin);
    expect(nullTarget.message).toContain('TargetResources[0]');
  });
});
