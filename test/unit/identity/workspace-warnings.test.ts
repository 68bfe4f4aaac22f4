import { describe, expect, it } from 'vitest';
import { detect } from '../../../shared/core/detect/index.js';
import type { JsonObject } from '../../../shared/core/normalize/fields.js';
import {
  WORKSPACE_ACCOUNT_CHANGE_EVENTS,
  WORKSPACE_SIGN_IN_WARNINGS,
} from '../../../shared/core/normalize/gcp/workspace-login.js';
import { parseRegistry, RegistryMatcher } from '../../../shared/core/registry/index.js';
import { loginEntry, normalizeEntry } from '../normalize/gcp/harness.js';

/**
 * Workspace account warnings and account edits (Login and User Accounts audit, Reports API appendix;
 * Cloud Logging gsuite-login samples for the LogEntry shape): attributed to the affected account, never
 * activity by it, in both the Reports API (snake_case) and Cloud Logging (camelCase) spellings.
 */

const BREAK_GLASS = 'breakglass@example.com';
const matcher = new RegistryMatcher(
  parseRegistry(`accounts: [{ id: gws-super, cloud: gcp, match: { email: ${BREAK_GLASS} } }]`, 'gws.yaml'),
);

/** An `account_warning` entry about `affected`, written by Google (no principalEmail), in one spelling. */
function warning(name: string, affected: string, principal?: string): JsonObject {
  const entry = loginEntry(name, [{ name: 'affected_email_address', value: affected }], principal);
  const payload = entry.protoPayload as { metadata: { event: { eventType: string }[] } };
  for (const event of payload.metadata.event) event.eventType = 'account_warning';
  return entry;
}
const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
const kinds = (entry: JsonObject) => detect(normalizeEntry(entry), matcher).findings.map((f) => [f.kind, f.account]);

describe('Workspace account warnings', () => {
  it('a suspicious login of the break-glass account is its sign-in, not activity, in both spellings', () => {
    for (const name of ['suspicious_login', 'suspiciousLogin']) {
      const event = normalizeEntry(warning(name, BREAK_GLASS, undefined));
      expect(event).toMatchObject({ category: 'authentication', outcome: 'success', actor: { email: BREAK_GLASS } });
      expect(kinds(warning(name, BREAK_GLASS, undefined)), name).toEqual([['signin.success', 'gws-super']]);
    }
  });

  it('a government-backed attack warning is a sign-in attempt', () => {
    expect(kinds(warning('gov_attack_warning', BREAK_GLASS, undefined))).toEqual([['signin.failure', 'gws-super']]);
  });

  it('Google disabling the account is account.change, never activity, even when the record names the user as caller', () => {
    for (const name of ['account_disabled_password_leak', 'accountDisabledHijacked']) {
      expect(kinds(warning(name, BREAK_GLASS, BREAK_GLASS)), name).toEqual([['account.change', 'gws-super']]);
    }
  });

  it('a warning about another account fires nothing', () => {
    expect(kinds(warning('suspicious_login', 'someone@example.com', undefined))).toEqual([]);
    expect(kinds(warning('account_disabled_hijacked', 'someone@example.com', undefined))).toEqual([]);
  });

  it('every warning and account edit of the table fires on the affected account in both spellings', () => {
    for (const name of WORKSPACE_SIGN_IN_WARNINGS) {
      for (const spelling of [name, camel(name)]) {
        const found = kinds(warning(spelling, BREAK_GLASS, undefined)).map(([kind]) => kind);
        expect(found, spelling).toEqual([name === 'gov_attack_warning' ? 'signin.failure' : 'signin.success']);
      }
    }
    for (const name of WORKSPACE_ACCOUNT_CHANGE_EVENTS) {
      for (const spelling of [name, camel(name)]) {
        // An administrator (not in the registry) changing the break-glass account.
        const found = kinds(warning(spelling, BREAK_GLASS, 'it-admin@example.com')).map(([kind]) => kind);
        expect(found, spelling).toEqual(['account.change']);
      }
    }
  });

  it('account edits by the user (2sv_disable, recovery_email_edit, recovery_phone_edit, password_edit) are account.change', () => {
    for (const name of ['2sv_disable', 'recovery_email_edit', 'recovery_phone_edit', 'password_edit']) {
      const found = detect(normalizeEntry(loginEntry(name, [])), matcher).findings.map((f) => f.kind);
      expect(found, name).toContain('account.change');
    }
  });
});
