import type { MfaInfo, Outcome } from '../../model/audit-event.js';
import { allParams, firstParam } from './activity-metadata.js';
import { addEmailTarget, type EntryParts, type Interpretation } from './interpretation.js';

/**
 * Google Workspace Login audit forwarded to Cloud Logging (`serviceName` login.googleapis.com).
 * Event names and parameters: https://developers.google.com/admin-sdk/reports/v1/appendix/activity/login
 * Cloud Logging samples: https://cloud.google.com/logging/docs/audit/gsuite-login-samples
 */

/**
 * `sign-in`: the user signing in. `account-change`: the account changed (the affected user is the target;
 * an administrator may act on someone else). `warning-sign-in`: Google warns of a sign-in to the affected
 * account (`account_warning` events name it in `affected_email_address`, Google is the writer): a sign-in
 * of that account, never activity by it. `google-change`: Google changed the account itself (disabled it).
 */
type LoginKind = 'sign-in' | 'account-change' | 'warning-sign-in' | 'google-change' | 'other';

interface LoginEventMeaning {
  kind: LoginKind;
  /** Fixed outcome; `challenge` reads `login_challenge_status` instead. */
  outcome: Outcome | 'challenge';
}

const CHANGE: LoginEventMeaning = { kind: 'account-change', outcome: 'success' };
const DISABLED_BY_GOOGLE: LoginEventMeaning = { kind: 'google-change', outcome: 'success' };

/**
 * Every Workspace Login (and User Accounts) audit event read, by Reports API name; Cloud Logging writes
 * the same events camelCased in `methodName` (`google.login.LoginService.accountDisabledPasswordLeak`),
 * and both spellings meet in {@link loginEventMeaning}.
 * https://developers.google.com/admin-sdk/reports/v1/appendix/activity/login
 * https://developers.google.com/admin-sdk/reports/v1/appendix/activity/user-accounts
 */
const LOGIN_EVENT_TABLE: readonly (readonly [name: string, meaning: LoginEventMeaning])[] = [
  ['login_success', { kind: 'sign-in', outcome: 'success' }],
  ['login_failure', { kind: 'sign-in', outcome: 'failure' }],
  ['login_challenge', { kind: 'sign-in', outcome: 'challenge' }],
  ['login_verification', { kind: 'sign-in', outcome: 'challenge' }],
  ['logout', { kind: 'other', outcome: 'success' }],
  // type=account_warning: Google flagged a sign-in of the affected account (Alert Center AccountWarning:
  // the login time is that of a *successful* login, absent for blocked attempts, which the log does not
  // tell apart: a success is the reading that cannot miss). Government-backed attacks are attempts.
  ['suspicious_login', { kind: 'warning-sign-in', outcome: 'success' }],
  ['suspicious_login_less_secure_app', { kind: 'warning-sign-in', outcome: 'success' }],
  ['suspicious_programmatic_login', { kind: 'warning-sign-in', outcome: 'success' }],
  ['gov_attack_warning', { kind: 'warning-sign-in', outcome: 'failure' }],
  // type=account_warning: Google disabled the affected account.
  ['account_disabled_generic', DISABLED_BY_GOOGLE],
  ['account_disabled_hijacked', DISABLED_BY_GOOGLE],
  ['account_disabled_password_leak', DISABLED_BY_GOOGLE],
  ['account_disabled_spamming', DISABLED_BY_GOOGLE],
  ['account_disabled_spamming_through_relay', DISABLED_BY_GOOGLE],
  // 2sv_change, password_change, recovery_info_change, titanium_change, passkey events.
  ['password_edit', CHANGE],
  ['2sv_disable', CHANGE],
  ['2sv_enroll', CHANGE],
  ['recovery_email_edit', CHANGE],
  ['recovery_phone_edit', CHANGE],
  ['recovery_secret_qa_edit', CHANGE],
  ['passkey_enrolled', CHANGE],
  ['passkey_removed', CHANGE],
  ['titanium_enroll', CHANGE],
  ['titanium_unenroll', CHANGE],
];

/** `accountDisabledPasswordLeak`, `account_disabled_password_leak`, `…LoginService.2svDisable` → one key. */
function eventKey(name: string): string {
  return name
    .slice(name.lastIndexOf('.') + 1)
    .toLowerCase()
    .replaceAll('_', '');
}

const LOGIN_EVENTS: ReadonlyMap<string, LoginEventMeaning> = new Map(
  LOGIN_EVENT_TABLE.map(([name, meaning]) => [eventKey(name), meaning]),
);

/** Workspace events that change the account itself, by whoever (the account-change rule matches these). */
export const WORKSPACE_ACCOUNT_CHANGE_EVENTS: readonly string[] = LOGIN_EVENT_TABLE.filter(
  ([, m]) => m.kind === 'account-change' || m.kind === 'google-change',
).map(([name]) => name);

