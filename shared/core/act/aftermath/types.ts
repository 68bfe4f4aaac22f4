import { z } from 'zod';
import type { TicketDoc } from '../render/ticket-doc.js';

/**
 * What the aftermath hands to outputs: a one-time schedule, a task on the ticket, a calendar invite,
 * and what proves a rotation. Every string here is already sanitized text; adapters only format it.
 */

export type AftermathTask = 'review' | 'rotation';

export const TRIGGER_SOURCE = 'glasswatch.aftermath';

/**
 * The input a schedule delivers to its target when it fires (e.g. a message on the responders queue).
 * Small and self-describing: the receiver looks the incident up by id.
 */
export interface AftermathTrigger {
  source: typeof TRIGGER_SOURCE;
  version: 1;
  task: AftermathTask;
  incidentId: string;
  /** When the task was due (ISO 8601 UTC). */
  dueAt: string;
}

const triggerSchema = z
  .object({
    source: z.literal(TRIGGER_SOURCE),
    version: z.literal(1),
    task: z.enum(['review', 'rotation']),
    incidentId: z.string().min(1).max(200),
    dueAt: z.iso.datetime(),
  })
  .strict();

/**
 * Reads a schedule's input back (a queue message body, already JSON-parsed). Returns an Error naming
 * the first bad field, so the caller can report the message rather than drop it.
 *
 * @example
 * const trigger = parseAftermathTrigger(JSON.parse(record.body));
 * if (!(trigger instanceof Error)) await responders.handleTrigger(trigger);
 */
export function parseAftermathTrigger(value: unknown): AftermathTrigger | Error {
  const parsed = triggerSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  return new Error(`not a Glasswatch aftermath trigger: ${issue?.path.join('.') || 'body'}: ${issue?.message}`);
}

/** A one-time schedule: EventBridge Scheduler on AWS, a JSON file in the local outbox. */
export interface ScheduleSpec {
  /** Idempotency key at the scheduler: one per incident and task. At most 64 of `[0-9A-Za-z._-]`. */
  name: string;
  task: AftermathTask;
  /** When it fires, ISO 8601 UTC. */
  at: string;
  /** `at(2024-03-12T09:00:00)`, evaluated in UTC. */
  expression: string;
  /** "Tue 2024-03-12 10:00 Europe/Paris", for people. */
  localTime: string;
  /** At most 512 characters (the Scheduler limit). */
  description: string;
  input: AftermathTrigger;
}

/** A task on the incident's ticket: a Jira sub-task, a ServiceNow incident task, a Markdown file. */
export interface TaskSpec {
  task: AftermathTask;
  /** One line. */
  title: string;
  /** Calendar due date (YYYY-MM-DD) in the configured time zone: Jira's `duedate`. */
  dueDate: string;
  /** The due instant, ISO 8601 UTC: ServiceNow's `due_date`. */
  dueAt: string;
  doc: TicketDoc;
}

/** The review invite (RFC 5545 VEVENT, METHOD:REQUEST) before any file format. */
export interface Invite {
  /** `<incident-id>-review@glasswatch`: a re-sent invite updates the same event. */
  uid: string;
  start: string;
  end: string;
  /** DTSTAMP: when the invite was decided (the session end), so a re-render is byte-identical. */
  stamp: string;
  organizer: string;
  attendees: string[];
  summary: string;
  /** Plain text; the ticket reference is added by the output that knows it. */
  description: string;
  timezone: string;
}

/** A fact in the audit logs that proves the credential was rotated. */
export type RotationEvidence =
  /** IAM UpdateLoginProfile / ChangePassword / CreateLoginProfile on this IAM user. */
  | { kind: 'aws.iam-user-password'; userName: string; accountId?: string }
  /** Sign-in PasswordUpdated / PasswordRecoveryCompleted by this account's root user. */
  | { kind: 'aws.root-password'; accountId: string }
  /** Secrets Manager RotateSecret / PutSecretValue on this secret (name or ARN). */
  | { kind: 'aws.secret'; secretId: string }
  /** Entra AuditLogs password reset or change targeting this user. */
  | { kind: 'azure.password'; upn?: string; objectId?: string }
  /** Workspace password_edit (Login audit) or CHANGE_PASSWORD (Admin audit) for this user. */
  | { kind: 'gcp.password'; email: string };

/** What Glasswatch itself does to rotate, on AWS when configured. */
export interface RotationExecutors {
  /** Secrets Manager secret holding the break-glass credential. */
  secretId?: string;
  /** Access keys created during the session: users and the creation window to deactivate. */
  accessKeys?: AccessKeyCleanup;
  /** The root user created its own access key: only root can remove it, so a person must. */
  rootAccessKey?: boolean;
}

export interface AccessKeyCleanup {
  /** IAM user names (validated) whose keys were created during the session. */
  users: string[];
  /** Keys created within [from, to] (ISO 8601) are set Inactive. */
  from: string;
  to: string;
  /** Key ids the events name (when the normalizer keeps `responseElements.accessKey.accessKeyId`). */
  keyIds: string[];
  /** The CreateAccessKey events this covers: part of the action key, so new ones act again. */
  eventIds: string[];
}
