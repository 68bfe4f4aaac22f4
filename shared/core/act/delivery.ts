import type { DeliveryLedger, DeliveryRecord } from '../ports/delivery-ledger.js';
import type { Action, OutputName, PageAction } from './actions.js';
import type { RetryConfig } from './config-schema.js';
import type { ActionOutcome, Clock, DeliveryContext, OutcomeStatus, OutputDriver, PageLink } from './driver.js';
import { LedgerView, type ViewedRecord } from './ledger-view.js';
import { excerpt } from './render/sanitize.js';
import { type AttemptResult, retryDelay } from './retry-policy.js';

/**
 * Runs actions against their outputs with the ledger as the source of truth: an action already
 * delivered is never sent again; one claimed by another worker is left alone; each attempt is
 * recorded before the next; a primary pager that keeps failing brings in the fallback pager.
 */

export interface DelivererOptions {
  ledger: DeliveryLedger;
  drivers: Partial<Record<OutputName, OutputDriver>>;
  retry: RetryConfig;
  fallbackAfterAttempts: number;
  clock: Clock;
  random: () => number;
  /** Epoch ms (by `clock`) after which no new attempt starts; the rest is reported pending. */
  deadlineAt?: number;
  /** Try again actions the ledger marks failed (after fixing configuration, on a re-drive). */
  retryFailed?: boolean;
}

/** One run over many actions. Keeps per-run memory: actions that used up their attempts are not retried again. */
export class Deliverer {
  private readonly exhausted = new Set<string>();
  private readonly fallbacksTried = new Set<string>();
  private readonly view: LedgerView;

  constructor(private readonly options: DelivererOptions) {
    this.view = new LedgerView(options.ledger);
  }

  /** Runs the actions of one change: outputs in parallel, each output's actions in order. */
  async runAll(actions: readonly Action[]): Promise<ActionOutcome[]> {
    const lanes = new Map<OutputName, Action[]>();
    for (const action of actions) lanes.set(action.output, [...(lanes.get(action.output) ?? []), action]);
    const results = await Promise.all(
      [...lanes.values()].map(async (lane) => {
        const outcomes: ActionOutcome[] = [];
        for (const action of lane) await this.run(action, outcomes);
        return outcomes;
      }),
    );
    return results.flat();
  }

  /** Runs one action (and its fallback when due), appending every outcome to `out`. */
  async run(action: Action, out: ActionOutcome[]): Promise<void> {
    const { view } = this;
    const report = (status: OutcomeStatus, fields: Partial<ActionOutcome> = {}) =>
      out.push(outcomeOf(action, status, fields));

    let own: ViewedRecord;
    let after: ViewedRecord = { fresh: true };
    let superseding: DeliveryRecord | undefined;
    try {
      own = await view.get(action.incidentId, action.key);
      if (action.after) after = await view.get(action.incidentId, action.after);
      if (action.supersededBy) superseding = (await view.get(action.incidentId, action.supersededBy)).record;
    } catch (error) {
      return void report('pending', { detail: `delivery ledger unavailable: ${describe(error)}` });
    }
    const { record } = own;
    const dependency = after.record;
    /** A write lost against a record the run had not read just now: read it and decide again. */
    const lost = (): Promise<void> | undefined => {
      if (own.fresh) return undefined;
      view.forget(action.incidentId, action.key);
      return this.run(action, out);
    };
    if (record?.status === 'delivered')
      return void report('delivered', { detail: 'already delivered', ...refOf(record) });
    if (record?.status === 'failed' && !this.options.retryFailed) {
      return void report('failed', { detail: record.lastError ?? 'failed earlier', ...statusOf(record) });
    }
    if (action.supersededBy && superseding?.status === 'delivered') {
      const written = await this.write(
        record,
        { status: 'delivered', version: action.version, ref: { supersededBy: action.supersededBy } },
        action,
      );
      if (!written) return lost() ?? void report('pending', { detail: `superseded by ${action.supersededBy}` });
      return void report('delivered', { detail: `superseded by ${action.supersededBy}` });
    }
    if (action.after) {
      if (dependency?.status !== 'delivered') {
        // Nothing is written on this path, so nothing verifies the view: decide on what the ledger says now.
        if (!own.fresh || !after.fresh) {
          view.forget(action.incidentId, action.key);
          view.forget(action.incidentId, action.after);
          return this.run(action, out);
        }
        if (
          'fallback' in action &&
          action.fallback &&
          (dependency?.attempts ?? 0) >= this.options.fallbackAfterAttempts
        ) {
          await this.runFallback(action.fallback, out);
        }
        const failed = dependency?.status === 'failed';
        return void report(failed ? 'failed' : 'pending', {
          detail: failed ? `${action.after} failed` : `waiting for ${action.after}`,
        });
      }
      if (action.coveredByAfter && (dependency.version ?? -1) >= action.version) {
        const written = await this.write(
          record,
          { status: 'delivered', version: action.version, ref: { coveredBy: action.after } },
          action,
        );
        if (!written) return lost() ?? void report('pending', { detail: `covered by ${action.after}` });
        return void report('delivered', { detail: `covered by ${action.after}` });
      }
    }
    if (this.exhausted.has(idOf(action)))
      return void report('pending', { detail: record?.lastError ?? 'gave up in this run' });
    const now = this.options.clock.now();
    if (record?.status === 'sending' && (record.leaseUntil ?? 0) > now) {
      return void report('pending', { detail: 'being sent by another worker' });
    }
    // An idempotent output needs no claim: the first attempt's write is the first write.
    if (this.options.drivers[action.output]?.idempotent) return this.attempts(action, record, dependency, out);
    const claimed = await this.write(record, { status: 'sending', leaseUntil: now + this.leaseMs() }, action);
    if (!claimed) return lost() ?? void report('pending', { detail: 'claimed by another worker' });
    await this.attempts(action, claimed, dependency, out);
  }

