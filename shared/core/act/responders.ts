import { concurrently } from '../concurrently.js';
import type { AuditEvent } from '../model/audit-event.js';
import type { IncidentChange } from '../model/incident.js';
import type { DeliveryLedger } from '../ports/delivery-ledger.js';
import { InMemoryDeliveryLedger } from '../ports/in-memory-delivery-ledger.js';
import { InMemoryRotationWatchStore } from '../ports/in-memory-rotation-watch-store.js';
import type { RotationWatch, RotationWatchStore } from '../ports/rotation-watch-store.js';
import { type Registry, RegistryMatcher } from '../registry/index.js';
import type { OutputName } from './actions.js';
import { aftermathDrivers } from './aftermath/plan.js';
import { type ActionRunner, Aftermath, type LogsEnd, logsEndFor } from './aftermath/runner.js';
import type { AftermathTrigger } from './aftermath/types.js';
import { type RespondersConfig, respondersSchema } from './config-schema.js';
import { Deliverer } from './delivery.js';
import { type ActionOutcome, type Clock, type OutputDriver, systemClock } from './driver.js';
import { ResponderConfigError } from './errors.js';
import { type Plan, planActions, planFor } from './plan.js';
import { type RuleInfo, sessionEndedNote } from './render/ticket.js';
import { buildReport, type DeliveryReport } from './report.js';
import { closedTicketResolves, openAlerts, resolveActions } from './resolution.js';

export interface ResponderDeps {
  /** One driver per configured output (see `createDrivers` in shared/adapters/http). */
  drivers: Partial<Record<OutputName, OutputDriver>>;
  /** Durable in Lambda; defaults to one in memory (a single local run). */
  ledger?: DeliveryLedger;
  clock?: Clock;
  /** In [0, 1); jitter. Inject a seeded one in tests. */
  random?: () => number;
  /** Rule metadata for ticket runbooks: pass `RULES` from shared/core/detect/rules. */
  rules?: readonly RuleInfo[];
  /** Incidents handled at once; changes of one incident always run in order. */
  concurrency?: number;
  /** Re-try actions the ledger marks failed (a re-drive after a configuration fix). */
  retryFailed?: boolean;
  /**
   * The registry (owners, rotation secrets, session gaps). Given: the aftermath runs too (review when a
   * session closes, credential rotation, rotation seen in the logs, overdue escalation).
   */
  registry?: Registry;
  /** Rotations awaited in the logs; durable in Lambda, in memory by default. */
  rotations?: RotationWatchStore;
}

export interface HandleOptions {
  /** Stop starting new attempts after this long (Lambda: remaining time minus a margin). */
  deadlineMs?: number;
}

export interface TimedOptions extends HandleOptions {
  /** "Now" for due and overdue checks; defaults to the clock. */
  nowMs?: number;
  /** A replay: the newest event of its input per cloud. A deadline after it is unverified, never overdue. */
  logsEnd?: LogsEnd;
}

/** A rotation whose deadline passed after the replayed logs end: neither seen nor overdue. */
export interface UnverifiedRotation {
  incidentId: string;
  account: string;
  deadlineAt: string;
  /** "unverified: the logs end at 2026-10-31T23:59:12.000Z" */
  text: string;
}

export interface Responders {
  readonly plan: Plan;
  /** Present when a registry was given. */
  readonly aftermath?: Aftermath;
  /** Acts on incident changes; resolves when every action is delivered, failed, or out of attempts. */
  handle(changes: readonly IncidentChange[], options?: HandleOptions): Promise<DeliveryReport>;
  /**
   * Audit events that may prove a rotation: call it for every event (non-candidates cost one lookup)
   * after the change of the incident it rotates was handled. Closes the rotation tasks it proves.
   */
  rotationSeen(events: AuditEvent | readonly AuditEvent[], options?: HandleOptions): Promise<DeliveryReport>;
  /** Requests rotations that came due and closes tasks of rotations seen; periodic, and when a schedule fires. */
  runDue(options?: TimedOptions): Promise<DeliveryReport>;
  /**
   * Resolves the open alerts of every incident whose ticket a person closed (Jira done category,
   * ServiceNow resolved/closed), with a note naming the ticket. Periodic, and after a local replay.
   */
  checkTickets(options?: HandleOptions): Promise<DeliveryReport>;
  /** Pages (high) for every rotation not seen by its deadline, once. Periodic. */
  checkOverdue(options?: TimedOptions): Promise<DeliveryReport>;
  /** A replay: rotations whose deadline falls after its logs end (not overdue, not seen). */
  unverifiedRotations(options: { nowMs?: number; logsEnd: LogsEnd }): Promise<UnverifiedRotation[]>;
  /** A schedule's input came back (see `parseAftermathTrigger`): review reminder or due rotation. */
  handleTrigger(trigger: AftermathTrigger, options?: HandleOptions): Promise<DeliveryReport>;
}

/**
 * The act stage's entry: pages, tickets and notifications for incident changes, idempotent per
 * incident and per output; with a registry, also the aftermath (review and rotation).
 *
 * @example
 * const responders = createResponders(registry.responders, { drivers, registry, rules: RULES });
 * const report = await responders.handle(changes);
 * await responders.rotationSeen(rotationCandidates);
 * await responders.checkOverdue();
 * if (!report.complete) process.exitCode = 1;
 */
