import type { RespondersConfig } from '../../core/act/config-schema.js';
import type { Clock } from '../../core/act/driver.js';
import type { Plan } from '../../core/act/plan.js';
import { type CloseOutcome, closeDrillIncident } from '../../core/assure/drill/close.js';
import { drillCorrelationKey } from '../../core/assure/drill/key.js';
import {
  type Observation,
  observeClose,
  observeIncident,
  observePage,
  observeReview,
  observeTicket,
  reviewActions,
} from '../../core/assure/drill/observe.js';
import { drillOpeningEvent } from '../../core/assure/drill/opening.js';
import { type DrillEvent, drillEvent, drillEventId, newDrillId } from '../../core/assure/drill/record.js';
import {
  type DrillBounds,
  type DrillResult,
  type DrillStep,
  type DrillStepResult,
  drillStatus,
  judgeStep,
  skippedSteps,
} from '../../core/assure/drill/steps.js';
import { inSession } from '../../core/correlate/session.js';
import type { Incident, IncidentChange } from '../../core/model/incident.js';
import type { DeliveryRecord } from '../../core/ports/delivery-ledger.js';
import type { IncidentRepository } from '../../core/ports/incident-repository.js';
import type { BreakGlassAccount } from '../../core/registry/index.js';

/**
 * Runs one drill: injects the drill event into the real ingest path and follows it through the stores
 * (incident, delivery ledger), step by step, each within its bound; then closes the drill's own
 * session. The same runner drives the local CLI and the scheduled Lambda; only the environment differs.
 */
export interface DrillEnvironment {
  runtime: DrillResult['runtime'];
  /** The act stage's plan: which pagers, ticketers or outbox a drill expects to see deliver. */
  plan: Plan;
  /** The responders configuration (defaults filled): what the aftermath plans for a closed incident. */
  responders: RespondersConfig;
  clock: Clock;
  /** Pause between two looks at the stores. */
  pollMs: number;
  repository: IncidentRepository;
  /** Session gap of the account (the matcher's). */
  sessionGapMs: number;
  /** Region the drill event claims. */
  region?: string;
  /** Puts the drill event on the ingest path; resolves once the path accepted it. */
  inject(event: DrillEvent): Promise<void>;
  deliveries(incidentId: string): Promise<DeliveryRecord[]>;
  /** Hands the drill's `closed` change to the act stage (locally the responders, deployed the incident bus). */
  publish(changes: IncidentChange[]): Promise<void>;
}

export interface DrillOptions {
  bounds: DrillBounds;
  drillId?: string;
}

/**
 * @example
 * const result = await runDrill(environment, matcher.account('aws-prod-root'), { bounds: LOCAL_DRILL_BOUNDS });
 * if (result.status === 'failed') await alerts.send(drillFailureAlert(result));
 */
export async function runDrill(
  env: DrillEnvironment,
  account: BreakGlassAccount,
  options: DrillOptions,
): Promise<DrillResult> {
  const { clock } = env;
  const { bounds } = options;
  const drillId = options.drillId ?? newDrillId();
  const startedMs = clock.now();
  const event = drillEvent(account, {
    drillId,
    now: new Date(startedMs),
    ...(env.region ? { region: env.region } : {}),
  });
  const key = drillCorrelationKey(account, event);
  const base = { drillId, account: account.id, cloud: account.cloud, kind: 'synthetic' as const, runtime: env.runtime };
  const finish = (steps: DrillStepResult[], extra: Partial<DrillResult> = {}): DrillResult => ({
    ...base,
    startedAt: new Date(startedMs).toISOString(),
    finishedAt: new Date(clock.now()).toISOString(),
    status: drillStatus(steps),
    steps,
    ...extra,
  });

  // A drill never runs into a real emergency session: it would join it (and stay real), proving nothing.
  const head = await env.repository.loadHead(key);
  if (head && head.status === 'open' && !head.drill && inSession(head, startedMs, env.sessionGapMs)) {
    const reason = `a real incident (${head.id}) of this account is open: drill not injected`;
    return { ...finish(skippedSteps([], bounds, reason)), status: 'skipped', reason };
  }

  const steps: DrillStepResult[] = [];
  // The credential is read from its store first (when one is declared), as in a real emergency.
  const opening = drillOpeningEvent(account, event, { drillId, now: new Date(startedMs) });
  try {
    if (opening) await env.inject(opening);
    await env.inject(event);
    steps.push(
      judgeStep('inject', bounds, { latencyMs: clock.now() - startedMs, detail: `event ${event.id} accepted` }),
    );
  } catch (error) {
    steps.push(judgeStep('inject', bounds, { failure: `not accepted: ${(error as Error).message}` }));
  }
  if (steps[0]?.status !== 'passed') return finish([...steps, ...skippedSteps(steps, bounds, 'nothing was injected')]);

  const eventId = drillEventId(event);
  let incident: Incident | undefined;
  steps.push(
    await poll(env, 'incident', bounds, startedMs, async () => {
      incident = await findIncident(env, key, eventId, startedMs);
      return observeIncident(incident, eventId, clock.now());
    }),
  );
  const found = incident;
  if (steps[1]?.status !== 'passed' || !found) {
    return finish([...steps, ...skippedSteps(steps, bounds, 'no drill incident to follow')], extraOf(found));
  }

  steps.push(
    await poll(env, 'page', bounds, startedMs, async () =>
      observePage(env.plan, found, await env.deliveries(found.id)),
    ),
  );
  steps.push(
    await poll(env, 'ticket', bounds, startedMs, async () => observeTicket(env.plan, await env.deliveries(found.id))),
  );

  // The drill closes its own session, whatever happened above: a stuck drill must not stay open.
  const closeMs = clock.now();
  const outcome = await closeDrillIncident(env.repository, found);
  if (outcome.kind === 'closed') await env.publish([outcome.change]);
  steps.push(await closeStep(env, bounds, outcome, found, closeMs));
  steps.push(await reviewStep(env, account, bounds, outcome, found, closeMs));
  return finish(steps, extraOf(found));
}