  /** Attempts from `claimed` (the claim, or for an idempotent output the record as it was). */
  private async attempts(
    action: Action,
    claimed: DeliveryRecord | undefined,
    dependency: DeliveryRecord | undefined,
    out: ActionOutcome[],
  ): Promise<void> {
    const { retry, clock, random, deadlineAt } = this.options;
    const driver = this.options.drivers[action.output];
    let record = claimed;
    let made = 0;
    let last: Extract<AttemptResult, { ok: false }> | undefined;
    const outcome = (status: OutcomeStatus, fields: Partial<ActionOutcome>): void => {
      out.push(outcomeOf(action, status, { attempts: made, ...fields }));
    };

    for (let attempt = 0; attempt < retry.maxAttempts; attempt++) {
      if (deadlineAt !== undefined && clock.now() >= deadlineAt) break;
      const links = await this.links(action);
      const result: AttemptResult = driver
        ? await safeDeliver(driver, action, {
            ...(dependency ? { dependency } : {}),
            ...(links.length > 0 ? { links } : {}),
            previousAttempts: record?.attempts ?? 0,
          })
        : { ok: false, retryable: false, error: `no driver for output ${action.output}` };
      made++;
      if (result.ok) {
        const done = await this.write(
          record,
          {
            status: 'delivered',
            attempts: (record?.attempts ?? 0) + 1,
            version: action.version,
            ...(result.ref ? { ref: result.ref } : {}),
            leaseUntil: undefined,
            lastError: undefined,
          },
          action,
        );
        return outcome(done ? 'delivered' : 'pending', {
          sent: done !== undefined,
          ...(result.ref ? { ref: result.ref } : {}),
          ...(done ? {} : { detail: 'delivered, but the ledger write lost a race' }),
        });
      }
      last = result;
      const written = await this.write(
        record,
        {
          status: result.retryable ? 'sending' : 'failed',
          attempts: (record?.attempts ?? 0) + 1,
          leaseUntil: result.retryable ? clock.now() + this.leaseMs() : undefined,
          lastError: result.error,
          ...(result.status !== undefined ? { lastStatus: result.status } : {}),
        },
        action,
      );
      if (!written) return outcome('pending', { detail: 'claim lost to another worker', ...statusFields(result) });
      record = written;
      if (
        'fallback' in action &&
        action.fallback &&
        (!result.retryable || record.attempts >= this.options.fallbackAfterAttempts)
      ) {
        await this.runFallback(action.fallback, out);
      }
      if (!result.retryable) return outcome('failed', { detail: result.error, ...statusFields(result) });
      if (attempt === retry.maxAttempts - 1) break;
      const delay = retryDelay(attempt, result.retryAfterMs, retry, random);
      if (deadlineAt !== undefined && clock.now() + delay >= deadlineAt) break;
      await clock.sleep(delay);
    }
    this.exhausted.add(idOf(action));
    await this.write(record, { status: 'pending', leaseUntil: undefined }, action);
    outcome('pending', {
      detail: last?.error ?? 'deadline reached before the first attempt',
      ...(last ? statusFields(last) : {}),
    });
  }

