import { concurrently } from '../../concurrently.js';
import type { AuditEvent, Cloud } from '../../model/audit-event.js';
import type { IncidentChange } from '../../model/incident.js';
import type { DeliveryLedger } from '../../ports/delivery-ledger.js';
import type { RotationWatch, RotationWatchStore } from '../../ports/rotation-watch-store.js';
import type { RegistryMatcher } from '../../registry/index.js';
import type { Action, TicketerName } from '../actions.js';
import type { RespondersConfig } from '../config-schema.js';
import type { ActionOutcome, Clock } from '../driver.js';
import type { Plan } from '../plan.js';
import {
  AFTERMATH_KEYS,
  type AftermathOutputs,
  aftermathOutputs,
  overdueActions,
  reminderActions,
  reviewActions,
  rotationCloseActions,
  rotationRequestActions,
  rotationScheduleActions,
} from './plan.js';
import { planReview } from './review.js';
import { immediateTrigger, newWatch, sessionEndTrigger } from './rotation-policy.js';
import { isRotationEvidence, matchRotations } from './rotation-seen.js';
import type { AftermathTrigger } from './types.js';

/**
 * The aftermath over time: a review when a session closes; a rotation requested when due (at once for
 * tampering and a failed-then-successful sign-in); its tasks closed when the audit logs show it; a page
 * when they do not in time. Every side effect is an action delivered through the ledger, so each of
 * these steps may run again (a redelivered change, two sweepers) without doing anything twice. The
 * watch store remembers what is expected; store failures reject, and the caller's retry redoes the step.
 */

/**
 * A replay: the newest event of the input (epoch ms) per cloud, and per cloud account, project or
 * tenant (`<cloud>:<scope>`). A rotation is proven by its own account's logs, so those end first.
 */
export interface LogsEnd {
  byCloud: Partial<Record<Cloud, number>>;
  byScope: Readonly<Record<string, number>>;
}

/** Where the logs that could prove this watch's rotation end; undefined: the input holds none. */
export function logsEndFor(logsEnd: LogsEnd, watch: Pick<RotationWatch, 'cloud' | 'where'>): number | undefined {
  return (watch.where ? logsEnd.byScope[`${watch.cloud}:${watch.where}`] : undefined) ?? logsEnd.byCloud[watch.cloud];
}

/** What runs actions: the responders' Deliverer. */
export interface ActionRunner {
  runAll(actions: readonly Action[]): Promise<ActionOutcome[]>;
}

export interface AftermathDeps {
  config: RespondersConfig;
  plan: Plan;
  registry: RegistryMatcher;
  store: RotationWatchStore;
  ledger: DeliveryLedger;
  clock: Clock;
  /** Overdue rotations paged at once: each is its own incident, as many as the responders handle at once. */
  concurrency: number;
}

/** Attempts at a compare-and-set before giving up to the caller's retry. */
const WRITE_ATTEMPTS = 5;

export class Aftermath {
  readonly outputs: AftermathOutputs;

  constructor(private readonly deps: AftermathDeps) {
    this.outputs = aftermathOutputs(deps.plan, deps.config);
  }

  /** The review (on `closed`) and the rotation this change calls for. */
  async onChange(change: IncidentChange, runner: ActionRunner): Promise<ActionOutcome[]> {
    const { incident } = change;
    const { registry, config } = this.deps;
    const outcomes: ActionOutcome[] = [];
    const account = incident.account ? registry.account(incident.account) : undefined;
    const gapMs = registry.sessionGapMs(incident.account);
    if (change.kind === 'closed') {
      const review = planReview(incident, account, config.review, gapMs);
      outcomes.push(...(await runner.runAll(reviewActions(incident, review, this.outputs))));
    }
    // Tampering by someone outside the registry has no break-glass credential to rotate.
    if (!account) return outcomes;
    const trigger =
      immediateTrigger(incident) ?? (change.kind === 'closed' ? sessionEndTrigger(incident, gapMs) : undefined);
    if (!trigger) return outcomes;
    const nowMs = this.deps.clock.now();
    const watch = await this.ensureWatch(newWatch({ incident, account, trigger, config: config.rotation, nowMs }));
    outcomes.push(...(await runner.runAll(rotationScheduleActions(watch, this.outputs, nowMs))));
    if (Date.parse(watch.dueAt) <= nowMs) outcomes.push(...(await this.request(watch, runner)));
    return outcomes;
  }

