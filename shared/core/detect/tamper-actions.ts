import type { Cloud } from '../model/audit-event.js';
import type { Severity } from '../model/finding.js';
import type { ActionTable } from './action-table.js';
import * as aws from './tamper/aws.js';
import * as azure from './tamper/azure.js';
import type { TamperCheck } from './tamper/fields.js';
import * as gcp from './tamper/gcp.js';

/**
 * Every documented way to stop, delete or weaken audit logging or its delivery to Glasswatch. ONE
 * table: the audit-tamper rule matches it; the AWS forwarding rule (infra/regional-forwarder.yaml),
 * the sweeper's LookupEvents names, the GCP sink filter, the KQL and the README's list derive from it
 * (tests check each covers every entry). `when` narrows an entry to calls on the path the registry's
 * `pipeline:` section names (a resource it does not name, or a record that does not say, fires).
 * Failed attempts fire too: an attempt to blind us is news even when it was denied.
 */
export interface TamperEntry {
  readonly cloud: Cloud;
  /** eventSource / serviceName; absent: whatever service logged it (Azure operations carry their provider). */
  readonly service?: string;
  /** Names as the log writes them, every documented spelling (Lambda's carry API versions). */
  readonly actions: readonly string[];
  /** For the README: what the entry catches. */
  readonly what: string;
  readonly when?: TamperCheck;
  readonly severity: Severity;
  /**
   * true: page now; false: a ticket (or, with no ticketer, a page) — the change is routine for
   * deployments. `'unless-deployed'` (AWS): a ticket when CloudFormation made the call (as every
   * deployment does: `userIdentity.invokedBy` and `sourceIPAddress` are `cloudformation.amazonaws.com`,
   * both set by AWS), a page when someone made it directly.
   */
  readonly pagesAtOnce: boolean | 'unless-deployed';
  /** The page the record shape and names were taken from. */
  readonly doc: string;
  /** GCP: the Cloud Logging clause selecting these entries, when the method names alone would be too broad. */
  readonly logFilter?: string;
}

// Names and pages used more than once are constants: every function bundle carries this table, and
// a repeated literal costs its length each time (the minifier does not share strings).
const AWS_DOCS = 'https://docs.aws.amazon.com';
const GCP_DOCS = 'https://cloud.google.com';
const MS_DOCS = 'https://learn.microsoft.com';
const CT = 'cloudtrail.amazonaws.com';
const CT_API = `${AWS_DOCS}/awscloudtrail/latest/APIReference`;
const LAMBDA_DOC = `${AWS_DOCS}/lambda/latest/dg/logging-using-cloudtrail.html`;
const LOGGING_AUDIT = `${GCP_DOCS}/logging/docs/audit/understanding-audit-logs`;
const ACTIVITY_SCHEMA = `${MS_DOCS}/azure/azure-monitor/essentials/activity-log-schema`;
const [EVENTS, LAMBDA, S3, KMS, SCHEDULER, SQS, CFN] = [
  'events',
  'lambda',
  's3',
  'kms',
  'scheduler',
  'sqs',
  'cloudformation',
].map((s) => `${s}.amazonaws.com`);
const [LOGGING, PUBSUB, FUNCTIONS, RUN] = ['logging', 'pubsub', 'cloudfunctions', 'run'].map(
  (s) => `${s}.googleapis.com`,
);
const EVENT_HUB = 'Microsoft.EventHub/namespaces';
const PUT_RULE_DOC = `${AWS_DOCS}/eventbridge/latest/APIReference/API_PutRule.html`;
const S3_DOC = `${AWS_DOCS}/AmazonS3/latest/userguide/cloudtrail-logging-s3-info.html`;
const SQS_DOC = `${AWS_DOCS}/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-logging-using-cloudtrail.html`;
const SCHEDULER_DOC = `${AWS_DOCS}/scheduler/latest/UserGuide/logging-using-cloudtrail.html`;
const CFN_DOC = `${AWS_DOCS}/AWSCloudFormation/latest/UserGuide/cfn-api-logging-cloudtrail.html`;
const PUBSUB_DOC = `${GCP_DOCS}/pubsub/docs/audit-logging`;
const FUNCTIONS_DOC = `${GCP_DOCS}/functions/docs/monitoring/audit-logging`;
const RUN_DOC = `${GCP_DOCS}/run/docs/audit-logging`;
const RETENTION_DOC = `${MS_DOCS}/azure/azure-monitor/logs/data-retention-configure`;

