import type { Cloud } from '../../model/audit-event.js';

/**
 * A drill follows one synthetic break-glass event end to end. Each step has a bound; a step that does
 * not happen within it fails the drill, and a failed drill pages for real.
 */

export const DRILL_STEPS = ['inject', 'incident', 'page', 'ticket', 'close', 'review'] as const;
export type DrillStep = (typeof DRILL_STEPS)[number];

/** What each step proves, for tables and pages. */
export const DRILL_STEP_LABELS: Readonly<Record<DrillStep, string>> = {
  inject: 'drill event accepted by the ingest path',
  incident: 'incident opened as a drill',
  page: 'page delivered (DRILL, low urgency)',
  ticket: 'ticket opened',
  close: 'drill incident closed, page resolved',
  review: 'post-incident review scheduled',
};

/**
 * Longest wait per step, in ms: from the moment the event was injected, except `close` and `review`,
 * which are measured from the drill's own close request (a drill does not wait out the session gap).
 */
export type DrillBounds = Readonly<Record<DrillStep, number>>;

/**
 * Deployed: EventBridge → ingest Lambda → DynamoDB → incident bus → SQS → responders Lambda; each hop
 * is seconds normally, the bounds leave room for a cold start and a vendor retry or two.
 */
export const AWS_DRILL_BOUNDS: DrillBounds = {
  inject: 30_000,
  incident: 60_000,
  page: 120_000,
  ticket: 300_000,
  close: 120_000,
  review: 120_000,
};

/** Local: everything runs in one process on the embedded store; only a vendor call takes real time. */
export const LOCAL_DRILL_BOUNDS: DrillBounds = {
  inject: 10_000,
  incident: 10_000,
  page: 30_000,
  ticket: 30_000,
  close: 30_000,
  review: 30_000,
};

/**
 * `passed`: happened within its bound. `failed`: did not (or went wrong). `unavailable`: the capability
 * is not deployed (said so, never faked). `skipped`: not attempted because an earlier step failed.
 */
export type StepStatus = 'passed' | 'failed' | 'unavailable' | 'skipped';

export interface DrillStepResult {
  step: DrillStep;
  status: StepStatus;
  /** From injection to the step being observed (or to the vendor's delivery record). */
  latencyMs?: number;
  boundMs: number;
  detail: string;
}

/** `synthetic`: an injected drill event. `window`: a real sign-in inside a declared drill window. */
export type DrillKind = 'synthetic' | 'window';

export type DrillStatus = 'passed' | 'failed' | 'skipped';

export interface DrillResult {
  drillId: string;
  account: string;
  cloud: Cloud;
  kind: DrillKind;
  /** Where it ran: the deployed stack or the local CLI. */
  runtime: 'aws' | 'local';
  /** Injection time (synthetic) or the audit event's time (window), ISO 8601. */
  startedAt: string;
  finishedAt: string;
  status: DrillStatus;
  /** Why a drill was skipped or failed, in one line. */
  reason?: string;
  incidentId?: string;
  steps: DrillStepResult[];
}

/** Milliseconds from injection (or the audit event, for window drills) to incident, page and ticket. */
export interface DrillTimings {
  incidentMs?: number;
  pageMs?: number;
  ticketMs?: number;
}

/** Every measured latency, in time or late (a late page is shown with its real latency). */
export function drillTimings(result: DrillResult): DrillTimings {
  const latency = (step: DrillStep) => result.steps.find((s) => s.step === step)?.latencyMs;
  const timings: DrillTimings = {};
  const incidentMs = latency('incident');
  const pageMs = latency('page');
  const ticketMs = latency('ticket');
  if (incidentMs !== undefined) timings.incidentMs = incidentMs;
  if (pageMs !== undefined) timings.pageMs = pageMs;
  if (ticketMs !== undefined) timings.ticketMs = ticketMs;
  return timings;
}

/** Judges one observation against its bound: seen in time passes, seen late or never fails. */
export function judgeStep(
  step: DrillStep,
  bounds: DrillBounds,
  observed: { latencyMs: number; detail: string } | { failure: string },
): DrillStepResult {
  const boundMs = bounds[step];
  if ('failure' in observed) return { step, status: 'failed', boundMs, detail: observed.failure };
  if (observed.latencyMs > boundMs) {
    return {
      step,
      status: 'failed',
      latencyMs: observed.latencyMs,
      boundMs,
      detail: `${observed.detail}, but after ${formatMs(observed.latencyMs)} (bound ${formatMs(boundMs)})`,
    };
  }
  return { step, status: 'passed', latencyMs: observed.latencyMs, boundMs, detail: observed.detail };
}

/** The steps not reached after a failure, so a result always lists every step. */
export function skippedSteps(after: readonly DrillStepResult[], bounds: DrillBounds, why: string): DrillStepResult[] {
  const done = new Set(after.map((s) => s.step));
  return DRILL_STEPS.filter((step) => !done.has(step)).map((step) => ({
    step,
    status: 'skipped',
    boundMs: bounds[step],
    detail: why,
  }));
}

/** A drill passes when no step failed: `unavailable` is reported, not counted against the drill. */
export function drillStatus(steps: readonly DrillStepResult[]): DrillStatus {
  return steps.some((s) => s.status === 'failed') ? 'failed' : 'passed';
}

/** The first failed step, as the one line of a failure page: "incident not within 60 s (…)". */
export function failureSummary(result: DrillResult): string | undefined {
  const failed = result.steps.find((s) => s.status === 'failed');
  if (!failed) return result.reason;
  return `${failed.step} not within ${formatMs(failed.boundMs)}: ${failed.detail}`;
}

/** 850 ms, 12.3 s, 4 min 5 s, 2 h 5 min, 3 d 4 h. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ${Math.floor((ms % 60_000) / 1000)} s`;
  if (ms < 86_400_000) return `${Math.floor(ms / 3_600_000)} h ${Math.floor((ms % 3_600_000) / 60_000)} min`;
  return `${Math.floor(ms / 86_400_000)} d ${Math.floor((ms % 86_400_000) / 3_600_000)} h`;
}
