import type { EventOrigin } from '../../model/audit-event.js';
import { EnvelopeError } from '../errors.js';
import { cap, isObject, type JsonObject } from '../fields.js';
import { Skipped } from '../skips.js';
import type { Envelope, RawRecord } from '../types.js';
import { CLOUDTRAIL_FORMAT, isCloudTrailRecord } from './cloudtrail.js';
import { detailTypeEntry } from './detail-types.js';

/**
 * The transports CloudTrail records arrive in (log files, EventBridge, LookupEvents pages, bare
 * records). Each `matches` is a key-presence check; `open` validates
 * the wrapper and hands out the records untouched (the normalizer judges their fields).
 */

/**
 * A CloudTrail log file as written to S3: `{"Records":[…]}`; digest files (`digestStartTime` +
 * `logFiles`) are valid and hold no records. S3/SQS/SNS notification batches also use `Records`, but
 * their entries have `eventSource: "aws:s3"`-style values and are left to their own envelopes.
 */
export const cloudTrailLogFileEnvelope: Envelope = {
  name: 'cloudtrail-log-file',
  matches(doc) {
    if (Object.hasOwn(doc, 'Records')) return !isNotificationBatch(doc.Records);
    return Object.hasOwn(doc, 'digestStartTime') && Object.hasOwn(doc, 'logFiles');
  },
  open(doc, origin) {
    if (!Object.hasOwn(doc, 'Records')) return [];
    const records = doc.Records;
    if (!Array.isArray(records)) {
      throw new EnvelopeError(origin, `CloudTrail log file: Records is ${describe(records)}, expected an array`);
    }
    const out: RawRecord[] = new Array(records.length);
    for (let i = 0; i < records.length; i++) {
      out[i] = { format: CLOUDTRAIL_FORMAT, value: records[i], origin: { ...origin, index: i } };
    }
    return out;
  },
};

/**
 * An EventBridge event from an `aws.*` source, read as the detail-type table says
 * ({@link detailTypeEntry}): the CloudTrail detail-types open to their `detail`; Insights, sign-in anomaly
 * alerts and every other detail-type are {@link Skipped} (well-formed, nothing to read). A detail-type
 * that is not a string, a non-AWS source or a `detail` that is not an object is an EnvelopeError.
 */
export const eventBridgeCloudTrailEnvelope: Envelope = {
  name: 'eventbridge-cloudtrail',
  matches(doc) {
    return Object.hasOwn(doc, 'detail-type') && Object.hasOwn(doc, 'detail');
  },
  open(doc, origin) {
    const detailType = doc['detail-type'];
    if (typeof detailType !== 'string') {
      throw new EnvelopeError(origin, `EventBridge detail-type is ${describe(detailType)}, expected a string`);
    }
    const source = doc.source;
    if (typeof source !== 'string' || !source.startsWith('aws.')) {
      throw new EnvelopeError(origin, `EventBridge "${detailType}" from source ${describe(source)}, expected aws.*`);
    }
    if (!isObject(doc.detail)) {
      throw new EnvelopeError(
        origin,
        `EventBridge "${detailType}": detail is ${describe(doc.detail)}, expected an object`,
      );
    }
    const entry = detailTypeEntry(detailType);
    if (entry === undefined || (entry.source !== undefined && entry.source !== source)) {
      return new Skipped(
        'aws.other-event',
        `EventBridge detail-type ${describe(detailType)} from ${cap(source, 64)}`,
        origin,
      );
    }
    if (entry.read !== 'cloudtrail') {
      return new Skipped(entry.read.skip, `EventBridge detail-type "${detailType}" from ${cap(source, 64)}`, origin);
    }
    return [{ format: CLOUDTRAIL_FORMAT, value: doc.detail, origin }];
  },
};

/**
 * A CloudTrail `LookupEvents` response as the API and `aws cloudtrail lookup-events` return it:
 * `{"Events": [{EventId, EventName, EventTime, Username, Resources, CloudTrailEvent}], "NextToken"}`,
 * where `CloudTrailEvent` is the whole record as JSON text. Each element opens to that record, with its
 * index; text that is not a JSON object is an EnvelopeError naming the element.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html
 */
export const cloudTrailLookupEventsEnvelope: Envelope = {
  name: 'cloudtrail-lookup-events',
  matches(doc) {
    const events = doc.Events;
    if (!Array.isArray(events)) return false;
    const first: unknown = events[0];
    return first === undefined ? Object.hasOwn(doc, 'NextToken') : isObject(first) && isLookupEvent(first);
  },
  open(doc, origin) {
    return (doc.Events as unknown[]).map((element, index) =>
      lookupRecord(element, { ...origin, index }, `LookupEvents Events[${index}].CloudTrailEvent`),
    );
  },
};

/** One element of `Events` on its own (`lookup-events --query Events` prints an array of them). */
export const cloudTrailLookupEventEnvelope: Envelope = {
  name: 'cloudtrail-lookup-event',
  matches: isLookupEvent,
  open(doc, origin) {
    return [lookupRecord(doc, origin, 'LookupEvents CloudTrailEvent')];
  },
};

function isLookupEvent(doc: JsonObject): boolean {
  return typeof doc.CloudTrailEvent === 'string' && Object.hasOwn(doc, 'EventId');
}

/** The record a LookupEvents element's `CloudTrailEvent` text holds; `where` names it in errors. */
function lookupRecord(element: unknown, origin: EventOrigin, where: string): RawRecord {
  const text = isObject(element) ? element.CloudTrailEvent : undefined;
  if (typeof text !== 'string') throw new EnvelopeError(origin, `${where} is ${describe(text)}, expected JSON text`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new EnvelopeError(origin, `${where} is not JSON`, { cause: error });
  }
  if (!isObject(value)) throw new EnvelopeError(origin, `${where} holds ${describe(value)}, expected a record`);
  return { format: CLOUDTRAIL_FORMAT, value, origin };
}

/** One bare CloudTrail record (a fixture, a CloudTrail Lake row, a Logstash-shipped line). */
export const cloudTrailRecordEnvelope: Envelope = {
  name: 'cloudtrail-record',
  matches: isCloudTrailRecord,
  open(doc, origin) {
    return [{ format: CLOUDTRAIL_FORMAT, value: doc, origin }];
  },
};

/**
 * The AWS envelopes, in the order to try them. A dispatcher takes the first whose `matches` is true.
 *
 * @example
 * const envelope = awsEnvelopes.find((e) => e.matches(doc));
 * const events = envelope?.open(doc, { location: 's3://trail/key.json.gz' }).map((r) => normalizeCloudTrail(r.value, r.origin));
 */
export const awsEnvelopes: Envelope[] = [
  cloudTrailLogFileEnvelope,
  eventBridgeCloudTrailEnvelope,
  cloudTrailLookupEventsEnvelope,
  cloudTrailLookupEventEnvelope,
  cloudTrailRecordEnvelope,
];

/** S3 event notifications and SQS/SNS batches: `Records[0].eventSource` (or `EventSource`) is "aws:…". */
function isNotificationBatch(records: unknown): boolean {
  if (!Array.isArray(records) || records.length === 0) return false;
  const first: unknown = records[0];
  if (!isObject(first)) return false;
  const source = first.eventSource ?? first.EventSource;
  return typeof source === 'string' && source.startsWith('aws:');
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return typeof value === 'string' ? JSON.stringify(cap(value, 64)) : `${typeof value} ${String(value).slice(0, 40)}`;
}
