import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../../shared/core/normalize/fields.js';
import { mfaFromChallenge } from '../../../../shared/core/normalize/gcp/index.js';
import { loginEntry, normalizeEntry, normalizeErrorOf } from './harness.js';

const methods = (...values: string[]) => ({ name: 'login_challenge_method', multiStrValue: values });

describe('Workspace login audit in Cloud Logging (login.googleapis.com)', () => {
  it('reads a password-only login_success as a sign-in without MFA', () => {
    const event = normalizeEntry(
      loginEntry('login_success', [
        { name: 'login_type', value: 'google_password' },
        methods('password'),
        { name: 'is_suspicious', boolValue: false },
      ]),
    );
    expect(event).toMatchObject({
      source: 'gcp.workspace-login',
      category: 'authentication',
      service: 'login.googleapis.com',
      action: 'login_success',
      outcome: 'success',
      actor: { type: 'user', email: 'breakglass@example.com' },
      mfa: { used: false, methods: ['password'] },
      account: 'organizations/123',
      targets: [],
      providerGenerated: false,
      time: '2021-09-24T04:40:29.811Z',
    });
    expect(event.src.ip).toBe('203.0.113.7');
  });

  it('reads a second factor among the challenges as MFA', () => {
    const event = normalizeEntry(loginEntry('login_success', [methods('password', 'google_authenticator')]));
    expect(event.mfa).toEqual({ used: true, methods: ['password', 'google_authenticator'], strength: 'mfa' });
  });

  it('cannot tell MFA for a SAML login (challenge "none") or without challenge data', () => {
    const saml = normalizeEntry(loginEntry('login_success', [{ name: 'login_type', value: 'saml' }, methods('none')]));
    expect(saml.mfa).toEqual({ used: undefined, methods: ['none'] });
    expect(normalizeEntry(loginEntry('login_success', [])).mfa).toEqual({ used: undefined, methods: [] });
  });

  it('reads login_failure as a failed sign-in with the failure type', () => {
    const event = normalizeEntry(
      loginEntry('login_failure', [
        { name: 'login_type', value: 'google_password' },
        methods('password', 'idv_preregistered_phone', 'idv_preregistered_phone'),
        { name: 'login_failure_type', value: 'login_failure_invalid_second_factor' },
      ]),
    );
    expect(event).toMatchObject({
      category: 'authentication',
      action: 'login_failure',
      outcome: 'failure',
      failureReason: 'login_failure_invalid_second_factor',
      mfa: { used: true, methods: ['password', 'idv_preregistered_phone'] },
    });
  });

  it.each([
    ['incorrect_answer_entered', 'failure'],
    ['Challenge Failed.', 'failure'],
    // A passed challenge is a step: login_success or login_failure says how the login ended.
    ['Challenge Passed.', 'unknown'],
  ])('reads login_challenge with status %j as %s', (status, outcome) => {
    const event = normalizeEntry(
      loginEntry('login_challenge', [
        methods('idv_preregistered_phone'),
        { name: 'login_challenge_status', value: status },
      ]),
    );
    expect(event.category).toBe('authentication');
    expect(event.outcome).toBe(outcome);
  });

  it('reads login_verification without a status as a sign-in of unknown outcome', () => {
    const event = normalizeEntry(loginEntry('login_verification', [methods('security_key')]));
    expect(event).toMatchObject({ category: 'authentication', outcome: 'unknown', mfa: { used: true } });
  });

  it.each(['2sv_disable', 'password_edit', 'recovery_phone_edit', 'account_disabled_hijacked'])(
    'reads %s as a change to the account (api, the user as target)',
    (name) => {
      const event = normalizeEntry(loginEntry(name, []));
      expect(event).toMatchObject({
        source: 'gcp.workspace-login',
        category: 'api',
        action: name,
        outcome: 'success',
        targets: [{ email: 'breakglass@example.com' }],
      });
      expect(event.mfa).toBeUndefined();
    },
  );

  it('takes actor and target from affected_email_address when Google itself acted', () => {
    const event = normalizeEntry(
      loginEntry(
        'account_disabled_password_leak',
        [{ name: 'affected_email_address', value: 'breakglass@example.com' }],
        undefined,
      ),
    );
    expect(event.actor).toEqual({ type: 'user', email: 'breakglass@example.com', display: 'breakglass@example.com' });
    expect(event.targets).toEqual([{ email: 'breakglass@example.com' }]);
  });

  it('reads logout and unknown events as api events without targets', () => {
    expect(normalizeEntry(loginEntry('logout', []))).toMatchObject({
      category: 'api',
      outcome: 'success',
      targets: [],
    });
    expect(normalizeEntry(loginEntry('risky_sensitive_action_allowed', []))).toMatchObject({
      category: 'api',
      outcome: 'unknown',
      targets: [],
    });
  });

  it('takes the event name from methodName when metadata.event is absent', () => {
    const entry = loginEntry('2sv_disable', []);
    delete (entry.protoPayload as JsonObject).metadata;
    expect(normalizeEntry(entry).action).toBe('2sv_disable');
    const success = loginEntry('login_success', []);
    delete (success.protoPayload as JsonObject).metadata;
    expect(normalizeEntry(success)).toMatchObject({ action: 'login_success', category: 'authentication' });
  });

  it('names a bad challenge method value precisely', () => {
    const entry = loginEntry('login_success', [{ name: 'login_challenge_method', multiStrValue: [{}] as never }]);
    expect(normalizeErrorOf(entry).field).toBe('protoPayload.metadata.event[0].parameter[0].multiStrValue[0]');
  });
});

describe('mfaFromChallenge', () => {
  it.each([
    [['password'], false, 'single-factor'],
    [['password', 'knowledge_preregistered_email'], false, 'single-factor'],
    [['password', 'totp'], true, 'mfa'],
    [['passkey'], true, 'phishing-resistant'],
    [['security_key'], true, 'phishing-resistant'],
    [['backup_code'], true, 'mfa'],
    [['internal_two_factor'], true, 'mfa'],
    [['PASSWORD', 'Google_Authenticator'], true, 'mfa'],
    [['none'], undefined, undefined],
    [['password', 'other'], undefined, undefined],
    [[], undefined, undefined],
  ])('%j → used %s, strength %s', (values, used, strength) => {
    expect(mfaFromChallenge(values)).toEqual(
      strength ? { used, methods: values, strength } : { used, methods: values },
    );
  });
});
