import type { Cloud } from '../model/audit-event.js';
import type { Severity } from '../model/finding.js';
import type { AccessKeyCleanup, Invite, ScheduleSpec, TaskSpec } from './aftermath/types.js';
import type { TicketDoc } from './render/ticket-doc.js';

/**
 * One action = (incident, key, output) with a payload. Every side effect of the act stage is an action;
 * the delivery ledger records each one's outcome by (incidentId, key), so a retry re-sends only what
 * has not been delivered. The aftermath (review and rotation, `aftermath/`) adds schedules, tasks,
 * invites and the AWS rotation executors.
 */

/** Where actions go. Responders are keyed by these names in configuration and in the driver table. */
export const OUTPUTS = [
  'pagerduty',
  'opsgenie',
  'sns',
  'chat',
  'jira',
  'servicenow',
  'outbox',
  'scheduler',
  'secretsmanager',
  'iam',
] as const;
export type OutputName = (typeof OUTPUTS)[number];

/** Outputs that page a human; `primary` order decides which one a fallback watches. */
export const PAGERS = ['pagerduty', 'opsgenie', 'sns', 'chat'] as const satisfies readonly OutputName[];
export const PRIMARY_PAGERS = ['pagerduty', 'opsgenie'] as const satisfies readonly OutputName[];
export const TICKETERS = ['jira', 'servicenow'] as const satisfies readonly OutputName[];

export type PagerName = (typeof PAGERS)[number];
export type TicketerName = (typeof TICKETERS)[number];

/** A label and a value, both already sanitized text. */
export interface Fact {
  label: string;
  value: string;
}

/** What a pager says: one line a human reads on a phone, plus facts for the alert body. */
export interface PageMessage {
  incidentId: string;
  /** The one-liner: who, where, from where, MFA, severity; `DRILL · ` first for drills. */
  headline: string;
  severity: Severity;
  drill: boolean;
  cloud: Cloud;
  /** Where it happened: "AWS account 111122223333", "GCP project my-proj" (PagerDuty `source`). Sanitized. */
  source: string;
  /** Why this page goes out now. */
  reason: 'opened' | 'escalated' | 'resolved';
  /** For escalations: "Severity raised to high: audit.tamper". Sanitized. */
  reasonText?: string;
  facts: Fact[];
  /** When the incident started (ISO 8601). */
  timestamp: string;
}

interface ActionBase {
  incidentId: string;
  /** Stable across retries and redeliveries: `<verb>:<output>[:<qualifier>]`. */
  key: string;
  output: OutputName;
  /** Incident version whose state this action renders. */
  version: number;
  /** Key of an action that must be delivered first; its vendor reference is handed to this one. */
  after?: string;
  /**
   * Skip (as delivered) when `after` was itself delivered from this incident version or a later one:
   * it already carried what this action would add (a ticket opened from a snapshot holding these
   * events, a page sent at the raised severity).
   */
  coveredByAfter?: boolean;
  /**
   * Skip (as delivered) once this other action is delivered: an escalation re-sent after the alert was
   * resolved would open a new alert, i.e. page again for a session that is over.
   */
  supersededBy?: string;
  /**
   * Keys of ticket actions whose delivered ticket URL the page carries (PagerDuty `links`, Opsgenie
   * details), once the ticket exists: our own vendor URLs, never a string from a log.
   */
  links?: string[];
}

/**
 * The vendor alert an action addresses (PagerDuty `dedup_key`, Opsgenie `alias`): the incident id for
 * its page, `<incident>:<escalation>` for each escalation (`:tamper`, `:rotation-overdue`…), so an
 * escalation opens an alert of its own, which notifies, instead of merging silently into an open one.
 */
export function alertKey(incidentId: string, escalation?: string): string {
  return escalation ? `${incidentId}:${escalation}` : incidentId;
}

/** Page on open, or notify an escalation: a new page for SNS/chat, an update for PagerDuty/Opsgenie. */
export interface PageAction extends ActionBase {
  kind: 'page' | 'notify';
  /** See {@link alertKey}. */
  alertKey: string;
  page: PageMessage;
  /** Sent instead through another pager when this one has failed `fallbackAfterAttempts` times. */
  fallback?: PageAction;
}

/** Resolve/close the alert opened by `after`, saying why. */
export interface ResolveAction extends ActionBase {
  kind: 'resolve';
  alertKey: string;
  /** "Ticket SEC-12 was closed (Done)", "Drill session ended". Sanitized. */
  note: string;
}

/** A note on an open alert that neither notifies nor resolves (the session ended). */
export interface NoteAction extends ActionBase {
  kind: 'note';
  alertKey: string;
  note: string;
}

/** Open the one ticket of this incident. */
export interface TicketOpenAction extends ActionBase {
  kind: 'ticket.open';
  ticket: TicketDoc;
  severity: Severity;
  drill: boolean;
}

/** Append to the ticket opened by `after` (new events, escalation, session end). */
export interface TicketAppendAction extends ActionBase {
  kind: 'ticket.append';
  comment: TicketDoc;
}

/** Local output: page and ticket files rewritten with the whole incident. */
export interface OutboxAction extends ActionBase {
  kind: 'outbox.write';
  page: PageMessage;
  ticket: TicketDoc;
}

/** A one-time schedule (EventBridge Scheduler, or a JSON file in the outbox). */
export interface ScheduleAction extends ActionBase {
  kind: 'schedule.create';
  schedule: ScheduleSpec;
}

/** A task with a due date on the ticket opened by `after` (Jira sub-task, ServiceNow incident task, outbox file). */
export interface TaskCreateAction extends ActionBase {
  kind: 'task.create';
  task: TaskSpec;
}

/** Close the task created by `after`, saying why (the rotation was seen in the audit logs). */
export interface TaskCloseAction extends ActionBase {
  kind: 'task.close';
  /** The task as created (the outbox rewrites its file as done). */
  task: TaskSpec;
  note: TicketDoc;
}

/** The review invite: an .ics file in the outbox, an attachment of the review task on a ticket. */
export interface InviteAction extends ActionBase {
  kind: 'invite.send';
  invite: Invite;
}

/** Secrets Manager RotateSecret on the break-glass secret. */
export interface SecretRotateAction extends ActionBase {
  kind: 'secret.rotate';
  secretId: string;
  /** ClientRequestToken: the same on every retry, so Secrets Manager creates one new version. */
  requestToken: string;
}

/** IAM: set Inactive the access keys created during the session. */
export interface KeysDeactivateAction extends ActionBase {
  kind: 'keys.deactivate';
  cleanup: AccessKeyCleanup;
}

export type AftermathAction =
  | ScheduleAction
  | TaskCreateAction
  | TaskCloseAction
  | InviteAction
  | SecretRotateAction
  | KeysDeactivateAction;

export type Action =
  | PageAction
  | ResolveAction
  | NoteAction
  | TicketOpenAction
  | TicketAppendAction
  | OutboxAction
  | AftermathAction;
export type ActionKind = Action['kind'];
