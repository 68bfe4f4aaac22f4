import { Buffer } from 'node:buffer';
import type { EventOrigin } from '../../model/audit-event.js';
import { EnvelopeError } from '../errors.js';
import { cap, isObject, type JsonObject } from '../fields.js';
import type { Envelope } from '../types.js';
import { GCP_LOG_ENTRY_FORMAT } from './log-entry.js';
import { GCP_REPORTS_ACTIVITY_FORMAT, isReportsActivity } from './reports-activity.js';

/**
 * The transports Cloud Audit Log entries arrive in: a bare `LogEntry` (a sink file line, a pull
 * subscription message already decoded, `gcloud logging read`) and a Pub/Sub push request body; and
 * Workspace activities as the Admin SDK Reports API returns them (pages and single activities).
 */

/** Standard base64 as Pub/Sub writes it; `Buffer.from` would silently skip anything else. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A bare LogEntry: has `protoPayload`, or the two keys every LogEntry has. */
export const gcpLogEntryEnvelope: Envelope = {
  name: 'gcp-log-entry',
  matches(doc) {
    return Object.hasOwn(doc, 'protoPayload') || (Object.hasOwn(doc, 'insertId') && Object.hasOwn(doc, 'logName'));
  },
  open(doc, origin) {
    return [{ format: GCP_LOG_ENTRY_FORMAT, value: doc, origin }];
  },
};

/**
 * A Pub/Sub push request: `{"message": {"data": <base64 LogEntry JSON>, "attributes", "messageId"},
 * "subscription": "projects/p/subscriptions/s"}`. The record's origin becomes the subscription and
 * message id, which is what an operator can look up.
 * https://cloud.google.com/pubsub/docs/push#receive_push
 */
export const pubSubPushEnvelope: Envelope = {
  name: 'pubsub-push',
  matches(doc) {
    return isObject(doc.message) && Object.hasOwn(doc.message, 'data') && Object.hasOwn(doc, 'subscription');
  },
  open(doc, origin) {
    const message = doc.message as JsonObject;
    const messageId = typeof message.messageId === 'string' ? cap(message.messageId, 128) : '(no messageId)';
    const subscription = typeof doc.subscription === 'string' ? cap(doc.subscription, 256) : '(no subscription)';
    const fail = (reason: string, cause?: unknown): never => {
      throw new EnvelopeError(origin, `Pub/Sub push message ${messageId} from ${subscription}: ${reason}`, { cause });
    };
    const entry = decodeLogEntry(message.data, fail);
    const recordOrigin: EventOrigin = { location: `${subscription}/messages/${messageId}` };
    return [{ format: GCP_LOG_ENTRY_FORMAT, value: entry, origin: recordOrigin }];
  },
};

function decodeLogEntry(data: unknown, fail: (reason: string, cause?: unknown) => never): JsonObject {
  if (typeof data !== 'string')
    return fail(`message.data is ${data === null ? 'null' : typeof data}, expected base64 text`);
  const compact = data.replace(/\s+/g, '');
  if (!BASE64.test(compact) || compact.length % 4 === 1) return fail('message.data is not valid base64');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(compact, 'base64'));
  } catch (error) {
    return fail('message.data is not UTF-8 text', error);
  }
  let entry: unknown;
  try {
    entry = JSON.parse(text);
  } catch (error) {
    return fail(
      `message.data is not JSON (${error instanceof Error ? cap(error.message, 120) : 'parse error'})`,
      error,
    );
  }
  if (!isObject(entry))
    return fail(`message.data holds ${Array.isArray(entry) ? 'an array' : typeof entry}, expected a LogEntry object`);
  return entry;
}

/**
 * A page of the Admin SDK Reports API (`activities.list`): `{"kind": "admin#reports#activities",
 * "items": [activity…], "nextPageToken"}`; a page without activities has no `items`.
 * https://developers.google.com/admin-sdk/reports/reference/rest/v1/activities/list
 */
export const reportsActivitiesEnvelope: Envelope = {
  name: 'reports-activities',
  matches(doc) {
    if (doc.kind === 'admin#reports#activities') return true;
    const first: unknown = Array.isArray(doc.items) ? doc.items[0] : undefined;
    return isObject(first) && isReportsActivity(first);
  },
  open(doc, origin) {
    const items = doc.items ?? [];
    if (!Array.isArray(items)) throw new EnvelopeError(origin, 'Reports API page: items is not an array');
    return items.map((value, index) => ({ format: GCP_REPORTS_ACTIVITY_FORMAT, value, origin: { ...origin, index } }));
  },
};

/** One Reports API activity (a line of an export, an element of `items`). */
export const reportsActivityEnvelope: Envelope = {
  name: 'reports-activity',
  matches: isReportsActivity,
  open(doc, origin) {
    return [{ format: GCP_REPORTS_ACTIVITY_FORMAT, value: doc, origin }];
  },
};

/**
 * The GCP envelopes, in the order to try them. A dispatcher takes the first whose `matches` is true.
 *
 * @example
 * const envelope = gcpEnvelopes.find((e) => e.matches(body));
 * const events = envelope?.open(body, { location: 'https://…/push' }).map((r) => normalizeGcpLogEntry(r.value, r.origin));
 */
export const gcpEnvelopes: Envelope[] = [
  pubSubPushEnvelope,
  reportsActivitiesEnvelope,
  reportsActivityEnvelope,
  gcpLogEntryEnvelope,
];
