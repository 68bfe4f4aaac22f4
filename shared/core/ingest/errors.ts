import type { EventOrigin } from '../model/audit-event.js';
import { describeOrigin } from '../normalize/errors.js';

/** A line or element that is not JSON at all. */
export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
  constructor(
    readonly origin: EventOrigin,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`${describeOrigin(origin)}: not valid JSON: ${reason}`, options);
  }
}

/** A file or object that could not be read at all (missing, permission, corrupt gzip). */
export class SourceReadError extends Error {
  override readonly name = 'SourceReadError';
  constructor(
    readonly location: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`${location}: cannot read: ${reason}`, options);
  }
}
