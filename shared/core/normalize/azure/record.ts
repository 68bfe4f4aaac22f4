import { NormalizeError } from '../errors.js';
import { cap, type FieldReader, isObject, type JsonObject, parseTime, startsWithIsoDate } from '../fields.js';
import type { AzureTable } from './tables.js';

/**
 * One Azure record read through any of its spellings. Log Analytics rows have PascalCase columns
 * (`UserPrincipalName`, `Status`); diagnostic records (Event Hub, storage) have a camelCase top level
 * and the rest under `properties` (`properties.userPrincipalName`, `properties.status`); the Activity
 * Log as the REST API and `az monitor activity-log list` return it (EventData) has camelCase fields
 * with `{value, localizedValue}` objects (`operationName.value`, `status.value`). The per-table
 * mappings (sign-in.ts, audit.ts, activity.ts) name each field once per spelling as a {@link Column};
 * this class does the reading and names the right path in errors.
 */

export type Spelling = 'log-analytics' | 'diagnostic' | 'rest';

/** Where a field lives in each spelling. Several names: the first present one wins. */
export interface Column {
  readonly la?: string | readonly string[];
  /** Dotted path from the record root: `properties.status`. */
  readonly diag?: string | readonly string[];
  /** Dotted path in the REST spelling: Activity Log EventData (`operationName.value`), Graph directoryAudit (`activityDisplayName`). */
  readonly rest?: string | readonly string[];
}

interface Picked {
  value: unknown;
  path: string;
}

export class AzureRecord {
  constructor(
    readonly reader: FieldReader,
    readonly root: JsonObject,
    readonly spelling: Spelling,
    readonly table: AzureTable,
  ) {}

  /** The name an error about a missing field should use: the first candidate in this spelling. */
  path(column: Column): string {
    return this.candidates(column)[0] ?? '(not in this spelling)';
  }

  /** The value as written, unchecked: for best-effort reads that must not reject the record. */
  optRaw(column: Column): unknown {
    return this.pick(column)?.value;
  }

  optString(column: Column): string | undefined {
    const picked = this.pick(column);
    return picked && this.reader.optString({ value: picked.value }, 'value', picked.path);
  }

  string(column: Column): string {
    return this.optString(column) ?? this.reader.fail(this.path(column), 'missing');
  }

  /** An object, or JSON text of one: Log Analytics `dynamic` columns arrive either way. */
  optObject(column: Column): JsonObject | undefined {
    const picked = this.pick(column);
    return picked && dynamicObject(this.reader, picked.value, picked.path);
  }

  optArray(column: Column): unknown[] | undefined {
    const picked = this.pick(column);
    if (picked === undefined) return undefined;
    const value = parseDynamic(this.reader, picked.value, picked.path);
    return this.reader.optArray({ value }, 'value', picked.path);
  }

  optTime(column: Column): { iso: string; ms: number } | undefined {
    const picked = this.pick(column);
    if (picked === undefined) return undefined;
    return readTime(this.reader, picked.value, picked.path);
  }

  private candidates(column: Column): readonly string[] {
    const names =
      this.spelling === 'log-analytics' ? column.la : this.spelling === 'diagnostic' ? column.diag : column.rest;
    if (names === undefined) return [];
    return typeof names === 'string' ? [names] : names;
  }

  /** The first candidate whose value is present (not absent, null or ""), with its path. */
  private pick(column: Column): Picked | undefined {
    for (const path of this.candidates(column)) {
      const value = this.walk(path);
      if (value !== undefined && value !== null && value !== '') return { value, path };
    }
    return undefined;
  }

  /** Own properties only, so `__proto__` or `constructor` in a record reads as absent. */
  private walk(path: string): unknown {
    const keys = path.split('.');
    let current: unknown = this.root;
    let walked = '';
    for (const key of keys) {
      if (walked !== '') current = dynamicObject(this.reader, current, walked);
      if (current === undefined || !Object.hasOwn(current as JsonObject, key)) return undefined;
      current = (current as JsonObject)[key];
      walked = walked === '' ? key : `${walked}.${key}`;
    }
    return current;
  }
}

/**
 * JSON text → its value; anything else unchanged; "" or whitespace → undefined. Bad JSON in a dynamic
 * column is a NormalizeError naming the column.
 */
export function parseDynamic(reader: FieldReader, value: unknown, path: string): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (text === '') return undefined;
  if (text[0] !== '{' && text[0] !== '[') return value;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new NormalizeError(reader.format, reader.origin, path, 'not valid JSON text', { cause: error });
  }
}

/** An object (or JSON text of one) at `path`; absent, null and "" are undefined. */
export function dynamicObject(reader: FieldReader, value: unknown, path: string): JsonObject | undefined {
  const parsed = parseDynamic(reader, value, path);
  if (parsed === undefined || parsed === null || isObject(parsed)) return parsed ?? undefined;
  return reader.optObject({ value: parsed }, 'value', path);
}

/** ISO 8601 (any fraction length) or "2024-12-16 16:32:16.087554000"; anything else names the path. */
export function readTime(reader: FieldReader, value: unknown, path: string): { iso: string; ms: number } {
  const text = reader.optString({ value }, 'value', path) ?? reader.fail(path, 'missing');
  const ms = startsWithIsoDate(text) ? parseTime(text) : undefined;
  if (ms === undefined) reader.fail(path, `not a timestamp: ${JSON.stringify(cap(text, 64))}`);
  return { iso: new Date(ms).toISOString(), ms };
}
