import { DOCS } from '../references.js';
import type { Rule } from '../rule.js';

/** A break-glass account obtained a session. */
export const signinSuccess: Rule = {
  id: 'signin-success',
  kind: 'signin.success',
  title: 'Break-glass sign-in succeeded',
  description:
    'A break-glass account signed in: an AWS root or emergency IAM user console sign-in, an Entra ' +
    'emergency-admin sign-in, or a Google super-admin login (a privileged root session from sts:AssumeRoot ' +
    'is root-privileged-task, not a sign-in). ' +
    'These accounts are used only in emergencies, so every successful sign-in is an incident until its ' +
    'owner confirms it.',
  severity: 'critical',
  runbook: [
    'Call the account owner (phone or chat, not e-mail to the account itself) and confirm who is signed in and for which emergency; if nobody claims the session, treat the credential as compromised.',
    'If unclaimed: end the session and lock the account out (AWS: change the root password and delete any access keys; Entra: revoke sign-in sessions and reset the password; Google: reset the password and sign the user out), then read the activity in this incident timeline.',
    'After a confirmed use: rotate the credential and write the reason into the incident ticket.',
  ],
  references: [DOCS.awsConsoleSignInEvents, DOCS.awsRootUser, DOCS.entraEmergencyAccess, DOCS.gcpSuperAdmin],
  falsePositives: [
    'A declared drill (a drill window in the registry lowers the incident severity).',
    'A real emergency that the owner confirms.',
    'The periodic check that the credential still works, done by the owners.',
  ],
  needsBreakGlass: true,
  evaluate(event, ctx) {
    if (event.category !== 'authentication' || event.outcome !== 'success' || !ctx.actorAccount) return undefined;
    // A privileged root session (sts:AssumeRoot) is its own kind: root-privileged-task.
    if (event.rootSession !== undefined) return undefined;
    return { account: ctx.actorAccount };
  },
};
