import { EnvelopeError } from '../errors.js';
import { isObject, type JsonObject } from '../fields.js';
import type { Envelope, RawRecord } from '../types.js';
import { ACTIVITY_LOG_FORMAT, isActivityLogEvent } from './activity-log.js';
import { DIAGNOSTIC_FORMAT } from './diagnostic.js';
import { GRAPH_DIRECTORY_AUDIT_FORMAT, isGraphDirectoryAudit } from './graph-directory-audit.js';
import { GRAPH_SIGN_IN_FORMAT, isGraphSignIn } from './graph-sign-in.js';
import { LOG_ANALYTICS_FORMAT } from './log-analytics.js';
import { LOG_ANALYTICS_TABLES, logAnalyticsTableName } from './tables.js';

/**
 * The transports Azure records arrive in: Event Hub batches of diagnostic records, single diagnostic
 * records (storage-archive `PT1H.json` lines, bare records), Log Analytics query results (the REST
 * API's tables of rows) and single rows (exports, one JSON per line), and the Activity Log as the REST
 * API returns it (a `{"value":[…], "nextLink"}` page, or single events: `az monitor activity-log list`
 * prints a JSON array of them), and Entra sign-ins and directory audits as Microsoft Graph returns them
 * (pages and objects).
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

/**
 * One diagnostic record on its own: a line of a storage-account archive (`PT1H.json` has been JSON
 * Lines, one record per line with no `records` wrapper, since 2018-11-01: "Prepare for format change to
 * Azure Monitor platform logs archived to a storage account",
 * https://learn.microsoft.com/azure/azure-monitor/essentials/resource-logs-blob-format), or a bare
 * record. The keys every diagnostic record has: `time`, `category` and `operationName` or `resourceId`.
 */
export const diagnosticRecordEnvelope: Envelope = {
  name: 'diagnostic-record',
  matches(doc) {
    return (
      Object.hasOwn(doc, 'time') &&
      Object.hasOwn(doc, 'category') &&
      (Object.hasOwn(doc, 'operationName') || Object.hasOwn(doc, 'resourceId'))
    );
  },
  open(doc, origin) {
    return [{ format: DIAGNOSTIC_FORMAT, value: doc, origin }];
  },
};

/**
 * A page of the Activity Log REST API, subscription or tenant scope: `{"value":[EventData…],
 * "nextLink"}`. Each element is read with its index; one that is not an event is reported by the
 * normalizer with that index. An empty page holds nothing.
 */
export const activityLogPageEnvelope: Envelope = {
  name: 'activity-log-page',
  matches(doc) {
    const value = doc.value;
    if (!Array.isArray(value)) return false;
    const first: unknown = value[0];
    return value.length === 0 || (isObject(first) && isActivityLogEvent(first));
  },
  open(doc, origin) {
    const events = doc.value as unknown[];
    return events.map((value, index) => ({ format: ACTIVITY_LOG_FORMAT, value, origin: { ...origin, index } }));
  },
};

/**
 * A page of Microsoft Graph sign-ins (`GET /auditLogs/signIns`, `az rest`, Graph PowerShell `-OutputType
 * Json`): `{"@odata.context": "…#auditLogs/signIns", "value":[signIn…], "@odata.nextLink"}`. Recognised by
 * its first element (or, for an empty page, the context naming signIns).
 */
export const graphSignInPageEnvelope: Envelope = {
  name: 'graph-sign-in-page',
  matches(doc) {
    const value = doc.value;
    if (!Array.isArray(value)) return false;
    const first: unknown = value[0];
    if (first === undefined) return typeof doc['@odata.context'] === 'string' && /signIns/i.test(doc['@odata.context']);
    return isObject(first) && isGraphSignIn(first);
  },
  open(doc, origin) {
    const signIns = doc.value as unknown[];
    return signIns.map((value, index) => ({ format: GRAPH_SIGN_IN_FORMAT, value, origin: { ...origin, index } }));
  },
};

/** One Graph `signIn` object (a line of an export, `GET /auditLogs/signIns/{id}`). */
export const graphSignInEnvelope: Envelope = {
  name: 'graph-sign-in',
  matches: isGraphSignIn,
  open(doc, origin) {
    return [{ format: GRAPH_SIGN_IN_FORMAT, value: doc, origin }];
  },
};

/**
 * A page of Microsoft Graph `GET /auditLogs/directoryAudits`: `{"@odata.context", "value":[directoryAudit…],
 * "@odata.nextLink"}`, recognised by its first element. https://learn.microsoft.com/graph/api/directoryaudit-list
 */
export const graphDirectoryAuditPageEnvelope: Envelope = {
  name: 'graph-directory-audit-page',
  matches(doc) {
    const value = doc.value;
    const first: unknown = Array.isArray(value) ? value[0] : undefined;
    return isObject(first) && isGraphDirectoryAudit(first);
  },
  open(doc, origin) {
    const audits = doc.value as unknown[];
    return audits.map((value, index) => ({
      format: GRAPH_DIRECTORY_AUDIT_FORMAT,
      value,
      origin: { ...origin, index },
    }));
  },
};

/** One Graph `directoryAudit` on its own (a line, or an element of an exported array). */
export const graphDirectoryAuditEnvelope: Envelope = {
  name: 'graph-directory-audit',
  matches: isGraphDirectoryAudit,
  open(doc, origin) {
    return [{ format: GRAPH_DIRECTORY_AUDIT_FORMAT, value: doc, origin }];
  },
};

/** One Activity Log event (EventData): an element of `az monitor activity-log list` output, or a line. */
export const activityLogEventEnvelope: Envelope = {
  name: 'activity-log-event',
  matches: isActivityLogEvent,
  open(doc, origin) {
    return [{ format: ACTIVITY_LOG_FORMAT, value: doc, origin }];
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
  graphSignInPageEnvelope,
  graphDirectoryAuditPageEnvelope,
  activityLogPageEnvelope,
  graphDirectoryAuditEnvelope,
  activityLogEventEnvelope,
  graphSignInEnvelope,
  diagnosticRecordEnvelope,
];
