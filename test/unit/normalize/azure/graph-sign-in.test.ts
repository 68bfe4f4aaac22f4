import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../../shared/core/normalize/fields.js';
import { normalize, openDocument } from '../../../../shared/core/normalize/index.js';
import { readFixtureJsonl, readFixtureText } from '../../../support/fixtures.js';
import { normalized, opened } from '../../../support/normalize.js';

/**
 * Entra sign-ins as Microsoft Graph returns them (`GET /auditLogs/signIns`), written from the Graph
 * `signIn` resource page: the page and single objects open to the sign-in normalizer and give the same
 * event as the diagnostic record of that sign-in.
 */

const PAGE = 'azure/written-from-docs/graph_signins.page.json';
const LINES = 'azure/written-from-docs/graph_signins.jsonl';
const page = JSON.parse(readFixtureText(PAGE)) as JsonObject;
const signIns = page.value as JsonObject[];

function events(doc: unknown, location: string) {
  return opened(openDocument(doc, { location })).map((record) => normalized(normalize(record)));
}

describe('Graph signIn', () => {
  it('opens a page by its elements, each with its index, as sign-ins', () => {
    const [success, failure, other] = events(page, PAGE);
    expect(success).toMatchObject({
      id: 'azure:66ea54eb-6301-4ee5-be62-ff5a759b0100',
      source: 'azure.signin',
      category: 'authentication',
      outcome: 'success',
      account: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      service: 'Azure Portal',
      actor: { type: 'User', upn: 'ea1@contoso.onmicrosoft.com', objectId: '8f2a7c51-3b4e-4d6a-9c1e-2b7d5e0f9a13' },
      src: { ip: '131.107.159.37', geo: 'Redmond, Washington, US' },
      mfa: { used: true },
      origin: { location: PAGE, index: 0 },
    });
    expect(failure).toMatchObject({ outcome: 'failure', origin: { index: 1 } });
    expect(failure?.failureReason).toContain('50126');
    expect(other?.actor.upn).toBe('testaccount1@contoso.onmicrosoft.com');
  });

  it('gives the same event as the diagnostic record of the same sign-in', () => {
    const signIn = signIns[0] as JsonObject;
    const record = {
      time: '2026-03-04T19:15:42.0000000Z',
      category: 'SignInLogs',
      operationName: 'Sign-in activity',
      tenantId: signIn.homeTenantId,
      resultType: '0',
      properties: signIn,
    };
    const [fromGraph] = events(signIn, 'graph.json');
    const [fromDiagnostic] = events({ records: [record] }, 'eventhub');
    for (const key of ['id', 'time', 'outcome', 'actor', 'mfa', 'account', 'category'] as const) {
      expect(fromGraph?.[key], key).toEqual(fromDiagnostic?.[key]);
    }
  });

  it('reads single objects: the user by object id only, and the sign-in log from signInEventTypes', () => {
    const lines = readFixtureJsonl<JsonObject>(LINES);
    const [byId, nonInteractive] = lines.flatMap((line) => events(line, LINES));
    expect(byId?.actor).toEqual({
      type: 'User',
      display: '5a1b2c3d-1111-2222-3333-444455556666 (Emergency Admin 2)',
      objectId: '5a1b2c3d-1111-2222-3333-444455556666',
    });
    expect(byId?.mfa).toMatchObject({ used: false });
    expect(nonInteractive).toMatchObject({ outcome: 'failure', service: 'Azure Portal' });
  });

  it('an empty page is a page of sign-ins when its context says so; other objects are not sign-ins', () => {
    expect(events({ '@odata.context': page['@odata.context'], value: [] }, 'empty.json')).toEqual([]);
    const audit = { id: 'x', activityDateTime: '2026-03-04T19:15:41Z', result: 'success', initiatedBy: {} };
    expect(() => openDocument(audit, { location: 'audit.json' })).toThrow(/unknown record shape/);
  });
});
