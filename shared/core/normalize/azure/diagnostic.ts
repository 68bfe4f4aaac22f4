import type { AuditEvent, EventOrigin } from '../../model/audit-event.js';
import { cap, FieldReader } from '../fields.js';
import type { Normalizer, RecordFormat } from '../types.js';
import { KIND_NORMALIZERS } from './kinds.js';
import { AzureRecord } from './record.js';
import { DIAGNOSTIC_CATEGORIES } from './tables.js';

export const DIAGNOSTIC_FORMAT: RecordFormat = 'azure.diagnostic';

/**
 * One diagnostic-settings record (an element of an Event Hub `{"records":[…]}` batch, or a storage
 * export line) → {@link AuditEvent}. `category` picks the mapping: Entra SignInLogs,
 * NonInteractiveUserSignInLogs, ServicePrincipalSignInLogs, ManagedIdentitySignInLogs, AuditLogs, or an
 * Activity log category (Administrative, Policy, Security, …). Any other category (resource logs such
 * as StorageRead) is a NormalizeError naming `category`.
 *
 * @example
 * const events = body.records.map((r, index) => normalizeAzureDiagnostic(r, { location: 'eventhub/audit', index }));
 */
export const normalizeAzureDiagnostic: Normalizer = (value: unknown, origin: EventOrigin): AuditEvent => {
  const reader = new FieldReader(DIAGNOSTIC_FORMAT, origin);
  const record = reader.root(value);
  const category = reader.string(record, 'category');
  const table =
    DIAGNOSTIC_CATEGORIES.get(category) ??
    reader.fail('category', `${JSON.stringify(cap(category, 64))} is not a sign-in, audit or Activity log category`);
  return KIND_NORMALIZERS[table.kind](new AzureRecord(reader, record, 'diagnostic', table));
};
