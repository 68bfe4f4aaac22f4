import type { EventOrigin } from '../model/audit-event.js';
import { describeOrigin } from '../normalize/errors.js';
import { cap } from '../normalize/fields.js';

/**
 * A rule threw while evaluating one event. The engine catches it so the other rules still run; the
 * caller must count and report it (a swallowed rule error is a lost alert).
 *
 * @example
 * const { findings, errors } = detect(event, matcher);
 * for (const error of errors) logger.error(error.message, { ruleId: error.ruleId, eventId: error.eventId });
 */
export class RuleError extends Error {
  override readonly name = 'RuleError';
  constructor(
    readonly ruleId: string,
    readonly eventId: string,
    readonly origin: EventOrigin,
    options?: ErrorOptions,
  ) {
    super(
      `${describeOrigin(origin)}: rule ${ruleId} failed on event ${cap(eventId, 200)}: ${causeText(options?.cause)}`,
      options,
    );
  }
}

/** A rule list that cannot be run as given (duplicate ids): a programming error, reported on first use. */
export class RuleSetError extends Error {
  override readonly name = 'RuleSetError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid rule set:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

function causeText(cause: unknown): string {
  if (cause instanceof Error) return cap(`${cause.name}: ${cause.message}`, 500);
  return cap(String(cause), 500);
}