  /**
   * Requests every rotation that came due, and closes the tasks of rotations seen since. Call it when
   * a rotation schedule fires and from a periodic job (the backstop for a lost wake-up).
   */
  async runDue(runner: ActionRunner, nowMs = this.deps.clock.now()): Promise<ActionOutcome[]> {
    const outcomes: ActionOutcome[] = [];
    for (const watch of await this.deps.store.listPending())
      outcomes.push(...(await this.advance(watch, runner, nowMs)));
    return outcomes;
  }

  /** Audit events that may prove rotations (others are skipped with one lookup each). */
  async observe(events: readonly AuditEvent[], runner: ActionRunner): Promise<ActionOutcome[]> {
    const candidates = events.filter(isRotationEvidence);
    if (candidates.length === 0) return [];
    const outcomes: ActionOutcome[] = [];
    let pending = await this.deps.store.listPending();
    for (const event of candidates) {
      for (const match of matchRotations(event, pending)) {
        const seen = await this.update(match.incidentId, (w) =>
          w.status === 'seen'
            ? undefined
            : {
                ...w,
                status: 'seen',
                seen: {
                  eventId: event.id,
                  time: event.time,
                  action: `${event.service} ${event.action}`,
                  actor: event.actor.display,
                },
              },
        );
        pending = pending.map((w) => (w.incidentId === seen.incidentId ? seen : w));
        // Not yet requested: `runDue` requests what is left (the keys) and closes afterwards.
        if (seen.requestedAt) outcomes.push(...(await this.close(seen, runner)));
      }
    }
    return outcomes;
  }

  /**
   * Rotations past their deadline and not seen: page once, at high severity. `logsEnd` (a replay: the
   * newest event of the input, per cloud) bounds what the logs can tell: a deadline after the end of
   * the watch's cloud's logs (or with no logs of that cloud) is not overdue, only unverified (see
   * {@link Aftermath.unverified}).
   */
  async checkOverdue(runner: ActionRunner, nowMs = this.deps.clock.now(), logsEnd?: LogsEnd): Promise<ActionOutcome[]> {
    const overdue = (await this.deps.store.listPending()).filter((watch) => {
      const asOf =
        logsEnd === undefined ? nowMs : Math.min(nowMs, logsEndFor(logsEnd, watch) ?? Number.NEGATIVE_INFINITY);
      return watch.status === 'open' && Date.parse(watch.deadlineAt) <= asOf;
    });
    // Each watch is its own incident: their pages and writes overlap, their outcomes stay in this order.
    const outcomes = await concurrently(overdue, this.deps.concurrency, async (watch) => {
      const actions = overdueActions(watch, this.outputs);
      const results = await runner.runAll(actions);
      if (allDelivered(actions, results)) {
        await this.update(
          watch.incidentId,
          (w) => (w.status === 'open' ? { ...w, status: 'escalated', escalatedAt: iso(nowMs) } : undefined),
          watch,
        );
      }
      return results;
    });
    return outcomes.flat();
  }

  /** Open rotations whose deadline passed by `nowMs` but falls after their cloud's logs end: nobody can tell yet. */
  async unverified(nowMs: number, logsEnd: LogsEnd): Promise<RotationWatch[]> {
    return (await this.deps.store.listPending()).filter((w) => {
      const deadline = Date.parse(w.deadlineAt);
      return (
        w.status === 'open' && deadline > (logsEndFor(logsEnd, w) ?? Number.NEGATIVE_INFINITY) && deadline <= nowMs
      );
    });
  }

  /** A schedule fired: the review reminder, or the rotation of that incident. */
  async onTrigger(trigger: AftermathTrigger, runner: ActionRunner): Promise<ActionOutcome[]> {
    if (trigger.task === 'review') return runner.runAll(reminderActions(trigger, this.outputs));
    const watch = await this.deps.store.get(trigger.incidentId);
    return watch ? this.advance(watch, runner, this.deps.clock.now()) : [];
  }

  private async advance(watch: RotationWatch, runner: ActionRunner, nowMs: number): Promise<ActionOutcome[]> {
    const outcomes: ActionOutcome[] = [];
    let current = watch;
    if (!current.requestedAt && Date.parse(current.dueAt) <= nowMs) {
      outcomes.push(...(await this.request(current, runner)));
      current = (await this.deps.store.get(current.incidentId)) ?? current;
    }
    if (current.status === 'seen' && current.requestedAt && !current.closedAt) {
      outcomes.push(...(await this.close(current, runner)));
    }
    return outcomes;
  }

