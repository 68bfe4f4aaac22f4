import { createHash } from 'node:crypto';
import type { Incident } from '../../model/incident.js';
import type { RotationWatch } from '../../ports/rotation-watch-store.js';
import {
  type Action,
  alertKey,
  type OutputName,
  type PageAction,
  type PagerName,
  type TicketerName,
} from '../actions.js';
import type { RespondersConfig } from '../config-schema.js';
import { digest, fallbackOf, type Plan, RESOLVABLE } from '../plan.js';
import { describeLocal } from './business-days.js';
import { type ReviewPlan, reviewReminder, scheduleSpec } from './review.js';
import { overduePage, rotationSeenNote, rotationSeenText, rotationTask } from './rotation-task.js';
import type { AftermathTrigger } from './types.js';

/**
 * The aftermath's actions, with keys as stable as the rest of the act stage: one review schedule, task
 * and invite per incident and output; one rotation request, close and escalation per incident and
 * output. Tasks hang on the ticket (`after: ticket:<t>:open`); closing waits for the task.
 */

/** Where aftermath actions go, from the responder plan and configuration. */
export interface AftermathOutputs {
  ticketers: TicketerName[];
  pagers: PagerName[];
  primary?: PagerName;
  fallback?: 'sns';
  outbox: boolean;
  /** EventBridge Scheduler configured. */
  scheduler: boolean;
  /** AWS rotation executors configured (Secrets Manager, IAM). */
  aws: boolean;
  /** Time zone people read dates in (the review's). */
  timezone: string;
  seenWithinHours: number;
}

export function aftermathOutputs(plan: Plan, config: RespondersConfig): AftermathOutputs {
  return {
    ticketers: plan.ticketers,
    pagers: plan.pagers,
    ...(plan.primary ? { primary: plan.primary } : {}),
    ...(plan.fallback ? { fallback: plan.fallback } : {}),
    outbox: plan.outbox,
    scheduler: config.scheduler !== undefined,
    aws: config.rotation.aws !== undefined,
    timezone: config.review.timezone,
    seenWithinHours: config.rotation.seenWithinHours,
  };
}

/** The outputs an aftermath needs drivers for. */
export function aftermathDrivers(out: AftermathOutputs): OutputName[] {
  return [...(out.scheduler ? (['scheduler'] as const) : []), ...(out.aws ? (['secretsmanager', 'iam'] as const) : [])];
}

/** The overdue page's alert: `<incident>:rotation-overdue`, its own alert beside the incident's page. */
export const OVERDUE_ALERT = 'rotation-overdue';

/** Action keys, in one place: tests, the runner and the ledger all spell them the same. */
export const AFTERMATH_KEYS = {
  reviewSchedule: (output: 'scheduler' | 'outbox') =>
    output === 'scheduler' ? 'review:scheduler' : 'review:outbox:schedule',
  reviewTask: (output: TicketerName | 'outbox') => `review:${output}:task`,
  reviewInvite: (output: TicketerName | 'outbox') => `review:${output}:invite`,
  reviewReminder: (output: TicketerName) => `review:${output}:reminder`,
  rotationSchedule: (output: 'scheduler' | 'outbox') =>
    output === 'scheduler' ? 'rotation:scheduler' : 'rotation:outbox:schedule',
  rotationTask: (output: TicketerName | 'outbox') => `rotation:${output}:task`,
  rotationDone: (output: TicketerName | 'outbox') => `rotation:${output}:done`,
  rotateSecret: 'rotation:secretsmanager',
  deactivateKeys: (eventIds: readonly string[]) => `rotation:iam:${digest(eventIds)}`,
  overdue: (output: PagerName | 'outbox') => `rotation:overdue:${output}`,
  overdueFallback: 'rotation:overdue:fallback:sns',
  overdueResolve: (output: PagerName) => `resolve:${output}:${OVERDUE_ALERT}`,
} as const;

