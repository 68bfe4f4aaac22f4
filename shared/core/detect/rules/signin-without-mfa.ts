import { DOCS } from '../references.js';
import type { Rule } from '../rule.js';

/** A break-glass sign-in succeeded and the provider says no second factor was used. */
export const signinWithoutMfa: Rule = {
  id: 'signin-without-mfa',
  kind: 'signin.without-mfa',
  title: 'Break-glass sign-in without MFA',
  description:
    'A break-glass account signed in successfully and the record proves no second factor was used ' +
    '(CloudTrail MFAUsed "No", Entra single-factor authentication, Workspace password-only challenge). ' +
    'A record that cannot tell (federated sign-in, MFA field absent) does not fire: a guess here would page ' +
    'people for nothing. It fires beside the sign-in finding, raising its urgency: the password alone was enough.',
  severity: 'critical',
  runbook: [
    'Confirm with the owner that the sign-in was theirs; if not, follow the sign-in runbook (lock out, rotate) at once.',
    'Find why MFA was not required: AWS root without an MFA device, an Entra Conditional Access exclusion that removed MFA too, Google 2-Step Verification not enforced; enforce phishing-resistant MFA.',
    'Rotate the password: it has been shown to be sufficient on its own.',
  ],
  references: [DOCS.awsMfa, DOCS.awsConsoleSignInEvents, DOCS.entraEmergencyAccess, DOCS.workspaceLoginAudit],
  falsePositives: [
    'An account deliberately left without MFA (then the registry entry or the account setup needs a decision, not the rule).',
    'A provider recording a passkey or certificate sign-in as single-factor.',
  ],
  needsBreakGlass: true,
  evaluate(event, ctx) {
    if (event.category !== 'authentication' || event.outcome !== 'success' || !ctx.actorAccount) return undefined;
    // A privileged root session (sts:AssumeRoot) is its own kind: root-privileged-task.
    if (event.rootSession !== undefined) return undefined;
    // undefined = the record cannot tell; only a proven "no" fires.
    if (event.mfa?.used !== false) return undefined;
    return { account: ctx.actorAccount };
  },
};
