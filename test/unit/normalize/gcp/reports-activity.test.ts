import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../../shared/core/normalize/fields.js';
import { normalize, openDocument } from '../../../../shared/core/normalize/index.js';
import { readFixtureJsonl, readFixtureText } from '../../../support/fixtures.js';
import { normalized, opened } from '../../../support/normalize.js';

/**
 * Workspace login audit as the Admin SDK Reports API returns it, written from the `activities` reference
 * and the Login Audit events appendix: pages and single activities read by the same interpreter as the
 * Cloud Logging export (`login.googleapis.com`).
 */

const PAGE = 'gcp/written-from-docs/reports_login_activities.json';
const LINES = 'gcp/written-from-docs/reports_login_activities.jsonl';
const page = JSON.parse(readFixtureText(PAGE)) as JsonObject;

function events(doc: unknown, location: string) {
  return opened(openDocument(doc, { location })).map((record) => normalized(normalize(record)));
}

describe('Admin SDK Reports API activities', () => {
  it('opens an activities page, each item with its index, as Workspace sign-ins', () => {
    const [success, failure, other] = events(page, PAGE);
    expect(success).toMatchObject({
      id: 'gcp:reports:login|2026-04-02T09:12:03.512Z|-7312461935837480937',
      cloud: 'gcp',
      source: 'gcp.workspace-login',
      category: 'authentication',
      service: 'login.googleapis.com',
      action: 'login_success',
      outcome: 'success',
      account: 'C03az79cb',
      actor: { type: 'user', email: 'breakglass@example.com' },
      src: { ip: '203.0.113.41' },
      mfa: { used: true, methods: ['password', 'security_key'], strength: 'phishing-resistant' },
      origin: { location: PAGE, index: 0 },
    });
    expect(failure).toMatchObject({
      action: 'login_failure',
      outcome: 'failure',
      failureReason: 'login_failure_invalid_password',
    });
    expect(other?.actor.email).toBe('jane.doe@example.com');
  });

  it('reads single activities: a password-only login and a failed challenge', () => {
    const [login, challenge] = readFixtureJsonl(LINES).flatMap((line) => events(line, LINES));
    expect(login).toMatchObject({ outcome: 'success', mfa: { used: false, methods: ['password'] } });
    expect(challenge).toMatchObject({ action: 'login_challenge', outcome: 'failure', category: 'authentication' });
  });

  it('reads user_accounts events (2-Step Verification turned off) as a change of the account', () => {
    const items = page.items as JsonObject[];
    const change = structuredClone(items[0]) as JsonObject & { id: JsonObject };
    change.id.applicationName = 'user_accounts';
    change.events = [{ type: '2sv_change', name: '2sv_disable' }];
    const [event] = events(change, 'user-accounts.json');
    expect(event).toMatchObject({
      category: 'api',
      action: '2sv_disable',
      service: 'user_accounts.googleapis.com',
      targets: [{ email: 'breakglass@example.com' }],
    });
  });

  it('an empty page holds nothing; an activity without id.time names the field', () => {
    expect(events({ kind: 'admin#reports#activities', etag: '"x"' }, 'empty.json')).toEqual([]);
    const items = page.items as JsonObject[];
    const broken = { ...structuredClone(items[0]), id: { applicationName: 'login' } };
    expect(() => events(broken, 'broken.json')).toThrow(/gcp\.reports-activity record, field id\.time: missing/);
  });
});
