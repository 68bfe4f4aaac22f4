import type { MfaInfo, Outcome } from '../../model/audit-event.js';
import { allParams, firstParam } from './activity-metadata.js';
import { addEmailTarget, type EntryParts, type Interpretation } from './interpretation.js';

/**
 * Google Workspace Login audit forwarded to Cloud Logging (`serviceName` login.googleapis.com).
 * Event names and parameters: https://developers.google.com/admin-sdk/reports/v1/appendix/activity/login
 * Cloud Logging samples: https://cloud.google.com/logging/docs/audit/gsuite-login-samples
 */

type LoginKind = 'sign-in' | 'account-change' | 'other';

interface LoginEventMeaning {
  kind: LoginKind;
  /** Fixed outcome; `challenge` reads `login_challenge_status` instead. */
  outcome: Outcome | 'challenge';
}

/** Workspace Login audit events that change the account itself (the account-change rule matches these). */
export const WORKSPACE_ACCOUNT_CHANGE_EVENTS: readonly string[] = [
  'password_edit',
  '2sv_disable',
  '2sv_enroll',
  'recovery_email_edit',
  'recovery_phone_edit',
  'recovery_secret_qa_edit',
  'passkey_enrolled',
  'passkey_removed',
  'titanium_enroll',
  'titanium_unenroll',
  'account_disabled_generic',
  'account_disabled_hijacked',
  'account_disabled_password_leak',
  'account_disabled_spamming',
  'account_disabled_spamming_through_relay',
];

/**
 * Only these four are sign-ins. Account changes name the affected user as target (an administrator or
 * Google itself may act on someone else). Everything else (logout, suspicious_login warnings,
 * risky_sensitive_action_*) is an `api` event without targets.
 */
const LOGIN_EVENTS: ReadonlyMap<string, LoginEventMeaning> = new Map([
  ['login_success', { kind: 'sign-in', outcome: 'success' }],
  ['login_failure', { kind: 'sign-in', outcome: 'failure' }],
  ['login_challenge', { kind: 'sign-in', outcome: 'challenge' }],
  ['login_verification', { kind: 'sign-in', outcome: 'challenge' }],
  ['logout', { kind: 'other', outcome: 'success' }],
  ...WORKSPACE_ACCOUNT_CHANGE_EVENTS.map((name): [string, LoginEventMeaning] => [
    name,
    { kind: 'account-change', outcome: 'success' },
  ]),
]);

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
  const meaning = LOGIN_EVENTS.get(action) ?? UNKNOWN_EVENT;
  const outcome = meaning.outcome === 'challenge' ? challengeOutcome(entry) : meaning.outcome;
  const result: Interpretation = {
    source: 'gcp.workspace-login',
    category: meaning.kind === 'sign-in' ? 'authentication' : 'api',
    action,
    outcome,
    targets: [],
  };
  if (meaning.kind === 'sign-in') result.mfa = mfaFromChallenge(allParams(entry.events, 'login_challenge_method'));
  if (meaning.kind === 'account-change') {
    addEmailTarget(result.targets, firstParam(entry.events, 'affected_email_address') ?? entry.actor.email);
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
  let used: boolean | undefined;
  if (lower.some((m) => SECOND_FACTORS.has(m))) used = true;
  else if (lower.length > 0 && lower.every((m) => NOT_SECOND_FACTORS.has(m))) used = false;
  return { used, methods };
}

/** "Challenge Passed." (Reports API wording) → success; "incorrect_answer_entered", "Challenge Failed." → failure. */
function challengeOutcome(entry: EntryParts): Outcome {
  const status = firstParam(entry.events, 'login_challenge_status');
  if (status === undefined) return 'unknown';
  return /pass/i.test(status) ? 'success' : 'failure';
}

/** `google.login.LoginService.2svDisable` → `2sv_disable`, for records without `metadata.event`. */
export function eventNameFromMethod(methodName: string): string {
  const last = methodName.slice(methodName.lastIndexOf('.') + 1);
  return last.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}
