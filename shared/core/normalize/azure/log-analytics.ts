import type { AuditEvent, EventOrigin } from '../../model/audit-event.js';
import { cap, FieldReader } from '../fields.js';
import type { Normalizer, RecordFormat } from '../types.js';
import { KIND_NORMALIZERS } from './kinds.js';
import { AzureRecord } from './record.js';
import { LOG_ANALYTICS_TABLES, logAnalyticsTableName } from './tables.js';

export const LOG_ANALYTICS_FORMAT: RecordFormat = 'azure.log-analytics';

/**
 * One Log Analytics row as a query returns it (PascalCase columns; `dynamic` columns as objects or JSON
 * text) → {@link AuditEvent}. The `Type` column names the table: SigninLogs,
 * AADNonInteractiveUserSignInLogs, AADServicePrincipalSignInLogs, AADManagedIdentitySignInLogs,
 * AuditLogs or AzureActivity. Any other table is a NormalizeError naming `Type`.
 *
 * @example
 * const event = normalizeLogAnalyticsRow(row, { location: 'workspace 7c759f10…', index: 3 });
 * if (event.source === 'azure.signin' && event.outcome === 'success') page(event);
 */
export const normalizeLogAnalyticsRow: Normalizer = (value: unknown, origin: EventOrigin): AuditEvent => {
  const reader = new FieldReader(LOG_ANALYTICS_FORMAT, origin);
  const row = reader.root(value);
  const name = logAnalyticsTableName(row) ?? reader.fail('Type', 'missing, and no column tells the table');
  const table =
    LOG_ANALYTICS_TABLES.get(name) ??
    reader.fail('Type', `table ${JSON.stringify(cap(name, 64))} is not one Glasswatch reads`);
  return KIND_NORMALIZERS[table.kind](new AzureRecord(reader, row, 'log-analytics', table));
};
