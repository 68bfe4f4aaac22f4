import type { DrillMarker, EventOrigin } from '../../model/audit-event.js';
import { EnvelopeError } from '../errors.js';
import { cap, isObject, type JsonObject } from '../fields.js';
import type { Envelope, RecordFormat } from '../types.js';

/**
 * The drill transport (issue 6): a custom EventBridge event `source: "glasswatch.drill"` carrying one
 * provider record for one break-glass account. It is the only way a record becomes a drill, and it is
 * believed only from a trusted transport (`origin.trustedTransport`, set by the runtime that received
 * the document): an EventBridge rule on the ingest bus, whose template lets only the drill function put
 * this source, or the `glasswatch drill` command in-process. The same document read from a file, an S3
 * object or a Pub/Sub message is rejected, never treated as a drill or as a real event.
 *
 * ```json
 * { "source": "glasswatch.drill", "detail-type": "Glasswatch Drill",
 *   "detail": { "drillId": "d-…", "account": "aws-prod-root", "format": "aws.cloudtrail",
 *               "record": { "eventID": "glasswatch-drill-d-…", … } } }
 * ```
 */

export const DRILL_EVENT_SOURCE = 'glasswatch.drill';
export const DRILL_DETAIL_TYPE = 'Glasswatch Drill';

/**
 * Every drill record's own id starts with this, so a drill can never claim the id of a real event
 * (the correlator dedups by event id: a forged "drill" carrying a real sign-in's id, delivered first,
 * would otherwise absorb the real one).
 */
export const DRILL_RECORD_ID_PREFIX = 'glasswatch-drill-';

/** The id suffix of a drill's synthetic opening of the credential store (assure/drill/opening.ts). */
export const DRILL_OPENING_SUFFIX = '-opening';

const DRILL_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const ACCOUNT_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/i;

/**
 * The field holding each drillable format's native id (the one the normalizer makes the event id of,
 * or ends it with). Key Vault `AuditEvent` records carry no id: their event id ends in the client's
 * `correlationId` (normalize/azure/key-vault.ts), which is why a diagnostic record carries a drill only
 * as a Key Vault `AuditEvent` (the drill's opening of the store).
 */
export const DRILL_RECORD_ID_FIELDS: Readonly<Partial<Record<RecordFormat, string>>> = {
  'aws.cloudtrail': 'eventID',
  'gcp.log-entry': 'insertId',
  'azure.log-analytics': 'Id',
  'azure.diagnostic': 'correlationId',
  'vault.audit': 'request.id',
};

/** Per format, the only record category a drill may carry in it (see {@link DRILL_RECORD_ID_FIELDS}). */
const DRILL_CATEGORIES: Readonly<Partial<Record<RecordFormat, string>>> = { 'azure.diagnostic': 'AuditEvent' };

export const drillEnvelope: Envelope = {
  name: 'glasswatch-drill',
  matches(doc) {
    return doc.source === DRILL_EVENT_SOURCE;
  },
  open(doc, origin) {
    if (origin.trustedTransport === undefined) {
      throw new EnvelopeError(
        origin,
        `${DRILL_EVENT_SOURCE} event outside a trusted transport (file, S3 object, Pub/Sub…): drills are accepted only from the EventBridge ingest path or "glasswatch drill"; rejected`,
      );
    }
    if (doc['detail-type'] !== DRILL_DETAIL_TYPE) {
      throw new EnvelopeError(
        origin,
        `${DRILL_EVENT_SOURCE} event: detail-type ${quote(doc['detail-type'])}, expected "${DRILL_DETAIL_TYPE}"`,
      );
    }
    const detail = doc.detail;
    if (!isObject(detail)) throw new EnvelopeError(origin, `${DRILL_EVENT_SOURCE} event: detail is not an object`);
    const drillId = matching(detail, 'drillId', DRILL_ID, origin);
    const account = matching(detail, 'account', ACCOUNT_ID, origin);
    const format = detail.format as RecordFormat;
    const idField = typeof format === 'string' ? DRILL_RECORD_ID_FIELDS[format] : undefined;
    if (idField === undefined) {
      throw new EnvelopeError(origin, `drill ${drillId}: format ${quote(detail.format)} cannot carry a drill`);
    }
    const record = detail.record;
    if (!isObject(record)) throw new EnvelopeError(origin, `drill ${drillId}: record is not an object`);
    const category = DRILL_CATEGORIES[format];
    if (category !== undefined && record.category !== category) {
      throw new EnvelopeError(
        origin,
        `drill ${drillId}: a ${format} record carries a drill only as category "${category}"`,
      );
    }
    // The sign-in, or the opening of the credential's store that precedes it (`…-opening`).
    const expectedId = `${DRILL_RECORD_ID_PREFIX}${drillId}`;
    // A dotted field is nested (Vault's `request.id`).
    const id = idField.split('.').reduce<unknown>((value, key) => (isObject(value) ? value[key] : undefined), record);
    if (id !== expectedId && id !== `${expectedId}${DRILL_OPENING_SUFFIX}`) {
      throw new EnvelopeError(origin, `drill ${drillId}: record ${idField} must be "${expectedId}"`);
    }
    const marker: DrillMarker = { drillId, account };
    const recordOrigin: EventOrigin = { ...origin, drill: marker };
    return [{ format, value: record, origin: recordOrigin }];
  },
};

function matching(detail: JsonObject, key: string, pattern: RegExp, origin: EventOrigin): string {
  const value = detail[key];
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new EnvelopeError(origin, `${DRILL_EVENT_SOURCE} event: detail.${key} ${quote(value)} is not valid`);
  }
  return value;
}

function quote(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(cap(value, 64));
  return value === undefined ? 'missing' : typeof value;
}
