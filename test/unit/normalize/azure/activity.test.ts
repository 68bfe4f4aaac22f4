import { describe, expect, it } from 'vitest';
import { normalizeLogAnalyticsRow } from '../../../../shared/core/normalize/azure/index.js';
import type { JsonObject } from '../../../../shared/core/normalize/fields.js';
import { errorOf, sentinelRows } from './harness.js';

/**
 * The Activity log normalizer's own decisions (shared/core/normalize/azure/activity.ts), on variants
 * of one recorded AzureActivity row (Azure Sentinel training lab: Adele Vance deletes a web app): the
 * dedup id per operation and status, the caller from claims or `Caller`, the assignee of a role
 * assignment from its request body (best effort), and the subscription the event belongs to.
 */

const [first] = sentinelRows('azureActivity_adele.la-json.jsonl');
const ROW = first?.row as JsonObject;
const origin = { location: 'test/activity', line: 1 };
const normalize = (changes: JsonObject) => normalizeLogAnalyticsRow({ ...structuredClone(ROW), ...changes }, origin);
const ASSIGNEE = '5f1b7a0c-3c2d-4f6e-9a8b-1c2d3e4f5a6b';

describe('Azure Activity normalizer', () => {
  it('one id per (correlation, operation, status, time): Started and Succeeded of one call are two events', () => {
    const started = normalize({ ActivityStatusValue: 'Started' });
    const succeeded = normalize({ ActivityStatusValue: 'Succeeded' });
    expect(started.id).not.toBe(succeeded.id);
    expect(started.id).toBe(
      `azure:${ROW.CorrelationId}|microsoft.web/sites/delete|start|${new Date(String(ROW.TimeGenerated)).toISOString()}`,
    );
    expect(normalize({ ActivityStatusValue: 'Succeeded' }).id).toBe(succeeded.id);
    expect(succeeded).toMatchObject({ service: 'MICROSOFT.WEB', action: 'MICROSOFT.WEB/SITES/DELETE' });
  });

  it('the caller: a UPN is a user; a service principal’s object id in Caller is its id, not a name', () => {
    expect(normalize({}).actor).toMatchObject({ type: 'User', upn: 'AdeleV@M365x816222.OnMicrosoft.com' });
    const app = normalize({
      Caller: '0b4d5d7e-1c84-4b4a-9d3e-6a8c0a1e2f33',
      Claims: JSON.stringify({ idtyp: 'app' }),
      Authorization: '{}',
    });
    expect(app.actor).toMatchObject({ type: 'ServicePrincipal', objectId: '0b4d5d7e-1c84-4b4a-9d3e-6a8c0a1e2f33' });
    expect(app.actor.upn).toBeUndefined();
    const nobody = normalize({ Caller: null, Claims: '{}', Authorization: '{}' });
    expect(nobody.actor).toMatchObject({ type: 'Unknown', display: '(unknown)' });
  });

  it('a role assignment names its assignee from the request body, in either casing; a cut body names none', () => {
    const write = 'MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE';
    const body = (text: string) => ({ OperationNameValue: write, Properties: JSON.stringify({ requestbody: text }) });
    expect(normalize(body(JSON.stringify({ properties: { principalId: ASSIGNEE } }))).targets).toEqual([
      { objectId: ASSIGNEE },
    ]);
    expect(normalize(body(JSON.stringify({ Properties: { PrincipalId: ASSIGNEE } }))).targets).toEqual([
      { objectId: ASSIGNEE },
    ]);
    expect(normalize(body('{"properties":{"principalId":"5f1b7a0c-3c2d')).targets).toEqual([]);
    expect(
      normalize({
        Properties: JSON.stringify({ requestbody: JSON.stringify({ properties: { principalId: ASSIGNEE } }) }),
      }).targets,
    ).toEqual([]);
  });

  it('belongs to the subscription (lower-cased), else the resource’s, else the tenant; failures carry their reason', () => {
    expect(normalize({}).account).toBe('8f153238-e602-427e-a7c0-3043fbe50918');
    expect(normalize({ SubscriptionId: null, _ResourceId: '/subscriptions/ABCD-1/resourceGroups/x' }).account).toBe(
      'abcd-1',
    );
    expect(
      normalize({
        SubscriptionId: null,
        _ResourceId: '/providers/microsoft.aadiam/diagnosticSettings/x',
        ResourceId: null,
      }).account,
    ).toBe(String(ROW.TenantId).toLowerCase());
    const failed = normalize({ ActivityStatusValue: 'Failed', ActivitySubstatusValue: 'Forbidden' });
    expect(failed.outcome).toBe('failure');
    expect(failed.failureReason).toContain('Forbidden');
  });

  it('without TimeGenerated: an error naming it', () => {
    expect(errorOf(normalizeLogAnalyticsRow, { ...ROW, TimeGenerated: null }, origin).message).toContain(
      'TimeGenerated',
    );
  });
});
