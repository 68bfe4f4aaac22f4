import { createHash } from 'node:crypto';
import type { Incident } from '../../model/incident.js';
import type { BreakGlassAccount } from '../../registry/index.js';
import { DRILL_PREFIX } from '../render/page.js';
import { capCodePoints, sanitizeText } from '../render/sanitize.js';
import { REVIEW_CHECKLIST } from '../render/ticket.js';
import type { Block } from '../render/ticket-doc.js';
import { CLOUD_LABELS } from '../render/view.js';
import {
  addBusinessDays,
  type BusinessCalendar,
  describeLocal,
  localDate,
  utcSeconds,
  zonedTimeToUtc,
} from './business-days.js';
import type { ReviewConfig } from './config.js';
import { type AftermathTask, type Invite, type ScheduleSpec, type TaskSpec, TRIGGER_SOURCE } from './types.js';

/**
 * The post-incident review: N business days after the session ended, at a local time, in the
 * configured zone. Pure: the same incident and configuration always give the same review, so a
 * redelivered `closed` change finds the same schedule name, task and invite UID.
 */

export interface ReviewPlan {
  /** When the session ended: the last event plus the session gap. */
  sessionEndMs: number;
  startMs: number;
  endMs: number;
  /** The review's calendar date in the configured zone (the ticket's due date). */
  date: string;
  localTime: string;
  schedule: ScheduleSpec;
  task: TaskSpec;
  /** Absent when nobody can be invited (no owner, no organizer). */
  invite?: Invite;
}

/** Longest account or principal label in a title. */
const LABEL_MAX = 100;
/** EventBridge Scheduler's limit for a schedule description. */
const SCHEDULE_DESCRIPTION_MAX = 512;
const NAME_MAX = 64;

/**
 * What the review is about: "aws-root-prod break-glass use", or — for tampering by someone outside the
 * registry, who used no break-glass account — "Audit logging tampered with by <principal>".
 */
export function subjectOf(incident: Pick<Incident, 'account' | 'detections'>, label: string): string {
  return incident.account === null && incident.detections.includes('audit.tamper')
    ? `Audit logging tampered with by ${label}`
    : `${label} break-glass use`;
}

/** "aws-root-prod", or the sanitized principal when the incident belongs to no registered account. */
export function accountLabel(incident: Pick<Incident, 'account' | 'principal'>): string {
  return sanitizeText(incident.account ?? incident.principal, LABEL_MAX) || 'unknown account';
}

/**
 * A scheduler name for one incident and task: `gw-review-<incident id>` when the id is plain and short
 * enough, else `gw-review-` and a hash. EventBridge Scheduler names are ≤ 64 of `[0-9A-Za-z._-]`.
 */
export function scheduleName(task: AftermathTask, incidentId: string): string {
  const plain = `gw-${task}-${incidentId}`;
  if (plain.length <= NAME_MAX && /^[0-9A-Za-z._-]+$/.test(incidentId)) return plain;
  return `gw-${task}-${createHash('sha256')
    .update(incidentId)
    .digest('hex')
    .slice(0, NAME_MAX - 4 - task.length)}`;
}

/** A one-time schedule at `atMs` whose input names the incident and the task. */
export function scheduleSpec(
  task: AftermathTask,
  incidentId: string,
  atMs: number,
  timezone: string,
  description: string,
): ScheduleSpec {
  const at = utcSeconds(atMs);
  return {
    name: scheduleName(task, incidentId),
    task,
    at: `${at}Z`,
    expression: `at(${at})`,
    localTime: describeLocal(atMs, timezone),
    description: capCodePoints(description, SCHEDULE_DESCRIPTION_MAX),
    input: { source: TRIGGER_SOURCE, version: 1, task, incidentId, dueAt: `${at}Z` },
  };
}

/** The review date and start: N business days after the session end, never before the session ended. */
export function reviewTime(sessionEndMs: number, review: ReviewConfig): { date: string; startMs: number } {
  const calendar: BusinessCalendar = { timezone: review.timezone, holidays: new Set(review.holidays) };
  let date = addBusinessDays(localDate(sessionEndMs, review.timezone), review.businessDays, calendar);
  let startMs = zonedTimeToUtc(date, review.time, review.timezone);
  // With 0 business days a session ending after the review hour is reviewed the next business day.
  if (startMs <= sessionEndMs) {
    date = addBusinessDays(date, 1, calendar);
    startMs = zonedTimeToUtc(date, review.time, review.timezone);
  }
  return { date, startMs };
}

