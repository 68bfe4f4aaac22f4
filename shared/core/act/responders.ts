import type { IncidentChange } from '../model/incident.js';
import type { DeliveryLedger } from '../ports/delivery-ledger.js';
import { InMemoryDeliveryLedger } from '../ports/in-memory-delivery-ledger.js';
import type { OutputName } from './actions.js';
import { type RespondersConfig, respondersSchema } from './config-schema.js';
import { Deliverer } from './delivery.js';
import { type ActionOutcome, type Clock, type OutputDriver, systemClock } from './driver.js';
import { ResponderConfigError } from './errors.js';
import { type Plan, planActions, planFor } from './plan.js';
import type { RuleInfo } from './render/ticket.js';
import { buildReport, type DeliveryReport } from './report.js';

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
}

export interface HandleOptions {
  /** Stop starting new attempts after this long (Lambda: remaining time minus a margin). */
  deadlineMs?: number;
}

export interface Responders {
  readonly plan: Plan;
  /** Acts on incident changes; resolves when every action is delivered, failed, or out of attempts. */
  handle(changes: readonly IncidentChange[], options?: HandleOptions): Promise<DeliveryReport>;
}

/**
 * The act stage's entry: pages, tickets and notifications for incident changes, idempotent per
 * incident and per output.
 *
 * @example
 * const responders = createResponders(registry.responders, { drivers: createDrivers(registry.responders, env), rules: RULES });
 * const report = await responders.handle(changes);
 * if (!report.complete) process.exitCode = 1;
 */
export function createResponders(config: RespondersConfig | undefined, deps: ResponderDeps): Responders {
  const settings = config ?? respondersSchema.parse({});
  const plan = planFor(config, deps.rules ? { rules: deps.rules } : {});
  const needed = new Set<OutputName>([...plan.pagers, ...plan.ticketers, ...(plan.fallback ? [plan.fallback] : [])]);
  if (plan.outbox) needed.add('outbox');
  const missing = [...needed].filter((o) => !deps.drivers[o]);
  if (missing.length > 0) throw new ResponderConfigError(missing.map((o) => `no driver for configured output "${o}"`));

  const ledger = deps.ledger ?? new InMemoryDeliveryLedger();
  const clock = deps.clock ?? systemClock;
  const random = deps.random ?? Math.random;
  const concurrency = Math.max(1, deps.concurrency ?? 4);

  return {
    plan,
    async handle(changes, options = {}) {
      const deliverer = new Deliverer({
        ledger,
        drivers: deps.drivers,
        retry: settings.retry,
        fallbackAfterAttempts: settings.fallbackAfterAttempts,
        clock,
        random,
        ...(options.deadlineMs !== undefined ? { deadlineAt: clock.now() + options.deadlineMs } : {}),
        ...(deps.retryFailed ? { retryFailed: true } : {}),
      });
      const groups = groupByIncident(changes);
      const outcomes: ActionOutcome[][] = [];
      await pool(groups, concurrency, async (group) => {
        for (const change of group) outcomes.push(await deliverer.runAll(planActions(change, plan)));
      });
      return buildReport(outcomes.flat());
    },
  };
}

/** Changes of one incident, in arrival order (they build on each other). */
function groupByIncident(changes: readonly IncidentChange[]): IncidentChange[][] {
  const groups = new Map<string, IncidentChange[]>();
  for (const change of changes) groups.set(change.incident.id, [...(groups.get(change.incident.id) ?? []), change]);
  return [...groups.values()];
}

async function pool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(workers);
}
