import type { AuditEvent, EventOrigin } from '../../model/audit-event.js';
import { cap, FieldReader, isObject, type JsonObject } from '../fields.js';
import { Skipped } from '../skips.js';
import type { Normalizer, RecordFormat, SkipRule } from '../types.js';
import { KIND_NORMALIZERS } from './kinds.js';
import { AzureRecord } from './record.js';
import { isOtherAzureDiagnosticsRow, LOG_ANALYTICS_TABLES, logAnalyticsTableName, tableByColumns } from './tables.js';

export const LOG_ANALYTICS_FORMAT: RecordFormat = 'azure.log-analytics';

/**
 * A row of a table Glasswatch does not read: skipped as `azure.other-table`. Only when its columns do not
 * say otherwise: a row whose `Type` a query overwrote ("Application") but which has a column only a read
 * table has stays with the normalizer, which reports it by name (a miss is worse than an error).
 */
export const skipLogAnalyticsRow: SkipRule = (value, origin) => {
  const name = isObject(value) ? logAnalyticsTableName(value) : undefined;
  if (name === 'AzureDiagnostics' && isOtherAzureDiagnosticsRow(value as JsonObject)) {
    const row = value as JsonObject;
    const what = [row.ResourceProvider, row.Category].filter((v) => typeof v === 'string').join(' ');
    return new Skipped('azure.other-category', `AzureDiagnostics ${JSON.stringify(cap(what, 96))}`, origin);
  }
  if (name === undefined || LOG_ANALYTICS_TABLES.has(name) || tableByColumns(value as JsonObject) !== undefined) {
    return undefined;
  }
  return new Skipped('azure.other-table', `Log Analytics table ${JSON.stringify(cap(name, 64))}`, origin);
};

/**
 * One Log Analytics row as a query returns it (PascalCase columns; `dynamic` columns as objects or JSON
 * text) → {@link AuditEvent}. The `Type` column names the table: SigninLogs,
 * AADNonInteractiveUserSignInLogs, AADServicePrincipalSignInLogs, AADManagedIdentitySignInLogs,
 * AuditLogs, AzureActivity, AZKVAuditLogs or AzureDiagnostics (its Key Vault AuditEvent rows). Called directly on any other table it throws a NormalizeError naming
 * `Type`; `normalize` skips those first ({@link skipLogAnalyticsRow}).
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
