import type { AuditEvent, EventOrigin } from '../model/audit-event.js';
import { normalizeCloudTrail, skipCloudTrail } from './aws/cloudtrail.js';
import { awsEnvelopes } from './aws/envelopes.js';
import { normalizeActivityLogEvent } from './azure/activity-log.js';
import { normalizeAzureDiagnostic, skipDiagnostic } from './azure/diagnostic.js';
import { azureEnvelopes } from './azure/envelopes.js';
import { normalizeGraphDirectoryAudit } from './azure/graph-directory-audit.js';
import { normalizeGraphSignIn } from './azure/graph-sign-in.js';
import { normalizeLogAnalyticsRow, skipLogAnalyticsRow } from './azure/log-analytics.js';
import { drillEnvelope } from './drill/envelope.js';
import { EnvelopeError } from './errors.js';
import { isObject } from './fields.js';
import { gcpEnvelopes } from './gcp/envelopes.js';
import { normalizeGcpLogEntry } from './gcp/log-entry.js';
import { normalizeReportsActivity } from './gcp/reports-activity.js';
import type { Skipped } from './skips.js';
import type { Envelope, Normalizer, RawRecord, RecordFormat, SkipRule } from './types.js';
import { normalizeVaultAudit, skipVaultAudit, vaultAuditEnvelope } from './vault/audit.js';

export { describeOrigin, EnvelopeError, NormalizeError } from './errors.js';
export { SKIP_KINDS, type SkipKind, Skipped } from './skips.js';
export type { Envelope, Normalizer, RawRecord, RecordFormat, SkipRule } from './types.js';

/** One normalizer per provider format. */
export const NORMALIZERS: Readonly<Record<RecordFormat, Normalizer>> = {
  'aws.cloudtrail': normalizeCloudTrail,
  'gcp.log-entry': normalizeGcpLogEntry,
  'gcp.reports-activity': normalizeReportsActivity,
  'azure.log-analytics': normalizeLogAnalyticsRow,
  'azure.diagnostic': normalizeAzureDiagnostic,
  'azure.activity-log': normalizeActivityLogEvent,
  'azure.graph-sign-in': normalizeGraphSignIn,
  'vault.audit': normalizeVaultAudit,
  'azure.graph-directory-audit': normalizeGraphDirectoryAudit,
};

/** Per format, the well-formed records of kinds Glasswatch does not read: skipped before normalizing. */
export const SKIP_RULES: Readonly<Partial<Record<RecordFormat, SkipRule>>> = {
  'aws.cloudtrail': skipCloudTrail,
  'azure.log-analytics': skipLogAnalyticsRow,
  'azure.diagnostic': skipDiagnostic,
  'vault.audit': skipVaultAudit,
};

/** Transport wrappers, most specific first: the first whose `matches` is true opens the document. */
export const ENVELOPES: readonly Envelope[] = [
  drillEnvelope,
  ...awsEnvelopes,
  ...gcpEnvelopes,
  ...azureEnvelopes,
  vaultAuditEnvelope,
];

/**
 * The provider records inside one top-level JSON document, or {@link Skipped} for a well-formed document
 * of a kind Glasswatch does not read. Throws EnvelopeError for unknown shapes.
 */
export function openDocument(doc: unknown, origin: EventOrigin): RawRecord[] | Skipped {
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

/** One record → its {@link AuditEvent}, or {@link Skipped} for a well-formed record of a kind not read. */
export function normalize(record: RawRecord): AuditEvent | Skipped {
  return (
    SKIP_RULES[record.format]?.(record.value, record.origin) ?? NORMALIZERS[record.format](record.value, record.origin)
  );
}
