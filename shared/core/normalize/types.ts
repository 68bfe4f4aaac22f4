import type { AuditEvent, EventOrigin } from '../model/audit-event.js';
import type { Skipped } from './skips.js';

/** Provider record formats, each with exactly one normalizer. */
export const RECORD_FORMATS = [
  'aws.cloudtrail',
  'gcp.log-entry',
  'gcp.reports-activity',
  'azure.log-analytics',
  'azure.diagnostic',
  'azure.activity-log',
  'azure.graph-sign-in',
  'vault.audit',
  'azure.graph-directory-audit',
] as const;
export type RecordFormat = (typeof RECORD_FORMATS)[number];

/** One provider record, unwrapped from its transport, not yet normalized. */
export interface RawRecord {
  format: RecordFormat;
  value: unknown;
  origin: EventOrigin;
}

/**
 * Turns one provider record into an {@link AuditEvent}.
 * Throws {@link NormalizeError} naming the field when a record cannot be trusted.
 */
export type Normalizer = (value: unknown, origin: EventOrigin) => AuditEvent;

/**
 * Recognises a well-formed record of a kind Glasswatch does not read (a CloudTrail Insights record, a
 * resource-log category), before its normalizer runs. Cheap: it runs on every record. Anything it does
 * not recognise goes to the normalizer, which judges the fields.
 */
export type SkipRule = (value: unknown, origin: EventOrigin) => Skipped | undefined;

/**
 * A transport wrapper (S3 log file, EventBridge event, Pub/Sub push body, Event Hub batch, a bare record).
 * `matches` must be cheap: it runs on every top-level JSON document.
 */
export interface Envelope {
  name: string;
  matches(doc: Record<string, unknown>): boolean;
  /**
   * The provider records inside, or {@link Skipped} for a well-formed document that carries nothing
   * Glasswatch reads; throws {@link EnvelopeError} when the wrapper itself is broken.
   */
  open(doc: Record<string, unknown>, origin: EventOrigin): RawRecord[] | Skipped;
}
