import type { AuditEvent, EventOrigin } from '../../model/audit-event.js';
import { cap, FieldReader, isObject } from '../fields.js';
import { Skipped } from '../skips.js';
import type { Normalizer, RecordFormat, SkipRule } from '../types.js';
import { KIND_NORMALIZERS } from './kinds.js';
import { AzureRecord } from './record.js';
import { DIAGNOSTIC_CATEGORIES, isKeyVaultResource } from './tables.js';

export const DIAGNOSTIC_FORMAT: RecordFormat = 'azure.diagnostic';

/**
 * Fields only sign-in, directory-audit and Activity records carry. A record with one of them under a
 * category Glasswatch does not know (Panther writes the Entra audit category, "ApplicationManagement",
 * where Event Hub writes "AuditLogs") is one of ours mislabelled: it goes to the normalizer, which names
 * `category`, and is never skipped (a miss is worse than an error).
 */
const READ_RECORD_MARKERS: readonly (readonly [parent: string, key: string])[] = [
  ['properties', 'activityDisplayName'],
  ['properties', 'loggedByService'],
  ['properties', 'initiatedBy'],
  ['properties', 'userPrincipalName'],
  ['properties', 'createdDateTime'],
  ['identity', 'claims'],
];

/**
 * A diagnostic record whose `category` is a string Glasswatch does not read and that carries none of
 * the {@link READ_RECORD_MARKERS} (resource logs such as StorageRead, or an AuditEvent of a resource
 * other than a key vault): well-formed, skipped as `azure.other-category`. A missing or mistyped category is left to the normalizer.
 */
export const skipDiagnostic: SkipRule = (value, origin) => {
  if (!isObject(value)) return undefined;
  const category = value.category;
  if (typeof category !== 'string' || category === '') return undefined;
  const table = DIAGNOSTIC_CATEGORIES.get(category);
  // AuditEvent is also the category of other resource types' logs: only Key Vault's are read.
  const otherResource = table?.kind === 'keyvault' && isOtherResource(value.resourceId);
  if (table !== undefined && !otherResource) return undefined;
  for (const [parent, key] of READ_RECORD_MARKERS) {
    const child = Object.hasOwn(value, parent) ? value[parent] : undefined;
    if (isObject(child) && Object.hasOwn(child, key)) return undefined;
  }
  return new Skipped('azure.other-category', `diagnostic category ${JSON.stringify(cap(category, 64))}`, origin);
};

/** A resource id that names a resource, and not a key vault. */
function isOtherResource(resourceId: unknown): boolean {
  return typeof resourceId === 'string' && resourceId !== '' && !isKeyVaultResource(resourceId);
}

/**
 * One diagnostic-settings record (an element of an Event Hub `{"records":[…]}` batch, or a storage
 * export line) → {@link AuditEvent}. `category` picks the mapping: Entra SignInLogs,
 * NonInteractiveUserSignInLogs, ServicePrincipalSignInLogs, ManagedIdentitySignInLogs, AuditLogs, an
 * Activity log category (Administrative, Policy, Security, …), or Key Vault AuditEvent. Called directly on any other category
 * (resource logs such as StorageRead) it throws a NormalizeError naming `category`; `normalize` skips
 * those first ({@link skipDiagnostic}).
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
