import type { AuditEvent } from '../../model/audit-event.js';
import { isObject, type JsonObject } from '../../normalize/fields.js';
import type { Pipeline } from '../../registry/pipeline.js';

/**
 * Reading untrusted record fields for the tamper checks. Every reader walks own properties only (never
 * `__proto__` or an inherited key) and answers `undefined` for anything missing or of the wrong type,
 * so a check can tell "the record does not say" from a value.
 */

/**
 * A check's answer: `true` the call cuts or weakens the path, `false` it provably does not, `'unknown'`
 * the record does not say (no request parameters or body, no resource name): it fires, and the finding
 * says that what changed is unknown. Never a guess either way.
 */
export type Verdict = boolean | 'unknown';
export const UNKNOWN = 'unknown' as const;

/** A check: does this call cut (or weaken) a delivery path of the pipeline the registry names? */
export type TamperCheck = (event: AuditEvent, pipeline: Pipeline | undefined) => Verdict;

/** Both must hold: false when either is false, unknown when either is unknown. */
export function both(a: Verdict, b: Verdict): Verdict {
  if (a === false || b === false) return false;
  return a === UNKNOWN || b === UNKNOWN ? UNKNOWN : true;
}

export function path(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (!isObject(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function obj(value: unknown): JsonObject | undefined {
  return isObject(value) ? value : undefined;
}

export { objectOrJson as objOrJson } from '../../normalize/fields.js';

/** Case-insensitive own-key lookup: ARM bodies and Log Analytics columns come in either casing. */
export function anyCase(value: unknown, key: string): unknown {
  if (!isObject(value)) return undefined;
  if (Object.hasOwn(value, key)) return value[key];
  const lower = key.toLowerCase();
  const found = Object.keys(value).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : value[found];
}

export { sameText } from '../../text.js';