const open = (ticketer: TicketerName) => `ticket:${ticketer}:open`;

/** When a session closes: the review's schedule, its task on every ticket, and the invite. */
export function reviewActions(incident: Incident, review: ReviewPlan, out: AftermathOutputs): Action[] {
  const base = { incidentId: incident.id, version: incident.version };
  const actions: Action[] = [];
  if (out.scheduler) {
    actions.push({
      ...base,
      kind: 'schedule.create',
      key: AFTERMATH_KEYS.reviewSchedule('scheduler'),
      output: 'scheduler',
      schedule: review.schedule,
    });
  }
  for (const ticketer of out.ticketers) {
    const task = AFTERMATH_KEYS.reviewTask(ticketer);
    actions.push({
      ...base,
      kind: 'task.create',
      key: task,
      output: ticketer,
      after: open(ticketer),
      task: review.task,
    });
    if (review.invite) {
      const key = AFTERMATH_KEYS.reviewInvite(ticketer);
      actions.push({ ...base, kind: 'invite.send', key, output: ticketer, after: task, invite: review.invite });
    }
  }
  if (out.outbox) {
    const output = 'outbox' as const;
    actions.push(
      {
        ...base,
        kind: 'schedule.create',
        key: AFTERMATH_KEYS.reviewSchedule(output),
        output,
        schedule: review.schedule,
      },
      { ...base, kind: 'task.create', key: AFTERMATH_KEYS.reviewTask(output), output, task: review.task },
    );
    if (review.invite) {
      actions.push({
        ...base,
        kind: 'invite.send',
        key: AFTERMATH_KEYS.reviewInvite(output),
        output,
        invite: review.invite,
      });
    }
  }
  return actions;
}

/** A delayed rotation: a wake-up at the due time (the outbox records it too). */
export function rotationScheduleActions(watch: RotationWatch, out: AftermathOutputs, nowMs: number): Action[] {
  if (watch.immediate) return [];
  const dueMs = Date.parse(watch.dueAt);
  const schedule = scheduleSpec(
    'rotation',
    watch.incidentId,
    dueMs,
    out.timezone,
    `Glasswatch rotation of the ${watch.account} break-glass credential (incident ${watch.incidentId}), due ${describeLocal(dueMs, out.timezone)}`,
  );
  const base = { incidentId: watch.incidentId, version: 0, kind: 'schedule.create' as const, schedule };
  const actions: Action[] = [];
  // A wake-up in the past is pointless: the rotation is requested now instead.
  if (out.scheduler && dueMs > nowMs) {
    actions.push({ ...base, key: AFTERMATH_KEYS.rotationSchedule('scheduler'), output: 'scheduler' });
  }
  if (out.outbox) actions.push({ ...base, key: AFTERMATH_KEYS.rotationSchedule('outbox'), output: 'outbox' });
  return actions;
}

/**
 * When the rotation comes due: the task on every ticket and in the outbox, RotateSecret and the key
 * deactivation. Once the rotation was seen (a person rotated before the delay ran out) only the
 * session's access keys are still deactivated.
 */
export function rotationRequestActions(watch: RotationWatch, out: AftermathOutputs): Action[] {
  const base = { incidentId: watch.incidentId, version: 0 };
  const actions: Action[] = [];
  const { secretId, accessKeys } = watch.executors;
  if (watch.status !== 'seen') {
    const task = rotationTask(watch, out.timezone);
    for (const ticketer of out.ticketers) {
      const key = AFTERMATH_KEYS.rotationTask(ticketer);
      actions.push({ ...base, kind: 'task.create', key, output: ticketer, after: open(ticketer), task });
    }
    if (out.outbox) {
      actions.push({
        ...base,
        kind: 'task.create',
        key: AFTERMATH_KEYS.rotationTask('outbox'),
        output: 'outbox',
        task,
      });
    }
    if (secretId && out.aws) {
      actions.push({
        ...base,
        kind: 'secret.rotate',
        key: AFTERMATH_KEYS.rotateSecret,
        output: 'secretsmanager',
        secretId,
        requestToken: requestToken(watch.incidentId),
      });
    }
  }
  if (accessKeys && out.aws) {
    actions.push({
      ...base,
      kind: 'keys.deactivate',
      key: AFTERMATH_KEYS.deactivateKeys(accessKeys.eventIds),
      output: 'iam',
      cleanup: accessKeys,
    });
  }
  return actions;
}

