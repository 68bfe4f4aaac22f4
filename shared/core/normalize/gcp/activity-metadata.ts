import type { FieldReader, JsonObject } from '../fields.js';

/**
 * Google Workspace records forwarded to Cloud Logging (Login audit, Admin audit) keep their Reports API
 * content in `protoPayload.metadata` (`@type` ccc_hosted_reporting.ActivityProto):
 * `event[] {eventName, eventType, parameter[] {name, value | multiStrValue | boolValue | intValue}}`.
 * See https://cloud.google.com/logging/docs/audit/gsuite-login-samples.
 */

/** One `metadata.event[]` entry with its parameters by name. */
export interface ActivityEvent {
  name: string | undefined;
  /** Parameter name → its values as strings (a single `value` becomes a one-element list). */
  params: Map<string, string[]>;
}

/** Reports API events carry a handful of parameters; more is a hostile or broken record. */
const MAX_EVENTS = 20;
const MAX_PARAMETERS = 100;
const MAX_VALUES = 50;

/** The scalar spellings of a parameter value, in the order the proto defines them. */
const SCALAR_KEYS = ['value', 'boolValue', 'intValue'] as const;
const LIST_KEYS = ['multiStrValue', 'multiValue', 'multiIntValue'] as const;

/** Workspace services whose metadata is an ActivityProto even when a re-export drops its `@type`. */
const WORKSPACE_SERVICES: ReadonlySet<string> = new Set(['login.googleapis.com', 'admin.googleapis.com']);

/**
 * Reads `protoPayload.metadata.event[]` of a Workspace record. Other services put their own content in
 * `metadata` (BigQuery, GKE…), which is not read here; absent metadata is an empty list. A wrong type
 * inside an ActivityProto is a NormalizeError naming the exact element.
 */
export function readActivityEvents(
  metadata: JsonObject | undefined,
  serviceName: string,
  reader: FieldReader,
): ActivityEvent[] {
  if (metadata === undefined || !(isActivityProto(metadata) || WORKSPACE_SERVICES.has(serviceName))) return [];
  const base = 'protoPayload.metadata.event';
  const events = reader.optArray(metadata, 'event', base) ?? [];
  return events.slice(0, MAX_EVENTS).map((entry, i) => {
    const path = `${base}[${i}]`;
    const event = element(entry, reader, path);
    return {
      name: reader.optString(event, 'eventName', `${path}.eventName`),
      params: readParameters(event, reader, path),
    };
  });
}

/**
 * The Admin SDK Reports API spelling of the same content: an activity's `events[] {type, name,
 * parameters[] {name, value | multiValue | boolValue | intValue | multiIntValue}}`.
 * https://developers.google.com/admin-sdk/reports/reference/rest/v1/activities
 */
export function readReportsEvents(activity: JsonObject, reader: FieldReader): ActivityEvent[] {
  const events = reader.optArray(activity, 'events') ?? [];
  return events.slice(0, MAX_EVENTS).map((entry, i) => {
    const path = `events[${i}]`;
    const event = element(entry, reader, path);
    return {
      name: reader.optString(event, 'name', `${path}.name`),
      params: readParameters(event, reader, path, 'parameters'),
    };
  });
}

function readParameters(
  event: JsonObject,
  reader: FieldReader,
  path: string,
  key = 'parameter',
): Map<string, string[]> {
  const params = new Map<string, string[]>();
  const list = reader.optArray(event, key, `${path}.${key}`) ?? [];
  list.slice(0, MAX_PARAMETERS).forEach((raw, j) => {
    const at = `${path}.${key}[${j}]`;
    const param = element(raw, reader, at);
    const name = reader.string(param, 'name', `${at}.name`);
    params.set(name, readValues(param, reader, at));
  });
  return params;
}

function readValues(param: JsonObject, reader: FieldReader, at: string): string[] {
  for (const key of LIST_KEYS) {
    const values = reader.optArray(param, key, `${at}.${key}`);
    if (values !== undefined) {
      return values
        .slice(0, MAX_VALUES)
        .map((v, k) => reader.optString({ v }, 'v', `${at}.${key}[${k}]`))
        .filter((v): v is string => v !== undefined);
    }
  }
  for (const key of SCALAR_KEYS) {
    const value = reader.optString(param, key, `${at}.${key}`);
    if (value !== undefined) return [value];
  }
  return [];
}

/** `@type` (Panther: `at_sign_type`) "type.googleapis.com/ccc_hosted_reporting.ActivityProto". */
function isActivityProto(metadata: JsonObject): boolean {
  const type = Object.hasOwn(metadata, '@type') ? metadata['@type'] : metadata.at_sign_type;
  return typeof type === 'string' && type.endsWith('.ActivityProto');
}

/** An array element that must be an object; `path` names it (`…parameter[2]`). */
function element(value: unknown, reader: FieldReader, path: string): JsonObject {
  return reader.optObject({ value }, 'value', path) ?? reader.fail(path, 'expected an object, got null');
}

/** The first value of a parameter in any of the events, e.g. `USER_EMAIL` or `affected_email_address`. */
export function firstParam(events: readonly ActivityEvent[], name: string): string | undefined {
  for (const event of events) {
    const value = event.params.get(name)?.[0];
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Every value of a multi-valued parameter across the events, first occurrence order, no duplicates. */
export function allParams(events: readonly ActivityEvent[], name: string): string[] {
  const out: string[] = [];
  for (const event of events) {
    for (const value of event.params.get(name) ?? []) if (!out.includes(value)) out.push(value);
  }
  return out;
}
