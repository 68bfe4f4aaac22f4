import { DOCS } from '../references.js';
import type { Rule } from '../rule.js';

/** Someone tried to sign in as a break-glass account and failed. */
export const signinFailure: Rule = {
  id: 'signin-failure',
  kind: 'signin.failure',
  title: 'Break-glass sign-in failed',
  description:
    'A sign-in to a break-glass account failed (wrong password, failed second factor, blocked by policy). ' +
    'Someone knows the account name and is trying it; failures followed by a success land in the same ' +
    'incident; failures against several break-glass accounts from one source address within the session gap ' +
    '(spraying) are one incident naming every account tried. A failure the provider cannot attribute does not fire: CloudTrail writes the user name ' +
    'HIDDEN_DUE_TO_SECURITY_REASONS when the typed name is not an existing user, and that matches no account.',
  severity: 'medium',
  runbook: [
    'Compare the source IP, location and user agent with where the owners work, and ask the owners whether one of them mistyped.',
    'If nobody did: confirm the account has a long unique password and enforced phishing-resistant MFA, and watch this incident for a following success.',
    'If failures repeat: rotate the password; in Entra, block the source with a Conditional Access named location (AWS and Google sign-in pages cannot block an address, so MFA is the control there).',
  ],
  references: [DOCS.awsConsoleSignInEvents, DOCS.entraErrorCodes, DOCS.workspaceLoginAudit],
  falsePositives: [
    'An owner mistyping during a drill or a credential check.',
    'A password manager or script still holding an old password.',
  ],
  needsBreakGlass: true,
  // Password spraying: failures against several break-glass accounts from one source within the gap
  // are one incident naming every account tried.
  groupBy(event) {
    return event.src.ip ? `spray:${event.cloud}:${event.src.ip.toLowerCase()}` : undefined;
  },
  evaluate(event, ctx) {
    if (event.category !== 'authentication' || event.outcome !== 'failure' || !ctx.actorAccount) return undefined;
    // A privileged root session (sts:AssumeRoot) is its own kind: root-privileged-task.
    if (event.rootSession !== undefined) return undefined;
    return { account: ctx.actorAccount };
  },
};
