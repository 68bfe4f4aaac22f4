import type { AuditEvent, EventOrigin } from '../model/audit-event.js';
import { normalizeCloudTrail } from './aws/cloudtrail.js';
import { awsEnvelopes } from './aws/envelopes.js';
import { normalizeAzureDiagnostic } from './azure/diagnostic.js';
import { azureEnvelopes } from './azure/envelopes.js';
import { normalizeLogAnalyticsRow } from './azure/log-analytics.js';
import { drillEnvelope } from './drill/envelope.js';
import { EnvelopeError } from './errors.js';
import { isObject } from './fields.js';
import { gcpEnvelopes } from './gcp/envelopes.js';
import { normalizeGcpLogEntry } from './gcp/log-entry.js';
import type { Envelope, Normalizer, RawRecord, RecordFormat } from './types.js';

export { describeOrigin, EnvelopeError, NormalizeError } from './errors.js';
export type { Envelope, Normalizer, RawRecord, RecordFormat } from './types.js';

/** One normalizer per provider format. */
export const NORMALIZERS: Readonly<Record<RecordFormat, Normalizer>> = {
  'aws.cloudtrail': normalizeCloudTrail,
  'gcp.log-entry': normalizeGcpLogEntry,
  'azure.log-analytics': normalizeLogAnalyticsRow,
  'azure.diagnostic': normalizeAzureDiagnostic,
};

/** Transport wrappers, most specific first: the first whose `matches` is true opens the document. */
export const ENVELOPES: readonly Envelope[] = [drillEnvelope, ...awsEnvelopes, ...gcpEnvelopes, ...azureEnvelopes];

/** The provider records inside one top-level JSON document. Throws EnvelopeError for unknown shapes. */
export function openDocument(doc: unknown, origin: EventOrigin): RawRecord[] {
  if (!isObject(doc))
    throw new EnvelopeError(origin, `expected a JSON object, got ${Array.isArray(doc) ? 'an array' : typeof doc}`);
  for (const envelope of ENVELOPES) {
    if (envelope.matches(doc)) return envelope.open(doc, origin);
  }
  const keys = Object.keys(doc)
    .slice(0, 8)
    .map((k) => JSON.stringify(k.slice(0, 40)));
  throw new EnvelopeError(origin, `unknown record shape (top-level keys: ${keys.join(', ') || 'none'})`);
}

export function normalize(record: RawRecord): AuditEvent {
  return NORMALIZERS[record.format](record.value, record.origin);
}
