import type { AuditEvent, EventOrigin } from '../../model/audit-event.js';
import { FieldReader, type JsonObject } from '../fields.js';
import type { Normalizer, RecordFormat } from '../types.js';
import { normalizeAudit } from './audit.js';
import { AzureRecord } from './record.js';
import type { AzureTable } from './tables.js';

export const GRAPH_DIRECTORY_AUDIT_FORMAT: RecordFormat = 'azure.graph-directory-audit';

const DIRECTORY_AUDITS: AzureTable = { name: 'directoryAudits', kind: 'audit' };

/**
 * Cheap shape check for one Microsoft Graph `directoryAudit` (an element of `GET
 * /auditLogs/directoryAudits`'s `value`, of `Get-MgAuditLogDirectoryAudit | ConvertTo-Json`, or a line):
 * `activityDisplayName` and `activityDateTime` at the top level. The diagnostic spelling has them under
 * `properties`, the Log Analytics row in PascalCase.
 */
export function isGraphDirectoryAudit(doc: JsonObject): boolean {
  return Object.hasOwn(doc, 'activityDisplayName') && Object.hasOwn(doc, 'activityDateTime');
}

/**
 * One Graph `directoryAudit` → the same {@link AuditEvent} as the diagnostic record and the AuditLogs row
 * of that entry (same `id`, "Directory_<correlation>_<suffix>"). The resource carries no tenant id.
 * https://learn.microsoft.com/graph/api/resources/directoryaudit
 *
 * @example
 * const events = page.value.map((a, index) => normalizeGraphDirectoryAudit(a, { location: 'audits.json', index }));
 */
export const normalizeGraphDirectoryAudit: Normalizer = (value: unknown, origin: EventOrigin): AuditEvent => {
  const reader = new FieldReader(GRAPH_DIRECTORY_AUDIT_FORMAT, origin);
  return normalizeAudit(new AzureRecord(reader, reader.root(value), 'rest', DIRECTORY_AUDITS));
};
