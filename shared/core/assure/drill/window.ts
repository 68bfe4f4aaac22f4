import type { Plan } from '../../act/plan.js';
import type { Incident } from '../../model/incident.js';
import type { DeliveryRecord } from '../../ports/delivery-ledger.js';
import { observePage, observeTicket } from './observe.js';
import { isSyntheticDrillEventId } from './record.js';
import {
  DRILL_STEPS,
  type DrillBounds,
  type DrillResult,
  type DrillStepResult,
  drillStatus,
  judgeStep,
} from './steps.js';

/**
 * A drill can also be a person really signing in inside a declared drill window: the real path, from
 * CloudTrail (or Entra, or Workspace) to the pager. Its latency is measured from the audit event's own
 * time, so it includes the provider's delivery delay: the bounds are the S3 path's documented worst.
 */
export const WINDOW_DRILL_BOUNDS: DrillBounds = {
  inject: 0,
  incident: 15 * 60_000,
  page: 15 * 60_000,
  ticket: 20 * 60_000,
  review: 0,
  close: 0,
};

/** Steps a window drill does not have: nothing was injected, and the session ends with its gap. */
const NOT_APPLICABLE: Readonly<Partial<Record<DrillResult['steps'][number]['step'], string>>> = {
  inject: 'a real sign-in: nothing injected',
  review: 'a real session: reviewed like any other',
  close: 'a real session: it ends with its session gap',
};

/**
 * The drill result of one incident opened inside a drill window, from what the delivery ledger says;
 * undefined for anything else (real incidents, injected drills).
 *
 * @example
 * const result = windowDrillResult(incident, await ledger.list(incident.id), responders.plan);
 */
export function windowDrillResult(
  incident: Incident,
  records: readonly DeliveryRecord[],
  plan: Plan,
  runtime: DrillResult['runtime'],
  bounds: DrillBounds = WINDOW_DRILL_BOUNDS,
): DrillResult | undefined {
  const opening = incident.events[0];
  if (!incident.drill || incident.account === null || !opening || isSyntheticDrillEventId(opening.id)) return undefined;
  const start = Date.parse(incident.firstSeen);
  const steps: DrillStepResult[] = [];
  for (const step of DRILL_STEPS) {
    const na = NOT_APPLICABLE[step];
    if (na) {
      steps.push({ step, status: 'unavailable', boundMs: bounds[step], detail: na });
      continue;
    }
    if (step === 'incident') {
      steps.push({
        step,
        status: 'passed',
        boundMs: bounds.incident,
        detail: `incident ${incident.id} (${incident.severity})`,
      });
      continue;
    }
    const seen = step === 'page' ? observePage(plan, incident, records) : observeTicket(plan, records);
    if ('unavailable' in seen) {
      steps.push({ step, status: 'unavailable', boundMs: bounds[step], detail: seen.unavailable });
      continue;
    }
    steps.push(
      judgeStep(
        step,
        bounds,
        'seenAt' in seen
          ? { latencyMs: seen.seenAt - start, detail: seen.detail }
          : { failure: 'waiting' in seen ? `not delivered: ${seen.waiting}` : seen.failure },
      ),
    );
  }
  return {
    drillId: `w-${incident.id}`,
    account: incident.account,
    cloud: incident.cloud,
    kind: 'window',
    runtime,
    startedAt: incident.firstSeen,
    finishedAt: incident.lastSeen,
    status: drillStatus(steps),
    incidentId: incident.id,
    steps,
  };
}