/** Workspace warnings about a sign-in of the affected account (README rows and tests derive from this). */
export const WORKSPACE_SIGN_IN_WARNINGS: readonly string[] = LOGIN_EVENT_TABLE.filter(
  ([, m]) => m.kind === 'warning-sign-in',
).map(([name]) => name);

const UNKNOWN_EVENT: LoginEventMeaning = { kind: 'other', outcome: 'unknown' };

/**
 * `login_challenge_method` values that are a second factor. Values from the Reports API reference plus
 * `totp` and `passkey`, which newer records write.
 */
const SECOND_FACTORS: ReadonlySet<string> = new Set([
  'backup_code',
  'google_authenticator',
  'google_prompt',
  'idv_any_phone',
  'idv_preregistered_phone',
  'internal_two_factor',
  'offline_otp',
  'passkey',
  'security_key',
  'security_key_otp',
  'totp',
]);

/** Security keys and passkeys: phishing-resistant (Workspace "Only security key" 2SV enforcement). */
const PHISHING_RESISTANT: ReadonlySet<string> = new Set(['passkey', 'security_key']);

/**
 * Challenges that prove nothing beyond the password. `none` (SAML: the factor happened at the IdP) and
 * `other` are not here: for those the record cannot tell.
 */
const NOT_SECOND_FACTORS: ReadonlySet<string> = new Set([
  'password',
  'knowledge_employee_id',
  'knowledge_preregistered_email',
  'knowledge_preregistered_phone',
  'login_location',
]);

/**
 * Reads a Workspace login record. Action is the Reports API event name (`login_success`, `2sv_disable`),
 * the same word the Reports API export uses, so rules need one spelling.
 */
export function interpretWorkspaceLogin(entry: EntryParts): Interpretation {
  const action = entry.events[0]?.name ?? eventNameFromMethod(entry.methodName);
  const meaning = LOGIN_EVENTS.get(eventKey(action)) ?? UNKNOWN_EVENT;
  const outcome = meaning.outcome === 'challenge' ? challengeOutcome(entry) : meaning.outcome;
  const signIn = meaning.kind === 'sign-in' || meaning.kind === 'warning-sign-in';
  const result: Interpretation = {
    source: 'gcp.workspace-login',
    category: signIn ? 'authentication' : 'api',
    action,
    outcome,
    targets: [],
  };
  const affected = firstParam(entry.events, 'affected_email_address');
  if (signIn) result.mfa = mfaFromChallenge(allParams(entry.events, 'login_challenge_method'));
  if (meaning.kind === 'account-change' || meaning.kind === 'google-change') {
    addEmailTarget(result.targets, affected ?? entry.actor.email);
  }
  if (meaning.kind === 'warning-sign-in' || meaning.kind === 'google-change') {
    // Google wrote these about the affected account: nobody acted, and the account is who they are about.
    result.providerGenerated = true;
    if (meaning.kind === 'warning-sign-in' && affected !== undefined && affected.includes('@')) {
      result.actor = { type: 'user', display: affected, email: affected };
    }
  }
  if (outcome === 'failure') {
    result.failureReason =
      firstParam(entry.events, 'login_failure_type') ?? firstParam(entry.events, 'login_challenge_status') ?? action;
  }
  return result;
}

/**
 * `used` is true when any second factor was presented, false when every challenge is one that proves
 * nothing beyond the password (`password` alone), undefined otherwise (absent, `none`, unknown words).
 */
export function mfaFromChallenge(methods: string[]): MfaInfo {
  const lower = methods.map((m) => m.toLowerCase());
  if (lower.some((m) => PHISHING_RESISTANT.has(m))) return { used: true, methods, strength: 'phishing-resistant' };
  if (lower.some((m) => SECOND_FACTORS.has(m))) return { used: true, methods, strength: 'mfa' };
  if (lower.length > 0 && lower.every((m) => NOT_SECOND_FACTORS.has(m))) {
    return { used: false, methods, strength: 'single-factor' };
  }
  return { used: undefined, methods };
}

/**
 * "incorrect_answer_entered", "Challenge Failed." → failure. "Challenge Passed." (Reports API wording) is a
 * step of the login, not the login: `login_success` or `login_failure` says how it ended, so a passed
 * challenge is `unknown` (a sign-in attempt), as is a challenge without a status.
 */
function challengeOutcome(entry: EntryParts): Outcome {
  const status = firstParam(entry.events, 'login_challenge_status');
  if (status === undefined || /pass/i.test(status)) return 'unknown';
  return 'failure';
}

/** `google.login.LoginService.2svDisable` → `2sv_disable`, for records without `metadata.event`. */
export function eventNameFromMethod(methodName: string): string {
  const last = methodName.slice(methodName.lastIndexOf('.') + 1);
  return last.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}
