import { EnvelopeError } from '../errors.js';
import { isObject, type JsonObject } from '../fields.js';
import type { Envelope, RawRecord } from '../types.js';
import { DIAGNOSTIC_FORMAT } from './diagnostic.js';
import { LOG_ANALYTICS_FORMAT } from './log-analytics.js';
import { LOG_ANALYTICS_TABLES, logAnalyticsTableName } from './tables.js';

/**
 * The transports Azure records arrive in: Event Hub batches of diagnostic records, Log Analytics query
 * results (the REST API's tables of rows), and single Log Analytics rows (exports, one JSON per line).
 */

/** Event Hub (and storage) diagnostic batches: `{"records":[…]}`, one record per element. */
export const eventHubRecordsEnvelope: Envelope = {
  name: 'event-hub-records',
  matches(doc) {
    return Array.isArray(doc.records);
  },
  open(doc, origin) {
    const records = doc.records as unknown[];
    return records.map((value, index) => ({ format: DIAGNOSTIC_FORMAT, value, origin: { ...origin, index } }));
  },
};

/**
 * A Log Analytics query API response: `{"tables":[{"name","columns":[{"name","type"}],"rows":[[…]]}]}`.
 * Rows become objects keyed by column name; `dynamic` values stay JSON text for the normalizer to parse.
 * `index` counts rows across tables. https://learn.microsoft.com/azure/azure-monitor/logs/api/response-format
 */
export const logAnalyticsQueryResultEnvelope: Envelope = {
  name: 'log-analytics-query-result',
  matches(doc) {
    return Array.isArray(doc.tables);
  },
  open(doc, origin) {
    const out: RawRecord[] = [];
    (doc.tables as unknown[]).forEach((table, t) => {
      const where = `Log Analytics result tables[${t}]`;
      if (!isObject(table)) throw new EnvelopeError(origin, `${where} is not an object`);
      const columns = columnNames(table, where, origin);
      const rows = table.rows;
      if (!Array.isArray(rows)) throw new EnvelopeError(origin, `${where}.rows is not an array`);
      rows.forEach((row, r) => {
        if (!Array.isArray(row) || row.length !== columns.length) {
          throw new EnvelopeError(origin, `${where}.rows[${r}] is not an array of ${columns.length} values`);
        }
        // fromEntries defines own properties: a column named "__proto__" cannot change the prototype.
        const value = Object.fromEntries(columns.map((name, c) => [name, row[c]]));
        out.push({ format: LOG_ANALYTICS_FORMAT, value, origin: { ...origin, index: out.length } });
      });
    });
    return out;
  },
};

/**
 * One Log Analytics row: a `Type` (or `$table`) naming a table Glasswatch reads, or `TimeGenerated` with
 * `TenantId` or a column that identifies the table. A row of another table with `TimeGenerated` and
 * `TenantId` still matches, so the normalizer reports it as an unsupported table by name.
 */
export const logAnalyticsRowEnvelope: Envelope = {
  name: 'log-analytics-row',
  matches(doc) {
    const table = logAnalyticsTableName(doc);
    if (table !== undefined && LOG_ANALYTICS_TABLES.has(table)) return true;
    return Object.hasOwn(doc, 'TimeGenerated') && (Object.hasOwn(doc, 'TenantId') || table !== undefined);
  },
  open(doc, origin) {
    return [{ format: LOG_ANALYTICS_FORMAT, value: doc, origin }];
  },
};

function columnNames(table: JsonObject, where: string, origin: RawRecord['origin']): string[] {
  const columns = table.columns;
  if (!Array.isArray(columns)) throw new EnvelopeError(origin, `${where}.columns is not an array`);
  return columns.map((column, c) => {
    const name = isObject(column) ? column.name : undefined;
    if (typeof name !== 'string' || name === '') {
      throw new EnvelopeError(origin, `${where}.columns[${c}] has no name`);
    }
    return name;
  });
}

/**
 * The Azure envelopes, in the order to try them. A dispatcher takes the first whose `matches` is true.
 *
 * @example
 * const envelope = azureEnvelopes.find((e) => e.matches(body));
 * const records = envelope?.open(body, { location: 'eventhub:entra-signin/partition 3' }) ?? [];
 */
export const azureEnvelopes: Envelope[] = [
  eventHubRecordsEnvelope,
  logAnalyticsQueryResultEnvelope,
  logAnalyticsRowEnvelope,
];
