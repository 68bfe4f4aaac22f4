import type { RotationWatch } from '../../ports/rotation-watch-store.js';
import type { Fact, PageMessage } from '../actions.js';
import { DRILL_PREFIX, pageSource } from '../render/page.js';
import { capCodePoints, sanitizeText } from '../render/sanitize.js';
import type { Block, TicketDoc } from '../render/ticket-doc.js';
import { CLOUD_LABELS } from '../render/view.js';
import { describeLocal, localDate } from './business-days.js';
import type { RotationEvidence, TaskSpec } from './types.js';

/**
 * What people read about a rotation: the task on the ticket (what to do, what Glasswatch did, what
 * closes it), the note that closes it, and the page when it is overdue. Built from the watch alone,
 * so a rotation that comes due days later renders without the incident at hand.
 */

const id = (value: string) => sanitizeText(value, 200);

/** Per kind of evidence: the step a person takes, and the log record that proves it. */
const EVIDENCE: { [K in RotationEvidence['kind']]: (e: Extract<RotationEvidence, { kind: K }>) => [string, string] } = {
  'aws.root-password': (e) => [
    `Sign in as the root user of AWS account ${id(e.accountId)} from a trusted device, change its password, and re-seal the new one.`,
    `CloudTrail signin PasswordUpdated by the root user of ${id(e.accountId)}`,
  ],
  'aws.iam-user-password': (e) => [
    `Reset the console password of IAM user ${id(e.userName)} (aws iam update-login-profile) and re-seal the new one.`,
    `CloudTrail iam UpdateLoginProfile or ChangePassword for IAM user ${id(e.userName)}`,
  ],
  'aws.secret': (e) => [
    `Make sure the break-glass secret ${id(e.secretId)} holds a new value (Secrets Manager rotation finished).`,
    `CloudTrail secretsmanager RotateSecret or PutSecretValue on ${id(e.secretId)}`,
  ],
  'azure.password': (e) => [
    `Reset the password of ${id(e.upn ?? e.objectId ?? 'the account')} in Entra ID, re-seal it, and check its authentication methods.`,
    `Entra AuditLogs "Reset password" or "Change user password" targeting ${id(e.upn ?? e.objectId ?? 'the account')}`,
  ],
  'gcp.password': (e) => [
    `Change the password of ${id(e.email)} in the Google Admin console, re-seal it, and check 2-Step Verification and recovery details.`,
    `Workspace password_edit (or Admin CHANGE_PASSWORD) for ${id(e.email)}`,
  ],
};

function describeEvidence(e: RotationEvidence): [step: string, proof: string] {
  return (EVIDENCE[e.kind] as (x: RotationEvidence) => [string, string])(e);
}

const REASONS: Readonly<Record<RotationWatch['reason'], string>> = {
  'session-ended': 'the break-glass session ended',
  'audit.tamper': 'audit logging was tampered with during the session',
  'failed-then-successful sign-in': 'a sign-in failed and then succeeded (the password may be known)',
};

function title(watch: RotationWatch): string {
  return capCodePoints(
    `${watch.drill ? DRILL_PREFIX : ''}Rotate the ${sanitizeText(watch.account, 100)} break-glass credential`,
    200,
  );
}

