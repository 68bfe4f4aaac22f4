import { AUTH_STRENGTH_ORDER } from '../../model/audit-event.js';
import { DOCS } from '../references.js';
import type { Rule } from '../rule.js';

/** A break-glass sign-in provably weaker than the strength its registry entry requires. */
export const signinWeakAuth: Rule = {
  id: 'signin-weak-auth',
  kind: 'signin.weak-auth',
  title: 'Break-glass sign-in weaker than required',
  description:
    'A break-glass account whose registry entry declares `requiredAuth` (phishing-resistant or mfa) signed in ' +
    'with a provably weaker method: a password alone, or a phishable second factor (push, TOTP, SMS) where a ' +
    'passkey, FIDO2 security key, Windows Hello or certificate is required. The methods come from the record ' +
    '(Entra authenticationDetails, Workspace login_challenge_method, AWS MFAIdentifier and Identity Center ' +
    'CredentialType); a record that cannot tell fires nothing.',
  severity: 'critical',
  runbook: [
    'Confirm with the owner that the sign-in was theirs and why the required method was not used; if not theirs, follow the sign-in runbook (lock out, rotate) at once.',
    'Remove the weaker methods from the account (Entra: delete phone and Authenticator registrations, enforce a phishing-resistant authentication strength; Google: enforce security-key-only 2SV; AWS: keep only FIDO devices on root).',
    'Rotate the password: a phishable path into the emergency account was open.',
  ],
  references: [DOCS.entraEmergencyAccess, DOCS.awsMfa, DOCS.workspaceLoginAudit],
  falsePositives: [
    'An owner deliberately falling back to a weaker method during an outage of the required one (then the incident records it).',
  ],
  needsBreakGlass: true,
  evaluate(event, ctx) {
    const account = ctx.actorAccount;
    if (event.category !== 'authentication' || event.outcome !== 'success' || !account?.requiredAuth) return undefined;
    const strength = event.mfa?.strength;
    if (strength === undefined) return undefined;
    return AUTH_STRENGTH_ORDER[strength] < AUTH_STRENGTH_ORDER[account.requiredAuth] ? { account } : undefined;
  },
};