/**
 * Once seen: close each task that was created (`created` names their outputs), and resolve the
 * overdue alerts if the rotation had been escalated.
 */
export function rotationCloseActions(
  watch: RotationWatch,
  out: AftermathOutputs,
  created: ReadonlySet<TicketerName | 'outbox'>,
): Action[] {
  const base = { incidentId: watch.incidentId, version: 0 };
  const task = rotationTask(watch, out.timezone);
  const note = rotationSeenNote(watch);
  const actions: Action[] = [];
  for (const output of [...out.ticketers, ...(out.outbox ? (['outbox'] as const) : [])]) {
    if (!created.has(output)) continue;
    actions.push({
      ...base,
      kind: 'task.close',
      key: AFTERMATH_KEYS.rotationDone(output),
      output,
      after: AFTERMATH_KEYS.rotationTask(output),
      task,
      note,
    });
  }
  if (watch.escalatedAt) {
    for (const pager of out.pagers.filter((p) => RESOLVABLE.has(p))) {
      actions.push({
        ...base,
        kind: 'resolve',
        key: AFTERMATH_KEYS.overdueResolve(pager),
        output: pager,
        after: AFTERMATH_KEYS.overdue(pager),
        alertKey: alertKey(watch.incidentId, OVERDUE_ALERT),
        note: `${rotationSeenText(watch)}; resolved by Glasswatch`,
      });
    }
  }
  return actions;
}

/** The deadline passed unseen: every pager at high severity (the outbox writes a page file). */
export function overdueActions(watch: RotationWatch, out: AftermathOutputs): Action[] {
  const page = overduePage(watch, out.seenWithinHours);
  const actions: Action[] = [];
  for (const pager of out.pagers) {
    const action: PageAction = {
      incidentId: watch.incidentId,
      version: 0,
      kind: 'page',
      key: AFTERMATH_KEYS.overdue(pager),
      output: pager,
      alertKey: alertKey(watch.incidentId, OVERDUE_ALERT),
      page,
    };
    if (pager === out.primary && out.fallback) {
      action.fallback = fallbackOf(action, out.fallback, AFTERMATH_KEYS.overdueFallback);
    }
    actions.push(action);
  }
  if (out.outbox) {
    actions.push({
      incidentId: watch.incidentId,
      version: 0,
      kind: 'page',
      key: AFTERMATH_KEYS.overdue('outbox'),
      output: 'outbox',
      alertKey: alertKey(watch.incidentId, OVERDUE_ALERT),
      page,
    });
  }
  return actions;
}

/** The review schedule fired: a reminder on each review task. */
export function reminderActions(trigger: AftermathTrigger, out: AftermathOutputs): Action[] {
  const comment = reviewReminder(describeLocal(Date.parse(trigger.dueAt), out.timezone));
  return out.ticketers.map((ticketer) => ({
    incidentId: trigger.incidentId,
    version: 0,
    kind: 'ticket.append' as const,
    key: AFTERMATH_KEYS.reviewReminder(ticketer),
    output: ticketer,
    after: AFTERMATH_KEYS.reviewTask(ticketer),
    comment,
  }));
}

/** A UUID-shaped ClientRequestToken derived from the incident: one new secret version per incident. */
export function requestToken(incidentId: string): string {
  const hex = createHash('sha256').update(`glasswatch:rotate-secret:${incidentId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
