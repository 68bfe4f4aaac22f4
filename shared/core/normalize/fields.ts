import type { EventOrigin } from '../model/audit-event.js';
import { NormalizeError } from './errors.js';

/**
 * Typed, bounded reads of untrusted JSON. Logs are hostile input: every string is capped so one
 * record cannot blow up a page, a ticket or memory, and a wrong type is an error naming the field.
 */

/** Longest string kept from a log field (user agents, resource names, error messages). */
export const MAX_FIELD_LENGTH = 2048;

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function cap(value: string, max = MAX_FIELD_LENGTH): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

/** Reads fields of one record and reports problems against its format and origin. */
export class FieldReader {
  constructor(
    readonly format: string,
    readonly origin: EventOrigin,
  ) {}

  fail(field: string, reason: string): never {
    throw new NormalizeError(this.format, this.origin, field, reason);
  }

  /** The record itself must be an object. */
  root(value: unknown): JsonObject {
    if (!isObject(value)) this.fail('(record)', `expected a JSON object, got ${describeType(value)}`);
    return value;
  }

  /** A string, capped; undefined when absent, null or empty. */
  optString(obj: JsonObject | undefined, key: string, path = key): string | undefined {
    const v = obj?.[key];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v === 'string') return cap(v);
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return this.fail(path, `expected a string, got ${describeType(v)}`);
  }

  string(obj: JsonObject | undefined, key: string, path = key): string {
    return this.optString(obj, key, path) ?? this.fail(path, 'missing');
  }

  optObject(obj: JsonObject | undefined, key: string, path = key): JsonObject | undefined {
    const v = obj?.[key];
    if (v === undefined || v === null) return undefined;
    if (!isObject(v)) this.fail(path, `expected an object, got ${describeType(v)}`);
    return v;
  }

  object(obj: JsonObject | undefined, key: string, path = key): JsonObject {
    return this.optObject(obj, key, path) ?? this.fail(path, 'missing');
  }

  optArray(obj: JsonObject | undefined, key: string, path = key): unknown[] | undefined {
    const v = obj?.[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) this.fail(path, `expected an array, got ${describeType(v)}`);
    return v;
  }

  /** An ISO 8601 time (or the space-separated variant some exporters write); returns ISO and epoch ms. */
  time(obj: JsonObject | undefined, key: string, path = key): { iso: string; ms: number } {
    const raw = this.string(obj, key, path);
    const ms = parseTime(raw);
    if (ms === undefined) this.fail(path, `not a timestamp: ${JSON.stringify(cap(raw, 64))}`);
    return { iso: new Date(ms).toISOString(), ms };
  }
}

/** Accepts ISO 8601 with any fraction length, and "2022-12-11 02:57:48.693000000" (UTC assumed). */
export function parseTime(raw: string): number | undefined {
  let text = raw.trim();
  if (/^\d{4}-\d\d-\d\d \d/.test(text)) text = text.replace(' ', 'T');
  // Date.parse accepts at most millisecond precision: trim nanoseconds.
  text = text.replace(/(\.\d{3})\d+/, '$1');
  if (/^\d{4}-\d\d-\d\dT[\d:.]+$/.test(text)) text += 'Z';
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(cap(String(v), 40))}`;
}
