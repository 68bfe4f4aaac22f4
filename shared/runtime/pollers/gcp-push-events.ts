import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { MAX_ENTRY_BYTES } from '../../adapters/aws/eventbridge-publisher.js';
import { cap, isObject, type JsonObject } from '../../core/normalize/fields.js';
import { GCP_LOG_ENTRY_FORMAT } from '../../core/normalize/gcp/log-entry.js';
import type { RawRecord } from '../../core/normalize/types.js';

/**
 * The GCP push path's contract with the AWS ingest path. The Cloud Run function writes audit events
 * into the ingest path — one Cloud Audit Log entry per event on the INGEST bus, `source:
 * glasswatch.gcp-push` — and never incidents or incident changes: its role may put only this source
 * and detail-type there, and nothing on the incident bus or in the table. Whoever can mint tokens for
 * its service account (a Google super-admin, the very person watched) can therefore at most make up
 * Google audit entries, which the AWS side reads with the GCP normalizer only: never a CloudTrail or
 * Entra record, never a drill, never a "delivered" ledger record or a closed incident.
 */
export const GCP_PUSH_SOURCE = 'glasswatch.gcp-push';
export const GCP_PUSH_DETAIL_TYPE = 'Google Cloud Audit Log Entry';

/** The event's detail: the entry and where the function read it (subscription/messages/id). */
interface PushDetail {
  location: string;
  entry: JsonObject;
}

/** Fields the detectors never read, dropped (in this order) only from an entry too big for one event. */
const BULKY_FIELDS = ['response', 'serviceData', 'request'] as const;

/**
 * One PutEvents entry for one entry. An entry over EventBridge's 256 KiB loses `protoPayload.response`,
 * `serviceData`, then `request` (bulky, and read by no rule) before it is refused with an Error
 * naming its location.
 */
export function gcpPushEntry(entry: JsonObject, location: string, busName: string): PutEventsRequestEntry | Error {
  let current = entry;
  for (let dropped = 0; ; dropped++) {
    const detail = JSON.stringify({ location: cap(location, 600), entry: current } satisfies PushDetail);
    if (Buffer.byteLength(detail) <= MAX_ENTRY_BYTES - 1024) {
      return { EventBusName: busName, Source: GCP_PUSH_SOURCE, DetailType: GCP_PUSH_DETAIL_TYPE, Detail: detail };
    }
    const field = BULKY_FIELDS[dropped];
    const payload = isObject(current.protoPayload) ? current.protoPayload : undefined;
    if (!field || !payload) {
      return new Error(
        `${location}: LogEntry of ${Buffer.byteLength(detail)} bytes does not fit one EventBridge event`,
      );
    }
    const { [field]: _dropped, ...rest } = payload;
    current = { ...current, protoPayload: rest };
  }
}

/**
 * The raw record an ingest-bus event of the GCP push source carries, for the GCP normalizer only; an
 * Error naming the event when the detail is not `{location, entry}`.
 */
export function gcpPushRecord(detail: unknown, eventId: string): RawRecord | Error {
  if (!isObject(detail) || !isObject(detail.entry) || typeof detail.location !== 'string') {
    return new Error(`eventbridge:${cap(eventId, 128)}: ${GCP_PUSH_SOURCE} event without {location, entry}`);
  }
  return {
    format: GCP_LOG_ENTRY_FORMAT,
    value: detail.entry,
    origin: { location: cap(detail.location, 600) },
  };
}
