import { DOCS } from '../references.js';
import type { Rule } from '../rule.js';

/** Someone is signing in as a break-glass account, and the record does not say how it ended. */
export const signinAttempt: Rule = {
  id: 'signin-attempt',
  kind: 'signin.attempt',
  title: 'Break-glass sign-in attempted (outcome not recorded)',
  description:
    'A sign-in record of a break-glass account whose outcome the record does not state: a step of the ' +
    'flow (AWS CheckMfa, CredentialChallenge or CredentialVerification that passed — IAM Identity Center ' +
    'writes the user name only on the password CredentialChallenge, so the final UserAuthentication cannot ' +
    'be attributed), a Workspace login challenge without its status, an Entra sign-in without a status code. ' +
    'Someone has the account name and is at the sign-in page now; a later success or failure of the same ' +
    'session lands in this incident and decides its wording.',
  severity: 'high',
  runbook: [
    'Call the account owners now and ask who is signing in; if nobody is, treat it as an attack in progress.',
    'Look for the final event of the flow (AWS ConsoleLogin or UserAuthentication of the same AuthWorkflowID, the Workspace login_success, the Entra sign-in row) in the provider console.',
    'If unclaimed: rotate the password and confirm phishing-resistant MFA is enforced on the account.',
  ],
  references: [DOCS.awsConsoleSignInEvents, DOCS.awsIdentityCenterSignIn, DOCS.workspaceLoginAudit],
  falsePositives: [
    'An owner signing in for a drill or a credential check (the success that follows says so).',
    'Steps of a sign-in whose final record is attributed too: the incident then says signed in or failed.',
  ],
  needsBreakGlass: true,
  evaluate(event, ctx) {
    if (event.category !== 'authentication' || event.outcome !== 'unknown' || !ctx.actorAccount) return undefined;
    if (event.rootSession !== undefined) return undefined;
    return { account: ctx.actorAccount };
  },
};