function extraOf(incident: Incident | undefined): Partial<DrillResult> {
  return incident ? { incidentId: incident.id } : {};
}

/** The drill incident: normally the key's head (a drill opens its own session), else an archived copy. */
async function findIncident(env: DrillEnvironment, key: string, eventId: string, timeMs: number) {
  const head = await env.repository.loadHead(key);
  if (head?.events.some((e) => e.id === eventId)) return head;
  const covering = await env.repository.findCovering(key, timeMs, env.sessionGapMs);
  return covering?.events.some((e) => e.id === eventId) ? covering : undefined;
}

async function closeStep(
  env: DrillEnvironment,
  bounds: DrillBounds,
  outcome: CloseOutcome,
  incident: Incident,
  fromMs: number,
): Promise<DrillStepResult> {
  if (outcome.kind === 'refused') return judgeStep('close', bounds, { failure: outcome.reason });
  return poll(env, 'close', bounds, fromMs, async () =>
    observeClose(
      env.plan,
      await env.repository.getIncident(incident.id),
      await env.deliveries(incident.id),
      env.clock.now(),
    ),
  );
}

async function reviewStep(
  env: DrillEnvironment,
  account: BreakGlassAccount,
  bounds: DrillBounds,
  outcome: CloseOutcome,
  incident: Incident,
  fromMs: number,
): Promise<DrillStepResult> {
  const closed =
    outcome.kind === 'closed'
      ? outcome.change.incident
      : outcome.kind === 'already-closed'
        ? outcome.incident
        : undefined;
  if (!closed)
    return { step: 'review', status: 'skipped', boundMs: bounds.review, detail: 'the drill incident was not closed' };
  const planned = reviewActions(env.plan, env.responders, closed, account, env.sessionGapMs);
  if (planned.length === 0) {
    return {
      step: 'review',
      status: 'unavailable',
      boundMs: bounds.review,
      detail: 'not available: the act stage schedules no post-incident review for this incident in this build',
    };
  }
  return poll(env, 'review', bounds, fromMs, async () => observeReview(planned, await env.deliveries(incident.id)));
}

/** Looks until the observation is made, fails, or the step's bound has passed since `fromMs`. */
async function poll(
  env: DrillEnvironment,
  step: DrillStep,
  bounds: DrillBounds,
  fromMs: number,
  look: () => Promise<Observation>,
): Promise<DrillStepResult> {
  const deadline = fromMs + bounds[step];
  for (;;) {
    let seen: Observation;
    try {
      seen = await look();
    } catch (error) {
      seen = { waiting: `store unavailable: ${(error as Error).message}` };
    }
    if ('seenAt' in seen)
      return judgeStep(step, bounds, { latencyMs: Math.max(0, seen.seenAt - fromMs), detail: seen.detail });
    if ('failure' in seen) return judgeStep(step, bounds, { failure: seen.failure });
    if ('unavailable' in seen) return { step, status: 'unavailable', boundMs: bounds[step], detail: seen.unavailable };
    if (env.clock.now() >= deadline) return judgeStep(step, bounds, { failure: `not seen: ${seen.waiting}` });
    await env.clock.sleep(Math.min(env.pollMs, Math.max(1, deadline - env.clock.now())));
  }
}
