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

/**
 * An object, or JSON text of one (ARM writes request and response bodies as text, sometimes cut short):
 * anything unreadable is undefined, for best-effort reads that must not reject the record.
 */
export function objectOrJson(value: unknown): JsonObject | undefined {
  if (isObject(value)) return value;
  if (typeof value !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
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
    return readTimestamp(raw) ?? this.fail(path, `not a timestamp: ${JSON.stringify(cap(raw, 64))}`);
  }
}

/**
 * True when `text` starts with an ISO 8601 calendar date `YYYY-MM-DD`: what tells a timestamp from "7" or
 * "redacted", which `Date.parse` might still accept. A character check: it runs once per record.
 */
export function startsWithIsoDate(text: string): boolean {
  return (
    text.length >= 10 &&
    isDigits(text, 0, 4) &&
    text.charCodeAt(4) === DASH &&
    isDigits(text, 5, 2) &&
    text.charCodeAt(7) === DASH &&
    isDigits(text, 8, 2)
  );
}

/** Accepts ISO 8601 with any fraction length, and "2022-12-11 02:57:48.693000000" (UTC assumed). */
export function parseTime(raw: string): number | undefined {
  return readTimestamp(raw)?.ms;
}

/**
 * The one time parser: epoch ms and the canonical ISO string (`toISOString`), or undefined. CloudTrail,
 * Cloud Audit Logs and Entra write `YYYY-MM-DDTHH:MM:SS[.fraction]Z`: that shape is read digit by digit
 * (about 10× cheaper than the regular expressions and `Date.parse` below, which every record paid);
 * anything else — offsets, a space for `T`, no zone, a value out of range — takes the general path.
 */
function readTimestamp(raw: string): { iso: string; ms: number } | undefined {
  const fast = readUtcTimestamp(raw);
  if (fast !== undefined) return fast;
  let text = raw.trim();
  if (/^\d{4}-\d\d-\d\d \d/.test(text)) text = text.replace(' ', 'T');
  // Date.parse accepts at most millisecond precision: trim nanoseconds.
  text = text.replace(/(\.\d{3})\d+/, '$1');
  if (/^\d{4}-\d\d-\d\dT[\d:.]+$/.test(text)) text += 'Z';
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : { iso: new Date(ms).toISOString(), ms };
}

const DASH = 0x2d;
const COLON = 0x3a;
const DOT = 0x2e;
const ZERO = 0x30;
const CUMULATIVE_DAYS = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

/** `YYYY-MM-DDTHH:MM:SS[.f+]Z` with every field in range, else undefined (the caller's general path decides). */
function readUtcTimestamp(text: string): { iso: string; ms: number } | undefined {
  const n = text.length;
  if (n < 20 || text.charCodeAt(n - 1) !== 0x5a /* Z */ || !startsWithIsoDate(text)) return undefined;
  if (text.charCodeAt(10) !== 0x54 /* T */ || text.charCodeAt(13) !== COLON || text.charCodeAt(16) !== COLON) {
    return undefined;
  }
  if (!isDigits(text, 11, 2) || !isDigits(text, 14, 2) || !isDigits(text, 17, 2)) return undefined;
  let millis = 0;
  let fraction = '000';
  if (n > 20) {
    // A fraction of 1 or more digits: the first three are milliseconds (Date.parse truncates the rest).
    if (text.charCodeAt(19) !== DOT || n < 22 || !isDigits(text, 20, n - 21)) return undefined;
    fraction = text.slice(20, Math.min(23, n - 1)).padEnd(3, '0');
    millis = number(fraction, 0, 3);
  }
  const year = number(text, 0, 4);
  const month = number(text, 5, 2);
  const day = number(text, 8, 2);
  const hour = number(text, 11, 2);
  const minute = number(text, 14, 2);
  const second = number(text, 17, 2);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays =
    month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  if (month < 1 || month > 12 || day < 1 || day > monthDays || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  const days = daysBeforeYear(year) + (CUMULATIVE_DAYS[month - 1] as number) + (leap && month > 2 ? 1 : 0) + day - 1;
  const ms = ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis;
  return { iso: `${text.slice(0, 19)}.${fraction}Z`, ms };
}

/** Days from 1970-01-01 to January 1st of `year` (proleptic Gregorian, as Date uses). */
function daysBeforeYear(year: number): number {
  const y = year - 1;
  return 365 * (year - 1970) + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400) - 477;
}

function isDigits(text: string, from: number, count: number): boolean {
  for (let i = from; i < from + count; i++) {
    const c = text.charCodeAt(i) - ZERO;
    if (c < 0 || c > 9) return false;
  }
  return true;
}

function number(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) value = value * 10 + (text.charCodeAt(i) - ZERO);
  return value;
}

function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(cap(String(v), 40))}`;
}