  /** The ticket URLs a page carries, from the ledger: tickets not yet opened are simply absent. */
  private async links(action: Action): Promise<PageLink[]> {
    const links: PageLink[] = [];
    for (const key of action.links ?? []) {
      const { record } = await this.view.get(action.incidentId, key).catch((): ViewedRecord => ({ fresh: true }));
      const href = record?.status === 'delivered' ? record.ref?.url : undefined;
      if (href) links.push({ href, text: `Ticket ${record?.ref?.issueKey ?? record?.ref?.number ?? ''}`.trim() });
    }
    return links;
  }

  /** The fallback pager runs at most once per run per action; the ledger keeps it from paging twice ever. */
  private async runFallback(fallback: PageAction, out: ActionOutcome[]): Promise<void> {
    const id = idOf(fallback);
    if (this.fallbacksTried.has(id)) return;
    this.fallbacksTried.add(id);
    await this.run(fallback, out);
  }

  /** A claim outlives every attempt of this run, so no other worker starts while we wait to retry. */
  private leaseMs(): number {
    const { timeoutMs, maxDelayMs, maxRetryAfterMs } = this.options.retry;
    return timeoutMs + Math.max(maxDelayMs, maxRetryAfterMs) + 5_000;
  }

  /** Compare-and-set on the current revision; undefined when another writer moved the record first. */
  private async write(
    current: DeliveryRecord | undefined,
    changes: Partial<DeliveryRecord>,
    action: Action,
  ): Promise<DeliveryRecord | undefined> {
    const next: DeliveryRecord = {
      incidentId: action.incidentId,
      actionKey: action.key,
      status: 'pending',
      attempts: 0,
      ...current,
      ...changes,
      updatedAt: new Date(this.options.clock.now()).toISOString(),
      revision: (current?.revision ?? 0) + 1,
    };
    for (const key of Object.keys(next) as (keyof DeliveryRecord)[]) if (next[key] === undefined) delete next[key];
    try {
      return (await this.view.compareAndSet(next, current?.revision)) ? next : undefined;
    } catch {
      return undefined;
    }
  }
}

function outcomeOf(action: Action, status: OutcomeStatus, fields: Partial<ActionOutcome>): ActionOutcome {
  const { incidentId, key, output, kind } = action;
  return { incidentId, key, output, kind, status, sent: false, attempts: 0, ...fields };
}

/** A driver that throws has a bug or a missing credential: not something waiting will fix. */
async function safeDeliver(driver: OutputDriver, action: Action, context: DeliveryContext): Promise<AttemptResult> {
  try {
    return await driver.deliver(action, context);
  } catch (error) {
    return { ok: false, retryable: false, error: `${action.output}: ${describe(error)}` };
  }
}

function describe(error: unknown): string {
  return excerpt(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
}

function idOf(action: Action): string {
  return `${action.incidentId}\u0000${action.key}`;
}

function refOf(record: DeliveryRecord): Partial<ActionOutcome> {
  return record.ref ? { ref: record.ref } : {};
}

function statusOf(record: DeliveryRecord): Partial<ActionOutcome> {
  return record.lastStatus !== undefined ? { httpStatus: record.lastStatus } : {};
}

function statusFields(result: Extract<AttemptResult, { ok: false }>): Partial<ActionOutcome> {
  return result.status !== undefined ? { httpStatus: result.status } : {};
}
