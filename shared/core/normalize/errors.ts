import type { EventOrigin } from '../model/audit-event.js';

/** "file.json:12" or "s3://b/k#Records[3]" — where a record came from, for every message. */
export function describeOrigin(origin: EventOrigin): string {
  let where = origin.location;
  if (origin.line !== undefined) where += `:${origin.line}`;
  if (origin.index !== undefined) where += `#${origin.index}`;
  return where;
}

/** A record whose fields cannot be trusted. Names the format, where it came from and the field. */
export class NormalizeError extends Error {
  override readonly name = 'NormalizeError';
  constructor(
    readonly format: string,
    readonly origin: EventOrigin,
    readonly field: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`${describeOrigin(origin)}: ${format} record, field ${field}: ${reason}`, options);
  }
}

/** A JSON document that no envelope recognises, or a broken wrapper (bad base64, missing Records). */
export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';
  constructor(
    readonly origin: EventOrigin,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`${describeOrigin(origin)}: ${reason}`, options);
  }
}
