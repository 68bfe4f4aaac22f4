import { DOCS } from '../references.js';
import type { Rule } from '../rule.js';

/** A break-glass principal called an API. */
export const activity: Rule = {
  id: 'activity',
  kind: 'activity',
  title: 'Break-glass account activity',
  description:
    'A break-glass principal made an API call, including opening a session of another principal ' +
    '(AssumeRole into a role that is not itself registered). Failed calls count too: an AccessDenied on a root session is ' +
    'still use of the account. Records the provider wrote on its own (AWS service events, calls invoked by an ' +
    'AWS service) are skipped because no person acted. Each call joins the incident timeline of the session.',
  severity: 'critical',
  runbook: [
    'Confirm the session is claimed (see the sign-in finding of this incident); an unclaimed session with activity is an active compromise.',
    'Read the timeline for persistence and destruction: new users, keys, roles, policy changes, deleted resources, disabled logging.',
    'If unclaimed: stop the principal (AWS member account: an SCP denying all actions to the root user; Entra: block sign-in and revoke sessions; Google: suspend the user from another super admin), then undo what the timeline shows.',
  ],
  references: [DOCS.awsRootUser, DOCS.awsIamCloudTrail, DOCS.entraAuditLogs, DOCS.gcpSuperAdmin],
  falsePositives: [
    'The work of a confirmed emergency or drill (same incident as its sign-in).',
    'Console page loads that call read APIs on their own after a sign-in.',
  ],
  needsBreakGlass: true,
  evaluate(event, ctx) {
    if (event.providerGenerated) return undefined;
    // A privileged root session's own records are root-privileged-task, never activity of root.
    if (event.rootSession?.phase === 'used') return undefined;
    if (event.category === 'api') return ctx.actorAccount ? { account: ctx.actorAccount } : undefined;
    // A break-glass principal opening a session of another (AssumeRole into an unregistered role):
    // the call is its activity, whatever the session obtained.
    if (ctx.caller && ctx.caller.account !== ctx.actorAccount) return { account: ctx.caller.account };
    return undefined;
  },
};
