import type { AuditEvent, EventOrigin } from '../../model/audit-event.js';
import { FieldReader, isObject, type JsonObject } from '../fields.js';
import type { Normalizer, RecordFormat } from '../types.js';
import { normalizeActivity } from './activity.js';
import { AzureRecord } from './record.js';
import type { AzureTable } from './tables.js';

export const ACTIVITY_LOG_FORMAT: RecordFormat = 'azure.activity-log';

const ACTIVITY_LOG: AzureTable = { name: 'Activity Log', kind: 'activity' };

/**
 * Cheap shape check for one EventData (an element of the REST `value` array, of `az monitor
 * activity-log list` output, or of `Get-AzTenantActivityLog`): `eventTimestamp` and an
 * `operationName` object, or an `eventDataId`. The diagnostic-settings spelling has `time` instead.
 */
export function isActivityLogEvent(doc: JsonObject): boolean {
  return Object.hasOwn(doc, 'eventTimestamp') && (isObject(doc.operationName) || Object.hasOwn(doc, 'eventDataId'));
}

/**
 * One Activity Log event as the REST API returns it, at subscription scope
 * (`/subscriptions/{id}/providers/Microsoft.Insights/eventtypes/management/values`) and at tenant scope
 * (`/providers/Microsoft.Insights/eventtypes/management/values`, where `microsoft.aadiam/diagnosticSettings/*`
 * changes are logged) → the same {@link AuditEvent} as the AzureActivity row and the diagnostic record
 * of that event (same id: correlation id, operation, status and `eventTimestamp`). `action` is
 * `operationName.value` as written (`microsoft.aadiam/diagnosticSettings/write`).
 * https://learn.microsoft.com/rest/api/monitor/activity-logs/list
 * https://learn.microsoft.com/rest/api/monitor/tenant-activity-logs/list
 *
 * @example
 * const events = page.value.map((e, index) => normalizeActivityLogEvent(e, { location: 'tenant-activity.json', index }));
 */
export const normalizeActivityLogEvent: Normalizer = (value: unknown, origin: EventOrigin): AuditEvent => {
  const reader = new FieldReader(ACTIVITY_LOG_FORMAT, origin);
  return normalizeActivity(new AzureRecord(reader, reader.root(value), 'rest', ACTIVITY_LOG));
};
