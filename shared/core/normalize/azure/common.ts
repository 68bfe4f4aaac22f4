import type { AuditEvent, Outcome } from '../../model/audit-event.js';
import { cap } from '../fields.js';
import type { AzureRecord, Column } from './record.js';

/** Helpers the three Azure record kinds share. */

/** Entra object ids and ARM principal ids, with or without dashes (Activity `evidence.principalId` has none). */
const GUID = /^([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})$/i;

/** "9b117c67170e4aed9702658b3fddc889" → "9b117c67-170e-4aed-9702-658b3fddc889"; non-GUIDs → undefined. */
export function asGuid(value: string | undefined): string | undefined {
  const m = value === undefined ? null : GUID.exec(value);
  return m === null ? undefined : `${m[1]}-${m[2]}-${m[3]}-${m[4]}-${m[5]}`.toLowerCase();
}

/**
 * The event time and, when the record also has one, the later time Azure generated/ingested it.
 * `eventTime` columns come first (CreatedDateTime, ActivityDateTime); `generated` (TimeGenerated,
 * Event Hub `time`) is the fallback and otherwise becomes `receivedTime`.
 */
export function eventTimes(
  record: AzureRecord,
  eventTime: Column | undefined,
  generated: Column,
): { time: { iso: string; ms: number }; received?: string } | undefined {
  const own = eventTime === undefined ? undefined : record.optTime(eventTime);
  const gen = record.optTime(generated);
  if (own !== undefined)
    return gen !== undefined && gen.ms !== own.ms ? { time: own, received: gen.iso } : { time: own };
  return gen === undefined ? undefined : { time: gen };
}

/** Applies the optional fields only when present, so events carry no `key: undefined` noise. */
export function withOptional(event: AuditEvent, optional: Partial<AuditEvent>): AuditEvent {
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) (event as unknown as Record<string, unknown>)[key] = value;
  }
  return event;
}

/** The same object without its `undefined` properties (`{ upn, objectId }` where either may be absent). */
export function compact<T extends object>(value: T): T {
  const out = { ...value };
  for (const key of Object.keys(out) as (keyof T)[]) if (out[key] === undefined) delete out[key];
  return out;
}

/** "code: text", capped; either part may be missing. */
export function reason(code: string | undefined, text: string | undefined): string | undefined {
  if (code === undefined) return text === undefined ? undefined : cap(text);
  return cap(text === undefined ? code : `${code}: ${text}`);
}

/** Azure status words, case-insensitively. Only a finished operation is a success or a failure. */
const STATUS_OUTCOME: ReadonlyMap<string, Outcome> = new Map([
  ['success', 'success'],
  ['succeeded', 'success'],
  ['failure', 'failure'],
  ['failed', 'failure'],
  ['timeout', 'failure'],
]);

export function statusOutcome(status: string | undefined): Outcome {
  return (status && STATUS_OUTCOME.get(status.toLowerCase())) || 'unknown';
}

/**
 * How an Entra user is named in incidents and pages: the UPN a responder can look up (or the object id
 * when the record has none), with the display name beside it: "adelev@contoso.com (Adele Vance)".
 */
export function entraUserDisplay(
  upn: string | undefined,
  objectId: string | undefined,
  displayName: string | undefined,
): string | undefined {
  const id = upn ?? objectId;
  if (id === undefined) return displayName;
  return displayName && displayName.toLowerCase() !== id.toLowerCase() ? `${id} (${displayName})` : id;
}

/** The subscription id an ARM resource id starts with (`/subscriptions/{id}/…`), if it does. */
export function subscriptionOf(resourceId: string | undefined): string | undefined {
  return /^\/subscriptions\/([^/]+)/i.exec(resourceId ?? '')?.[1];
}
