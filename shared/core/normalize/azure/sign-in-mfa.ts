import type { AuthStrength, MfaInfo } from '../../model/audit-event.js';
import { isObject } from '../fields.js';

/**
 * What an Entra sign-in proves about a second factor. `AuthenticationRequirement` says what Conditional
 * Access *required*: `singleFactorAuthentication` means MFA was not required, not that none was used
 * (a primary refresh token carrying an MFA claim satisfies MFA without any new factor). So the verdict
 * comes from what happened: `authenticationDetails` steps, `MfaDetail`, `status.additionalDetails`.
 * https://learn.microsoft.com/entra/identity/monitoring-health/concept-sign-in-log-activity-details
 * https://learn.microsoft.com/graph/api/resources/authenticationdetail
 */

/**
 * Phishing-resistant methods, multi-factor on their own (Entra authentication strengths: "Phishing-resistant
 * MFA" = Windows Hello for Business / platform credential, passkeys (FIDO2), certificate-based multi-factor).
 * https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strengths
 */
const PHISHING_RESISTANT_METHODS: ReadonlySet<string> = new Set([
  'fido2 security key',
  'passkey',
  'passkey (device-bound)',
  'passkey (synced)',
  'windows hello for business',
  'platform credential for macos',
  'x.509 certificate (multi-factor)',
]);

/** `authenticationMethod` words that are a second factor, or multi-factor on their own but phishable. */
const MULTI_FACTOR_METHODS: ReadonlySet<string> = new Set([
  ...PHISHING_RESISTANT_METHODS,
  'passwordless phone sign-in',
  'microsoft authenticator (passwordless)',
  'mobile app notification',
  'mobile app verification code',
  'oath verification code',
  'oath hardware token',
  'oath software token',
  'text message',
  'phone call approval (authentication phone)',
  'phone call approval (alternate authentication phone)',
  'phone call approval (office phone)',
  'microsoft authenticator app',
  'temporary access pass',
]);

/** Methods that prove one factor only: a sign-in whose every step is one of these is provably single-factor. */
const SINGLE_FACTOR_METHODS: ReadonlySet<string> = new Set(['password']);

/** "MFA requirement satisfied by claim in the token", "MFA completed in Azure AD", "MFA successfully completed". */
const MFA_SATISFIED = /\bMFA\b.*\b(satisfied|completed)\b/i;

const MAX_METHODS = 10;

export interface EntraMfaInput {
  /** `AuthenticationRequirement`: multiFactorAuthentication | singleFactorAuthentication. */
  requirement: string | undefined;
  /** `authenticationDetails` (array of steps, untrusted). */
  details: readonly unknown[];
  /** `MfaDetail.authMethod`. */
  mfaDetailMethod: string | undefined;
  /** `status.additionalDetails`. */
  additionalDetails: string | undefined;
}

/**
 * `used` true when a second factor is recorded (a multi-factor requirement met, a multi-factor method in
 * a succeeded step, an MFA detail, an "MFA … satisfied/completed" note); false only when MFA was not
 * required and every succeeded step is a password; undefined otherwise ("Previously satisfied" by a
 * first-factor claim, no steps). `methods` are the step methods, in order, plus `MfaDetail.authMethod`.
 */
export function entraMfa(input: EntraMfaInput): MfaInfo {
  const methods: string[] = [];
  const add = (method: string) => {
    if (!methods.includes(method) && methods.length < MAX_METHODS) methods.push(method);
  };
  const succeeded: string[] = [];
  const notes: string[] = input.additionalDetails ? [input.additionalDetails] : [];
  for (const step of input.details) {
    if (!isObject(step)) continue;
    const method = typeof step.authenticationMethod === 'string' ? step.authenticationMethod : undefined;
    if (method) add(method);
    if (typeof step.authenticationStepResultDetail === 'string') notes.push(step.authenticationStepResultDetail);
    if (method && step.succeeded !== false && step.succeeded !== 'false') succeeded.push(method.toLowerCase());
  }
  if (input.mfaDetailMethod) add(input.mfaDetailMethod);
  const requirement = input.requirement?.toLowerCase();
  // The strength only when a method of this sign-in names it ("Previously satisfied" does not).
  const strength: AuthStrength | undefined = succeeded.some((m) => PHISHING_RESISTANT_METHODS.has(m))
    ? 'phishing-resistant'
    : succeeded.some((m) => MULTI_FACTOR_METHODS.has(m)) || input.mfaDetailMethod !== undefined
      ? 'mfa'
      : undefined;
  if (
    requirement === 'multifactorauthentication' ||
    input.mfaDetailMethod !== undefined ||
    succeeded.some((m) => MULTI_FACTOR_METHODS.has(m)) ||
    notes.some((note) => MFA_SATISFIED.test(note))
  ) {
    return strength ? { used: true, methods, strength } : { used: true, methods };
  }
  const provablySingle =
    requirement === 'singlefactorauthentication' &&
    succeeded.length > 0 &&
    succeeded.every((m) => SINGLE_FACTOR_METHODS.has(m));
  return provablySingle ? { used: false, methods, strength: 'single-factor' } : { used: undefined, methods };
}