// biome-ignore format: one entry per line keeps the table readable and greppable.
export const TAMPER_ENTRIES: readonly TamperEntry[] = [
  // AWS, the trail
  { cloud: 'aws', service: CT, actions: ['StopLogging', 'DeleteTrail'], what: 'the trail stopped or deleted', when: aws.trailOfPipeline, severity: 'critical', pagesAtOnce: true, doc: `${CT_API}/API_StopLogging.html` },
  { cloud: 'aws', service: CT, actions: ['UpdateTrail'], what: 'trail moved to another bucket or key, narrowed to one Region, global events or validation off', when: aws.trailWeakened, severity: 'high', pagesAtOnce: true, doc: `${CT_API}/API_UpdateTrail.html` },
  { cloud: 'aws', service: CT, actions: ['PutEventSelectors'], what: 'event selectors that drop management events (read or write)', when: aws.selectorsDropManagement, severity: 'high', pagesAtOnce: true, doc: `${CT_API}/API_PutEventSelectors.html` },
  { cloud: 'aws', service: CT, actions: ['PutInsightSelectors'], what: 'Insights turned off', when: aws.insightsRemoved, severity: 'medium', pagesAtOnce: false, doc: `${CT_API}/API_PutInsightSelectors.html` },
  { cloud: 'aws', service: CT, actions: ['StopEventDataStoreIngestion', 'DeleteEventDataStore'], what: 'CloudTrail Lake ingestion stopped or store deleted', severity: 'critical', pagesAtOnce: true, doc: `${CT_API}/API_StopEventDataStoreIngestion.html` },
  { cloud: 'aws', service: CT, actions: ['UpdateEventDataStore'], what: 'CloudTrail Lake store narrowed, shortened, re-keyed or unprotected', when: aws.eventDataStoreWeakened, severity: 'high', pagesAtOnce: true, doc: `${CT_API}/API_UpdateEventDataStore.html` },
  // AWS, the trail's bucket and key (S3 logs PutBucketLifecycleConfiguration and PutBucketNotificationConfiguration under their old names)
  { cloud: 'aws', service: S3, actions: ['PutBucketPolicy', 'DeleteBucketPolicy', 'PutBucketLifecycle', 'PutBucketNotification'], what: 'policy, lifecycle or notification (the S3 → SQS path) of the trail bucket', when: aws.trailBucket, severity: 'high', pagesAtOnce: true, doc: S3_DOC },
  { cloud: 'aws', service: S3, actions: ['DeleteBucket'], what: 'the trail bucket deleted', when: aws.trailBucket, severity: 'critical', pagesAtOnce: true, doc: S3_DOC },
  { cloud: 'aws', service: KMS, actions: ['ScheduleKeyDeletion', 'DisableKey'], what: 'the trail key disabled or scheduled for deletion', when: aws.trailKey, severity: 'critical', pagesAtOnce: true, doc: `${AWS_DOCS}/kms/latest/developerguide/ct-schedule-key-deletion.html` },
  { cloud: 'aws', service: KMS, actions: ['PutKeyPolicy'], what: 'the trail key policy replaced', when: aws.trailKey, severity: 'high', pagesAtOnce: true, doc: `${AWS_DOCS}/kms/latest/developerguide/ct-put-key-policy.html` },
  // AWS, this pipeline
  { cloud: 'aws', service: EVENTS, actions: ['DisableRule', 'DeleteRule', 'RemoveTargets'], what: 'a Glasswatch rule disabled, deleted or cut from its target', when: aws.ruleOfPipeline, severity: 'critical', pagesAtOnce: true, doc: `${AWS_DOCS}/eventbridge/latest/userguide/logging-cw-api-calls-eventbridge.html` },
  { cloud: 'aws', service: EVENTS, actions: ['PutTargets'], what: 'a Glasswatch rule’s targets replaced (events sent elsewhere)', when: aws.ruleOfPipeline, severity: 'high', pagesAtOnce: 'unless-deployed', doc: `${AWS_DOCS}/eventbridge/latest/APIReference/API_PutTargets.html` },
  { cloud: 'aws', service: EVENTS, actions: ['PutRule'], what: 'a Glasswatch rule disabled by PutRule', when: aws.ruleDisabled, severity: 'critical', pagesAtOnce: true, doc: PUT_RULE_DOC },
  { cloud: 'aws', service: EVENTS, actions: ['PutRule'], what: 'a Glasswatch rule rewritten (pattern or bus)', when: aws.ruleRewritten, severity: 'medium', pagesAtOnce: 'unless-deployed', doc: PUT_RULE_DOC },
  { cloud: 'aws', service: EVENTS, actions: ['DeleteEventBus'], what: 'a Glasswatch bus deleted', when: aws.busOfPipeline, severity: 'critical', pagesAtOnce: true, doc: `${AWS_DOCS}/eventbridge/latest/APIReference/API_DeleteEventBus.html` },
  { cloud: 'aws', service: EVENTS, actions: ['PutPermission', 'RemovePermission'], what: 'who may put events on the ingest bus changed', when: aws.ingestBusPermission, severity: 'high', pagesAtOnce: true, doc: `${AWS_DOCS}/eventbridge/latest/APIReference/API_RemovePermission.html` },
  { cloud: 'aws', service: LAMBDA, actions: ['DeleteFunction20150331', 'DeleteFunction'], what: 'a Glasswatch function deleted', when: aws.functionOfPipeline, severity: 'critical', pagesAtOnce: true, doc: LAMBDA_DOC },
  { cloud: 'aws', service: LAMBDA, actions: ['PutFunctionConcurrency20171031'], what: 'a Glasswatch function throttled to 0', when: aws.concurrencyZero, severity: 'critical', pagesAtOnce: true, doc: LAMBDA_DOC },
  { cloud: 'aws', service: LAMBDA, actions: ['RemovePermission20150331v2', 'RemovePermission20150331'], what: 'a Glasswatch function’s invoke permission removed (EventBridge or S3 can no longer call it)', when: aws.functionOfPipeline, severity: 'high', pagesAtOnce: 'unless-deployed', doc: LAMBDA_DOC },
  { cloud: 'aws', service: LAMBDA, actions: ['UpdateFunctionCode20150331v2', 'UpdateFunctionCode20150331', 'UpdateFunctionConfiguration20150331v2', 'UpdateFunctionConfiguration20150331'], what: 'a Glasswatch function’s code or configuration replaced', when: aws.functionOfPipeline, severity: 'medium', pagesAtOnce: 'unless-deployed', doc: LAMBDA_DOC },
  { cloud: 'aws', service: LAMBDA, actions: ['DeleteEventSourceMapping20150331'], what: 'a Glasswatch queue mapping deleted', when: aws.mappingOfPipeline, severity: 'critical', pagesAtOnce: true, doc: LAMBDA_DOC },
  { cloud: 'aws', service: LAMBDA, actions: ['UpdateEventSourceMapping20150331'], what: 'a Glasswatch queue mapping disabled, filtered or pointed at another function', when: aws.mappingCut, severity: 'critical', pagesAtOnce: true, doc: LAMBDA_DOC },
  { cloud: 'aws', service: SQS, actions: ['PurgeQueue', 'DeleteQueue'], what: 'a Glasswatch queue purged or deleted', when: aws.queueOfPipeline, severity: 'high', pagesAtOnce: true, doc: SQS_DOC },
  { cloud: 'aws', service: SQS, actions: ['SetQueueAttributes'], what: 'a Glasswatch queue’s policy or settings changed', when: aws.queueOfPipeline, severity: 'medium', pagesAtOnce: 'unless-deployed', doc: SQS_DOC },
  { cloud: 'aws', service: SCHEDULER, actions: ['DeleteSchedule'], what: 'a Glasswatch schedule deleted', when: aws.scheduleOfPipeline, severity: 'high', pagesAtOnce: true, doc: SCHEDULER_DOC },
  { cloud: 'aws', service: SCHEDULER, actions: ['DeleteScheduleGroup'], what: 'a Glasswatch schedule group deleted (with every schedule in it)', when: aws.scheduleGroupOfPipeline, severity: 'high', pagesAtOnce: true, doc: `${AWS_DOCS}/scheduler/latest/APIReference/API_DeleteScheduleGroup.html` },
  { cloud: 'aws', service: SCHEDULER, actions: ['UpdateSchedule'], what: 'a Glasswatch schedule disabled', when: aws.scheduleDisabled, severity: 'high', pagesAtOnce: true, doc: SCHEDULER_DOC },
  { cloud: 'aws', service: CFN, actions: ['DeleteStack'], what: 'a Glasswatch stack deleted', when: aws.stackOfPipeline, severity: 'critical', pagesAtOnce: true, doc: CFN_DOC },
  { cloud: 'aws', service: CFN, actions: ['UpdateStack'], what: 'a Glasswatch stack updated outside a change set', when: aws.stackOfPipeline, severity: 'medium', pagesAtOnce: 'unless-deployed', doc: CFN_DOC },
  { cloud: 'aws', service: 'monitoring.amazonaws.com', actions: ['DeleteAlarms', 'DisableAlarmActions'], what: 'a Glasswatch alarm deleted or silenced (silent sources and dead letters page through them)', when: aws.alarmsOfPipeline, severity: 'high', pagesAtOnce: 'unless-deployed', doc: `${AWS_DOCS}/AmazonCloudWatch/latest/monitoring/logging_cw_api_calls.html` },
  { cloud: 'aws', service: 'sns.amazonaws.com', actions: ['DeleteTopic', 'Unsubscribe'], what: 'the Glasswatch alarm topic deleted or a subscriber removed', when: aws.topicOfPipeline, severity: 'high', pagesAtOnce: 'unless-deployed', doc: `${AWS_DOCS}/sns/latest/dg/sns-logging-using-cloudtrail.html` },
  // A member account leaving the organization drops out of the organization trail.
  { cloud: 'aws', service: 'organizations.amazonaws.com', actions: ['LeaveOrganization'], what: 'an account left the organization (and its trail)', severity: 'critical', pagesAtOnce: true, doc: `${AWS_DOCS}/organizations/latest/APIReference/API_LeaveOrganization.html` },
  { cloud: 'aws', service: 'organizations.amazonaws.com', actions: ['DisableAWSServiceAccess'], what: 'CloudTrail’s trusted access to the organization withdrawn (the organization trail stops)', when: aws.cloudTrailAccessDisabled, severity: 'critical', pagesAtOnce: true, doc: `${AWS_DOCS}/organizations/latest/APIReference/API_DisableAWSServiceAccess.html` },

  // GCP (google.logging.v2.ConfigServiceV2.DeleteSink …; LoggingServiceV2.DeleteLog deletes entries)
  { cloud: 'gcp', service: LOGGING, actions: ['DeleteSink'], what: 'the Glasswatch sink deleted', when: gcp.sinkOfPipeline, severity: 'critical', pagesAtOnce: true, doc: LOGGING_AUDIT },
  { cloud: 'gcp', service: LOGGING, actions: ['UpdateSink'], what: 'the Glasswatch sink’s filter, destination or exclusions changed', when: gcp.sinkOfPipeline, severity: 'high', pagesAtOnce: true, doc: LOGGING_AUDIT },
  { cloud: 'gcp', service: LOGGING, actions: ['CreateExclusion', 'UpdateExclusion', 'DeleteLog'], what: 'entries excluded from the buckets the poller reads, or deleted', when: gcp.inLogBucketProject, severity: 'high', pagesAtOnce: true, doc: LOGGING_AUDIT },
  { cloud: 'gcp', service: LOGGING, actions: ['DeleteBucket'], what: 'a log bucket the poller reads deleted', when: gcp.logBucketOfPipeline, severity: 'critical', pagesAtOnce: true, doc: LOGGING_AUDIT },
  { cloud: 'gcp', service: LOGGING, actions: ['UpdateBucket', 'UpdateBucketAsync'], what: 'a log bucket’s retention lowered below the floor', when: gcp.retentionLowered, severity: 'high', pagesAtOnce: true, doc: `${GCP_DOCS}/logging/docs/reference/v2/rest/v2/projects.locations.buckets/patch` },
  { cloud: 'gcp', actions: ['SetIamPolicy'], what: 'Admin Read or Data Access audit logging removed, or a member exempted (auditConfigs delta; a denied attempt on auditConfigs: unknown)', when: gcp.auditConfigWeakened, severity: 'high', pagesAtOnce: true, doc: `${GCP_DOCS}/logging/docs/audit/configure-data-access`, logFilter: '(protoPayload.methodName:"SetIamPolicy" AND (protoPayload.serviceData.policyDelta.auditConfigDeltas:* OR protoPayload.request.updateMask:"auditConfigs"))' },
  { cloud: 'gcp', service: PUBSUB, actions: ['DeleteTopic'], what: 'the Glasswatch topic deleted', when: gcp.topicOfPipeline, severity: 'critical', pagesAtOnce: true, doc: PUBSUB_DOC },
  { cloud: 'gcp', service: PUBSUB, actions: ['DeleteSubscription', 'DetachSubscription'], what: 'the Glasswatch push subscription deleted or detached from its topic', when: gcp.subscriptionOfPipeline, severity: 'critical', pagesAtOnce: true, doc: PUBSUB_DOC },
  { cloud: 'gcp', service: PUBSUB, actions: ['UpdateSubscription', 'ModifyPushConfig'], what: 'the push subscription’s endpoint changed', when: gcp.pushEndpointChanged, severity: 'high', pagesAtOnce: true, doc: PUBSUB_DOC },
  { cloud: 'gcp', service: PUBSUB, actions: ['SetIamPolicy'], what: 'a binding removed from the Glasswatch topic or push subscription (the sink may no longer publish)', when: gcp.pathIamRemoved, severity: 'high', pagesAtOnce: true, doc: PUBSUB_DOC },
  { cloud: 'gcp', service: FUNCTIONS, actions: ['DeleteFunction'], what: 'the push function deleted', when: gcp.pushFunction, severity: 'critical', pagesAtOnce: true, doc: FUNCTIONS_DOC },
  { cloud: 'gcp', service: FUNCTIONS, actions: ['UpdateFunction'], what: 'the push function replaced', when: gcp.pushFunction, severity: 'medium', pagesAtOnce: false, doc: FUNCTIONS_DOC },
  { cloud: 'gcp', service: FUNCTIONS, actions: ['SetIamPolicy'], what: 'a binding removed from the push function (Pub/Sub may no longer invoke it)', when: gcp.pathIamRemoved, severity: 'high', pagesAtOnce: true, doc: FUNCTIONS_DOC },
  { cloud: 'gcp', service: RUN, actions: ['DeleteService'], what: 'the push function’s Cloud Run service deleted', when: gcp.pushFunction, severity: 'critical', pagesAtOnce: true, doc: RUN_DOC },
  { cloud: 'gcp', service: RUN, actions: ['UpdateService', 'ReplaceService'], what: 'the push function’s Cloud Run service replaced', when: gcp.pushFunction, severity: 'medium', pagesAtOnce: false, doc: RUN_DOC },
  { cloud: 'gcp', service: RUN, actions: ['SetIamPolicy'], what: 'a binding removed from the push function’s Cloud Run service (Pub/Sub may no longer invoke it)', when: gcp.pathIamRemoved, severity: 'high', pagesAtOnce: true, doc: RUN_DOC },

  // Azure and Entra (Entra's own settings are in the tenant-level Activity log)
  { cloud: 'azure', actions: ['Microsoft.Insights/diagnosticSettings/delete', 'Microsoft.AADIAM/diagnosticSettings/delete'], what: 'a diagnostic setting of the Azure path deleted', when: azure.settingOfPipeline, severity: 'critical', pagesAtOnce: true, doc: `${MS_DOCS}/azure/azure-monitor/essentials/diagnostic-settings` },
  { cloud: 'azure', actions: ['Microsoft.Insights/diagnosticSettings/write', 'Microsoft.AADIAM/diagnosticSettings/write'], what: 'a diagnostic setting rewritten without a category its kind needs (the table verify checks) or a destination the registry names (request body)', when: azure.settingWeakened, severity: 'high', pagesAtOnce: true, doc: `${MS_DOCS}/rest/api/monitor/diagnostic-settings/create-or-update` },
  { cloud: 'azure', actions: [`${EVENT_HUB}/delete`], what: 'the Event Hub namespace deleted', when: azure.eventHubNamespaceOfPipeline, severity: 'critical', pagesAtOnce: true, doc: ACTIVITY_SCHEMA },
  { cloud: 'azure', actions: [`${EVENT_HUB}/eventhubs/delete`], what: 'the event hub deleted', when: azure.eventHubOfPipeline, severity: 'critical', pagesAtOnce: true, doc: ACTIVITY_SCHEMA },
  { cloud: 'azure', actions: [`${EVENT_HUB}/eventhubs/consumergroups/delete`, `${EVENT_HUB}/authorizationRules/delete`, `${EVENT_HUB}/eventhubs/authorizationRules/delete`, `${EVENT_HUB}/authorizationRules/regenerateKeys/action`, `${EVENT_HUB}/eventhubs/authorizationRules/regenerateKeys/action`], what: 'the Event Hub consumer’s group or the keys of the path’s namespace deleted or regenerated', when: azure.inEventHubNamespace, severity: 'high', pagesAtOnce: true, doc: `${MS_DOCS}/azure/role-based-access-control/permissions/integration#microsofteventhub` },
  { cloud: 'azure', actions: ['Microsoft.OperationalInsights/workspaces/delete'], what: 'the Log Analytics workspace deleted', when: azure.workspaceOfPipeline, severity: 'critical', pagesAtOnce: true, doc: ACTIVITY_SCHEMA },
  { cloud: 'azure', actions: ['Microsoft.OperationalInsights/workspaces/purge/action'], what: 'data purged from the Log Analytics workspace', when: azure.inWorkspace, severity: 'high', pagesAtOnce: true, doc: `${MS_DOCS}/rest/api/loganalytics/workspace-purge/purge` },
  { cloud: 'azure', actions: ['Microsoft.OperationalInsights/workspaces/write'], what: 'the workspace’s retention (every table on the default) lowered below the floor', when: azure.workspaceRetentionLowered, severity: 'high', pagesAtOnce: true, doc: RETENTION_DOC },
  { cloud: 'azure', actions: ['Microsoft.OperationalInsights/workspaces/tables/write'], what: 'a workspace table’s retention lowered below the floor', when: azure.tableRetentionLowered, severity: 'high', pagesAtOnce: true, doc: RETENTION_DOC },
];

/** The entries as an {@link ActionTable}, one group per (cloud, service), for the derived filters and patterns. */
export const TAMPER_ACTIONS: ActionTable = (() => {
  const byCloud: Partial<Record<Cloud, { service?: string; actions: string[] }[]>> = {};
  for (const entry of TAMPER_ENTRIES) {
    const groups = byCloud[entry.cloud] ?? [];
    byCloud[entry.cloud] = groups;
    const group = groups.find((g) => g.service === entry.service);
    const actions = entry.actions.filter((a) => !group?.actions.includes(a));
    if (group) group.actions.push(...actions);
    else groups.push({ ...(entry.service ? { service: entry.service } : {}), actions });
  }
  return byCloud;
})();
