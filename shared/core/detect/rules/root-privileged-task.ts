import type { AuditEvent } from '../../model/audit-event.js';
import type { Severity } from '../../model/finding.js';
import { iamIdentity, wildcardToRegExp } from '../../registry/aws-identity.js';
import type { BreakGlassAccount } from '../../registry/schema.js';
import { DOCS } from '../references.js';
import { ROOT_TASK_REFERENCES } from '../root-access.js';
import type { Rule } from '../rule.js';

/**
 * A privileged root session of a member account (AWS centralized root access): the `sts:AssumeRoot`
 * that opened it and every call it made. Its own kind, not a root sign-in nor root activity: a
 * sanctioned bucket-policy unlock must not page as a critical root compromise, and an unsanctioned one
 * must still page.
 */
export const rootPrivilegedTask: Rule = {
  id: 'root-privileged-task',
  kind: 'root.privileged-task',
  title: 'Privileged root session',
  description:
    'The management or delegated-administrator account called sts:AssumeRoot for the root user of a ' +
    'registered member account, or that short-term root session acted in the member account ' +
    '(userIdentity.type Root with sessionContext.assumedRoot "true"). The call and the session are linked by ' +
    'the issued access key into one incident per caller: who, which member accounts, which task policy, what ' +
    'the session did. Severity: high while the registry declares no privilegedTasks for the root entry; with ' +
    'it, a declared caller under a declared task policy is medium and anything else critical. Denied calls count.',
  severity: 'high',
  runbook: [
    'Read who called AssumeRoot (caller ARN, source IP) and under which task policy; confirm with that person and the change ticket that the task (unlock a bucket or queue policy, audit or delete root credentials, allow password recovery) was planned.',
    'Check what the session did against the task policy: any call flagged as outside the policy, a CreateLoginProfile, or a sweep over many member accounts is a takeover attempt until shown otherwise.',
    'If unplanned: remove the caller’s sts:AssumeRoot permission (or deny it by SCP), delete any root login profile or access key the session created, and review the management account principal’s other activity.',
  ],
  references: [...ROOT_TASK_REFERENCES, DOCS.awsRootUser],
  falsePositives: [
    'A planned privileged task by a platform team (declare its callers and task policies under privilegedTasks to page it at medium).',
  ],
  needsBreakGlass: true,
  evaluate(event, ctx) {
    const session = event.rootSession;
    if (session === undefined) return undefined;
    const account = session.phase === 'issued' ? ctx.targetAccount : ctx.actorAccount;
    if (account?.cloud !== 'aws') return undefined;
    return { account, severity: sessionSeverity(account, event) };
  },
};

/**
 * The registry's verdict on this session. A record of the session itself does not name its caller:
 * it is `critical` under a declared policy until the incident links it to a declared AssumeRoot (the
 * correlator computes the linked severity).
 */
function sessionSeverity(account: Extract<BreakGlassAccount, { cloud: 'aws' }>, event: AuditEvent): Severity {
  const declared = account.privilegedTasks;
  if (declared === undefined) return 'high';
  if (event.rootSession?.phase !== 'issued') return 'critical';
  const policy = event.rootSession.taskPolicy;
  const caller = callerArns(event.actor.arn);
  const callerOk = declared.allowedCallers.some((pattern) => caller.some((arn) => wildcardToRegExp(pattern).test(arn)));
  const policyOk = policy !== undefined && (declared.taskPolicies as readonly string[]).includes(policy);
  return callerOk && policyOk ? 'medium' : 'critical';
}

/** The caller's ARN, and for a role session also its role's ARN (`assumed-role/R/s` → `role/R`). */
function callerArns(arn: string | undefined): string[] {
  if (arn === undefined) return [];
  const identity = iamIdentity(arn);
  const isSession = identity?.kind === 'role' && arn.includes(':assumed-role/');
  return isSession ? [arn, `arn:${identity.partition}:iam::${identity.account}:role/${identity.name}`] : [arn];
}