  /**
   * Creates the watch, or returns the stored one; an immediate watch picks up keys created since. A
   * session is watched once and its changes handled about twice, so the first attempt creates without
   * reading: its condition (no watch yet) says when to read.
   */
  private async ensureWatch(fresh: RotationWatch): Promise<RotationWatch> {
    const { store } = this.deps;
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const stored = attempt === 0 ? undefined : await store.get(fresh.incidentId);
      if (!stored) {
        if (await store.compareAndSet(fresh, undefined)) return fresh;
        continue;
      }
      const keysChanged =
        JSON.stringify(stored.executors.accessKeys?.eventIds ?? []) !==
        JSON.stringify(fresh.executors.accessKeys?.eventIds ?? []);
      if (!(stored.immediate && fresh.immediate && keysChanged)) return stored;
      const { requestedAt: _requested, ...rest } = stored;
      const next = { ...rest, executors: fresh.executors, updatedAt: fresh.updatedAt, revision: stored.revision + 1 };
      if (await store.compareAndSet(next, stored.revision)) return next;
    }
    throw new Error(`rotation watch of incident ${fresh.incidentId}: lost ${WRITE_ATTEMPTS} write races`);
  }

  /** Tasks, RotateSecret and key deactivation; the watch is marked requested once all were delivered. */
  private async request(watch: RotationWatch, runner: ActionRunner): Promise<ActionOutcome[]> {
    const actions = rotationRequestActions(watch, this.outputs);
    const outcomes = await runner.runAll(actions);
    if (!watch.requestedAt && allDelivered(actions, outcomes)) {
      const at = iso(this.deps.clock.now());
      await this.update(watch.incidentId, (w) => (w.requestedAt ? undefined : { ...w, requestedAt: at }), watch);
    }
    return outcomes;
  }

  /** Closes the tasks that exist (per the ledger); marks the watch closed once all are. */
  private async close(watch: RotationWatch, runner: ActionRunner): Promise<ActionOutcome[]> {
    const created = new Set<TicketerName | 'outbox'>();
    for (const output of [...this.outputs.ticketers, ...(this.outputs.outbox ? (['outbox'] as const) : [])]) {
      const record = await this.deps.ledger.get(watch.incidentId, AFTERMATH_KEYS.rotationTask(output));
      if (record?.status === 'delivered') created.add(output);
    }
    const actions = rotationCloseActions(watch, this.outputs, created);
    const outcomes = await runner.runAll(actions);
    if (watch.requestedAt && allDelivered(actions, outcomes)) {
      const at = iso(this.deps.clock.now());
      await this.update(watch.incidentId, (w) => (w.closedAt ? undefined : { ...w, closedAt: at }), watch);
    }
    return outcomes;
  }

  /**
   * Compare-and-set with re-reads: `change` returns the next state, or undefined when none is needed.
   * The first attempt starts from `known` (the watch as the caller just read or wrote it) when given:
   * the compare-and-set verifies it is still the stored one.
   */
  private async update(
    incidentId: string,
    change: (watch: RotationWatch) => RotationWatch | undefined,
    known?: RotationWatch,
  ): Promise<RotationWatch> {
    const { store, clock } = this.deps;
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const assumed = attempt === 0 && known !== undefined;
      const stored = assumed ? known : await store.get(incidentId);
      if (!stored) throw new Error(`rotation watch of incident ${incidentId} disappeared`);
      const next = change(stored);
      // Nothing to write: only the stored watch, read now, may say so (no write verifies `known`).
      if (!next && assumed) continue;
      if (!next) return stored;
      const written = { ...next, updatedAt: iso(clock.now()), revision: stored.revision + 1 };
      if (await store.compareAndSet(written, stored.revision)) return written;
    }
    throw new Error(`rotation watch of incident ${incidentId}: lost ${WRITE_ATTEMPTS} write races`);
  }
}

/** Every planned action delivered (fallback pages, also reported, do not count). */
function allDelivered(actions: readonly Action[], outcomes: readonly ActionOutcome[]): boolean {
  const delivered = new Set(outcomes.filter((o) => o.status === 'delivered').map((o) => o.key));
  return actions.every((a) => delivered.has(a.key));
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