export function createResponders(config: RespondersConfig | undefined, deps: ResponderDeps): Responders {
  const settings = config ?? respondersSchema.parse({});
  const plan = planFor(config, deps.rules ? { rules: deps.rules } : {});
  const ledger = deps.ledger ?? new InMemoryDeliveryLedger();
  const clock = deps.clock ?? systemClock;
  const concurrency = Math.max(1, deps.concurrency ?? 4);
  const aftermath = deps.registry
    ? new Aftermath({
        config: settings,
        plan,
        registry: new RegistryMatcher(deps.registry),
        store: deps.rotations ?? new InMemoryRotationWatchStore(),
        ledger,
        clock,
        concurrency,
      })
    : undefined;
  const needed = new Set<OutputName>([...plan.pagers, ...plan.ticketers, ...(plan.fallback ? [plan.fallback] : [])]);
  if (plan.outbox) needed.add('outbox');
  if (aftermath) for (const output of aftermathDrivers(aftermath.outputs)) needed.add(output);
  const missing = [...needed].filter((o) => !deps.drivers[o]);
  if (missing.length > 0) throw new ResponderConfigError(missing.map((o) => `no driver for configured output "${o}"`));

  const random = deps.random ?? Math.random;
  const deliverer = (options: HandleOptions): Deliverer =>
    new Deliverer({
      ledger,
      drivers: deps.drivers,
      retry: settings.retry,
      fallbackAfterAttempts: settings.fallbackAfterAttempts,
      clock,
      random,
      ...(options.deadlineMs !== undefined ? { deadlineAt: clock.now() + options.deadlineMs } : {}),
      ...(deps.retryFailed ? { retryFailed: true } : {}),
    });
  /** Runs one aftermath step with a fresh deliverer; nothing to do without a registry. */
  const step = async (
    options: HandleOptions,
    work: (aftermath: Aftermath, runner: ActionRunner) => Promise<ActionOutcome[]>,
  ): Promise<DeliveryReport> => buildReport(aftermath ? await work(aftermath, deliverer(options)) : []);

  return {
    plan,
    ...(aftermath ? { aftermath } : {}),
    async handle(changes, options = {}) {
      const runner = deliverer(options);
      const groups = groupByIncident(changes);
      // Per incident, in the order of the changes: the report does not depend on which finished first.
      const outcomes = await concurrently(groups, concurrency, async (group) => {
        const out: ActionOutcome[] = [];
        for (const change of group) {
          out.push(...(await runner.runAll(planActions(change, plan))));
          if (change.kind === 'closed' && (change.incident.drill || plan.autoResolve)) {
            out.push(...(await resolveEscalations(change, ledger, runner)));
          }
          if (aftermath) out.push(...(await aftermath.onChange(change, runner)));
        }
        return out;
      });
      return buildReport(outcomes.flat());
    },
    async checkTickets(options = {}) {
      const { resolves, waiting } = await closedTicketResolves({
        ledger,
        drivers: deps.drivers,
        ticketers: plan.ticketers,
      });
      return buildReport([...waiting, ...(await deliverer(options).runAll(resolves))]);
    },
    rotationSeen: (events, options = {}) =>
      step(options, (a, runner) => a.observe(Array.isArray(events) ? events : [events as AuditEvent], runner)),
    runDue: (options = {}) => step(options, (a, runner) => a.runDue(runner, options.nowMs)),
    checkOverdue: (options = {}) =>
      step(options, (a, runner) => a.checkOverdue(runner, options.nowMs, options.logsEnd)),
    async unverifiedRotations({ nowMs = clock.now(), logsEnd }) {
      const ends = (watch: RotationWatch) => {
        const end = logsEndFor(logsEnd, watch);
        return end === undefined
          ? `the logs hold no ${watch.cloud} events`
          : `the logs end at ${new Date(end).toISOString()}`;
      };
      return (
        (await aftermath?.unverified(nowMs, logsEnd))?.map((w) => ({
          incidentId: w.incidentId,
          account: w.account,
          deadlineAt: w.deadlineAt,
          text: `rotation of ${w.account} (incident ${w.incidentId}), due by ${w.deadlineAt}: unverified: ${ends(w)}`,
        })) ?? []
      );
    },
    handleTrigger: (trigger, options = {}) => step(options, (a, runner) => a.onTrigger(trigger, runner)),
  };
}

/**
 * A session that resolves itself (a drill, or `autoResolve`) also resolves the alerts its escalations
 * opened; the plan resolves the incident's own page (waiting for it if it is not delivered yet).
 */
async function resolveEscalations(
  change: IncidentChange,
  ledger: DeliveryLedger,
  runner: Deliverer,
): Promise<ActionOutcome[]> {
  const open = openAlerts(await ledger.list(change.incident.id)).filter((a) => a.suffix !== undefined);
  return runner.runAll(
    resolveActions(change.incident.id, open, `${sessionEndedNote(change.incident)}; resolved by Glasswatch`),
  );
}

/** Changes of one incident, in arrival order (they build on each other). */
function groupByIncident(changes: readonly IncidentChange[]): IncidentChange[][] {
  const groups = new Map<string, IncidentChange[]>();
  for (const change of changes) groups.set(change.incident.id, [...(groups.get(change.incident.id) ?? []), change]);
  return [...groups.values()];
}
