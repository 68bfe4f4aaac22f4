/** Azure: Entra sign-in and audit logs and the Activity log, as Log Analytics rows, diagnostic records or REST (Activity Log, Graph directoryAudits). */
export { ACTIVITY_LOG_FORMAT, isActivityLogEvent, normalizeActivityLogEvent } from './activity-log.js';
export { DIAGNOSTIC_FORMAT, normalizeAzureDiagnostic } from './diagnostic.js';
export {
  activityLogEventEnvelope,
  activityLogPageEnvelope,
  azureEnvelopes,
  diagnosticRecordEnvelope,
  eventHubRecordsEnvelope,
  graphDirectoryAuditEnvelope,
  graphDirectoryAuditPageEnvelope,
  graphSignInEnvelope,
  graphSignInPageEnvelope,
  logAnalyticsQueryResultEnvelope,
  logAnalyticsRowEnvelope,
} from './envelopes.js';
export {
  GRAPH_DIRECTORY_AUDIT_FORMAT,
  isGraphDirectoryAudit,
  normalizeGraphDirectoryAudit,
} from './graph-directory-audit.js';
export { GRAPH_SIGN_IN_FORMAT, isGraphSignIn, normalizeGraphSignIn } from './graph-sign-in.js';
export { LOG_ANALYTICS_FORMAT, normalizeLogAnalyticsRow } from './log-analytics.js';
