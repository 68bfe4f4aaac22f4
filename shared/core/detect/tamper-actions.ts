import type { ActionTable } from './action-table.js';

/**
 * Actions that stop, delete or weaken audit logging, or the delivery of audit events to Glasswatch.
 * One table: the audit-tamper rule matches it, and the AWS sweeper and forwarding rules derive their
 * event names from it.
 */
export const TAMPER_ACTIONS: ActionTable = {
  aws: [
    {
      service: 'cloudtrail.amazonaws.com',
      actions: [
        'StopLogging',
        'DeleteTrail',
        'UpdateTrail',
        'PutEventSelectors',
        'PutInsightSelectors',
        'DeleteEventDataStore',
        'StopEventDataStoreIngestion',
        'UpdateEventDataStore',
      ],
    },
    // The EventBridge rule that forwards CloudTrail events to the pipeline.
    { service: 'events.amazonaws.com', actions: ['DisableRule', 'DeleteRule', 'RemoveTargets'] },
    // A member account leaving the organization drops out of the organization trail.
    { service: 'organizations.amazonaws.com', actions: ['LeaveOrganization'] },
  ],
  gcp: [
    {
      service: 'logging.googleapis.com',
      // google.logging.v2.ConfigServiceV2.DeleteSink …, and LoggingServiceV2.DeleteLog (deletes entries).
      actions: ['DeleteSink', 'UpdateSink', 'CreateExclusion', 'UpdateExclusion', 'DeleteBucket', 'DeleteLog'],
    },
  ],
  azure: [
    {
      actions: ['Microsoft.Insights/diagnosticSettings/delete', 'Microsoft.AADIAM/diagnosticSettings/delete'],
    },
  ],
};
