import type { AuditEvent, EventOrigin } from '../../model/audit-event.js';
import { cap, FieldReader, type JsonObject, startsWithIsoDate } from '../fields.js';
import type { Normalizer, RecordFormat } from '../types.js';
import { firstParam, readActivityEvents } from './activity-metadata.js';
import { interpretAuditCall } from './audit-call.js';
import { type EntryParts, type Interpreter, interpretedEvent } from './interpretation.js';
import { isServiceAgent, readActor } from './principal.js';
import { interpretWorkspaceLogin } from './workspace-login.js';

/**
 * The Cloud Audit Log normalizer: one `LogEntry` whose `protoPayload` is an `AuditLog` → {@link AuditEvent}.
 * https://cloud.google.com/logging/docs/reference/v2/rest/v2/LogEntry
 */

export const GCP_LOG_ENTRY_FORMAT: RecordFormat = 'gcp.log-entry';

/** Services whose records need their own reading; every other service is an ordinary API call. */
const INTERPRETERS: ReadonlyMap<string, Interpreter> = new Map([['login.googleapis.com', interpretWorkspaceLogin]]);

/** `logName` parents: "projects/p/logs/…" → "p"; organizations, folders and billing accounts keep their kind. */
const LOG_NAME_PARENT = /^(projects|organizations|folders|billingAccounts)\/([^/]+)\//;

/**
 * Turns one Cloud Audit Log `LogEntry` into an {@link AuditEvent}. Accepts the JSON Cloud Logging writes
 * (sinks, Pub/Sub, `gcloud logging read`) and Panther's re-serialisation (`at_sign_type` for `@type`,
 * "2022-05-05 14:00:48.81" timestamps, `callerIP`).
 *
 * Throws NormalizeError naming the field when `insertId`, `logName`, `timestamp`, `protoPayload`,
 * `protoPayload.methodName` or `protoPayload.serviceName` is missing or mistyped. An entry without
 * `protoPayload` is not an audit record (a misrouted application or Kubernetes log): rejecting it
 * loudly points at the sink filter instead of producing an event that no rule can read.
 *
 * @example
 * const event = normalizeGcpLogEntry(JSON.parse(line), { location: 'projects/p/subscriptions/audit' });
 * if (event.category === 'authentication' && event.mfa?.used === false) page(event);
 */
export const normalizeGcpLogEntry: Normalizer = (value: unknown, origin: EventOrigin): AuditEvent => {
  const reader = new FieldReader(GCP_LOG_ENTRY_FORMAT, origin);
  const entry = reader.root(value);
  const insertId = reader.string(entry, 'insertId');
  const logName = reader.string(entry, 'logName');
  const time = readTimestamp(entry, 'timestamp', reader);
  const received = entry.receiveTimestamp == null ? undefined : readTimestamp(entry, 'receiveTimestamp', reader);
  const payload =
    reader.optObject(entry, 'protoPayload') ??
    reader.fail('protoPayload', 'missing: not a Cloud Audit Log entry (only AuditLog payloads are read)');
  const resourceLabels = reader.optObject(reader.optObject(entry, 'resource'), 'labels', 'resource.labels');
  // Workspace records also name service and method in resource.labels; AuditLog always has them.
  const serviceName = readName(payload, resourceLabels, 'serviceName', 'service', reader);
  const methodName = readName(payload, resourceLabels, 'methodName', 'method', reader);
  const metadata = reader.optObject(payload, 'metadata', 'protoPayload.metadata');
  const events = readActivityEvents(metadata, serviceName, reader);
  const authentication = reader.optObject(payload, 'authenticationInfo', 'protoPayload.authenticationInfo');
  const actor = readActor(authentication, reader, firstParam(events, 'affected_email_address'));
  const parts: EntryParts = { payload, resourceLabels, serviceName, methodName, events, actor, reader };
  const meaning = (INTERPRETERS.get(serviceName) ?? interpretAuditCall)(parts);
  const requestMetadata = reader.optObject(payload, 'requestMetadata', 'protoPayload.requestMetadata');
  const resourceName = reader.optString(payload, 'resourceName', 'protoPayload.resourceName');
  // insertId is unique only per log and timestamp (LogEntry reference), and an organization sink
  // gathers many projects' logs: the three together are the entry's identity. A push and a pull
  // subscription deliver the same LogEntry, so they produce the same id.
  const nativeId = `${logName}|${time.iso}|${insertId}`;

  const event = interpretedEvent(
    {
      nativeId,
      time,
      service: serviceName,
      resources: resourceName === undefined ? [] : [resourceName],
      account: reader.optString(resourceLabels, 'project_id', 'resource.labels.project_id') ?? accountOf(logName),
      src: {
        // Cloud Logging writes callerIp; Panther's schema re-spells it callerIP.
        ip:
          reader.optString(requestMetadata, 'callerIp', 'protoPayload.requestMetadata.callerIp') ??
          reader.optString(requestMetadata, 'callerIP', 'protoPayload.requestMetadata.callerIP'),
        userAgent: reader.optString(
          requestMetadata,
          'callerSuppliedUserAgent',
          'protoPayload.requestMetadata.callerSuppliedUserAgent',
        ),
      },
      origin,
      raw: entry,
    },
    meaning,
    actor,
    isServiceAgent(actor.email),
  );
  if (received !== undefined) event.receivedTime = received.iso;
  return event;
};

/** RFC 3339, or Panther's "2022-05-05 14:00:48.81"; the date check rejects "7", which Date.parse accepts. */
function readTimestamp(entry: JsonObject, key: string, reader: FieldReader): { iso: string; ms: number } {
  const raw = reader.string(entry, key);
  if (!startsWithIsoDate(raw) || (raw[10] !== 'T' && raw[10] !== ' '))
    reader.fail(key, `not a timestamp: ${JSON.stringify(cap(raw, 64))}`);
  return reader.time(entry, key);
}

function readName(
  payload: JsonObject,
  labels: JsonObject | undefined,
  key: string,
  labelKey: string,
  reader: FieldReader,
): string {
  const path = `protoPayload.${key}`;
  return (
    reader.optString(payload, key, path) ??
    reader.optString(labels, labelKey, `resource.labels.${labelKey}`) ??
    reader.fail(path, 'missing')
  );
}

function accountOf(logName: string): string | undefined {
  const match = LOG_NAME_PARENT.exec(logName);
  if (match === null) return undefined;
  return match[1] === 'projects' ? match[2] : `${match[1]}/${match[2]}`;
}