/** Everything the review needs, from a closed incident and its registry entry. */
export function planReview(
  incident: Incident,
  account: BreakGlassAccount | undefined,
  review: ReviewConfig,
  sessionGapMs: number,
): ReviewPlan {
  const sessionEndMs = Date.parse(incident.lastSeen) + sessionGapMs;
  const { date, startMs } = reviewTime(sessionEndMs, review);
  const endMs = startMs + review.durationMinutes * 60_000;
  const localTime = describeLocal(startMs, review.timezone);
  const label = accountLabel(incident);
  const title = capCodePoints(
    `${incident.drill ? DRILL_PREFIX : ''}Post-incident review: ${subjectOf(incident, label)}`,
    200,
  );
  const owners = account?.owners ?? [];
  const intro = `Review of ${incident.account === null ? 'the audit-logging tampering' : 'the break-glass session'} of incident ${sanitizeText(incident.id, 200)}, due ${localTime}, ${review.businessDays} business day(s) after the session ended.`;
  const facts = reviewFacts(incident, label, owners);

  const task: TaskSpec = {
    task: 'review',
    title,
    dueDate: date,
    dueAt: new Date(startMs).toISOString(),
    doc: {
      title,
      blocks: [
        { type: 'paragraph', text: intro },
        { type: 'facts', facts },
        { type: 'heading', text: 'Review checklist' },
        { type: 'checklist', items: [...REVIEW_CHECKLIST] },
      ],
    },
  };
  const organizer = review.organizer ?? owners[0];
  const invite: Invite | undefined =
    organizer && owners.length > 0
      ? {
          uid: `${sanitizeUidPart(incident.id)}-review@glasswatch`,
          start: new Date(startMs).toISOString(),
          end: new Date(endMs).toISOString(),
          stamp: new Date(sessionEndMs).toISOString(),
          organizer,
          attendees: [...owners],
          summary: title,
          description: [
            intro,
            '',
            ...facts.map((f) => `${f.label}: ${f.value}`),
            '',
            'Review checklist:',
            ...REVIEW_CHECKLIST.map((item) => `[ ] ${item}`),
          ].join('\n'),
          timezone: review.timezone,
        }
      : undefined;
  const schedule = scheduleSpec(
    'review',
    incident.id,
    startMs,
    review.timezone,
    `Glasswatch post-incident review: ${subjectOf(incident, label)} (incident ${sanitizeText(incident.id, 120)}), ${localTime}`,
  );
  return {
    sessionEndMs,
    startMs,
    endMs,
    date,
    localTime,
    schedule,
    task,
    ...(invite ? { invite } : {}),
  };
}

function reviewFacts(incident: Incident, label: string, owners: readonly string[]) {
  const where = incident.events.find((e) => e.where)?.where;
  const cloud = CLOUD_LABELS[incident.cloud];
  return [
    { label: 'Incident', value: sanitizeText(incident.id, 200) },
    { label: 'Account', value: label },
    { label: 'Principal', value: sanitizeText(incident.principal, 128) || 'unknown principal' },
    { label: 'Cloud', value: where ? `${cloud} ${sanitizeText(where, 96)}` : cloud },
    { label: 'Session', value: `${incident.firstSeen} to ${incident.lastSeen} (${incident.events.length} events)` },
    { label: 'Severity', value: incident.severity },
    { label: 'Detections', value: incident.detections.join(', ') },
    { label: 'Owners', value: owners.length > 0 ? owners.join(', ') : 'none in the registry' },
  ];
}

/** UID local part: printable, no spaces or separators an iCalendar reader could split on. */
function sanitizeUidPart(id: string): string {
  return capCodePoints(id.replace(/[^A-Za-z0-9._-]/g, '_'), 200) || 'incident';
}

/** A ticket block list for a reminder comment when the review comes due. */
export function reviewReminder(localTime: string): { title: string; blocks: Block[] } {
  return {
    title: 'Post-incident review due',
    blocks: [
      { type: 'paragraph', text: `The post-incident review is due now (${localTime}). Use the checklist:` },
      { type: 'checklist', items: [...REVIEW_CHECKLIST] },
    ],
  };
}