/** The rotation task: due at the deadline, after which an unseen rotation pages. */
export function rotationTask(watch: RotationWatch, timezone: string): TaskSpec {
  const deadlineMs = Date.parse(watch.deadlineAt);
  const deadline = describeLocal(deadlineMs, timezone);
  const steps: string[] = [];
  const done: string[] = [];
  const { secretId, accessKeys, rootAccessKey } = watch.executors;
  if (secretId) done.push(`Glasswatch asked Secrets Manager to rotate ${id(secretId)} (RotateSecret).`);
  if (accessKeys) {
    done.push(
      `Glasswatch set Inactive the access keys of ${accessKeys.users.map(id).join(', ')} created between ${accessKeys.from} and ${accessKeys.to}. Delete them once the review confirms they are not needed.`,
    );
  }
  if (rootAccessKey) steps.push('The root user created an access key during the session: delete it (only root can).');
  for (const evidence of watch.evidence) {
    if (evidence.kind === 'aws.secret' && secretId) continue;
    steps.push(describeEvidence(evidence)[0]);
  }
  const proofs = watch.evidence.map((e) => describeEvidence(e)[1]);
  const blocks: Block[] = [
    {
      type: 'paragraph',
      text: `Rotation requested because ${REASONS[watch.reason]} (incident ${id(watch.incidentId)}).`,
    },
    { type: 'facts', facts: watchFacts(watch) },
  ];
  if (done.length > 0) blocks.push({ type: 'heading', text: 'Done by Glasswatch' }, { type: 'list', items: done });
  if (steps.length > 0) blocks.push({ type: 'heading', text: 'To do' }, { type: 'checklist', items: steps });
  blocks.push({ type: 'heading', text: 'Closes itself when the audit logs show' });
  blocks.push(
    proofs.length > 0
      ? { type: 'list', items: proofs }
      : {
          type: 'paragraph',
          text: 'Nothing Glasswatch can match: the registry names no exact user or secret for this account. Close this task by hand.',
        },
  );
  blocks.push({
    type: 'paragraph',
    text: `Not seen by ${deadline}: Glasswatch pages at high severity.`,
  });
  return {
    task: 'rotation',
    title: title(watch),
    dueDate: localDate(deadlineMs, timezone),
    dueAt: watch.deadlineAt,
    doc: { title: title(watch), blocks },
  };
}

/** The note that closes the task: which record proved the rotation. */
export function rotationSeenNote(watch: RotationWatch): TicketDoc {
  return {
    title: 'Rotation seen',
    blocks: [{ type: 'paragraph', text: `${rotationSeenText(watch)}. Closing this task.` }],
  };
}

/** "Rotation seen in the audit logs: iam UpdateLoginProfile by … at … (event …)". */
export function rotationSeenText(watch: RotationWatch): string {
  const seen = watch.seen;
  return seen
    ? `Rotation seen in the audit logs: ${sanitizeText(seen.action, 120)} by ${sanitizeText(seen.actor, 128)} at ${sanitizeText(seen.time, 40)} (event ${sanitizeText(seen.eventId, 200)})`
    : 'Rotation seen in the audit logs';
}

/** "Rotation of aws-root-prod not seen within 24 h of incident gw-…": high, through every pager. */
export function overduePage(watch: RotationWatch, seenWithinHours: number): PageMessage {
  const headline = capCodePoints(
    `${watch.drill ? DRILL_PREFIX : ''}Rotation of ${sanitizeText(watch.account, 100)} not seen within ${seenWithinHours} h of incident ${id(watch.incidentId)}`,
    300,
  );
  return {
    incidentId: watch.incidentId,
    headline,
    severity: 'high',
    drill: watch.drill,
    cloud: watch.cloud,
    source: pageSource({
      cloudLabel: CLOUD_LABELS[watch.cloud],
      cloud: watch.cloud,
      ...(watch.where ? { where: watch.where } : {}),
    }),
    reason: 'escalated',
    facts: [
      ...watchFacts(watch),
      { label: 'Expected in the logs', value: watch.evidence.map((e) => describeEvidence(e)[1]).join('; ') || 'none' },
    ].map((f) => ({ label: f.label, value: capCodePoints(f.value, 600) })),
    timestamp: watch.since,
  };
}

function watchFacts(watch: RotationWatch): Fact[] {
  const cloud = CLOUD_LABELS[watch.cloud];
  return [
    { label: 'Incident', value: id(watch.incidentId) },
    { label: 'Account', value: sanitizeText(watch.account, 100) },
    { label: 'Principal', value: watch.principal },
    { label: 'Cloud', value: watch.where ? `${cloud} ${watch.where}` : cloud },
    { label: 'Reason', value: REASONS[watch.reason] },
    { label: 'Requested', value: watch.dueAt },
    { label: 'Deadline', value: watch.deadlineAt },
  ];
}
