import type { EventOrigin } from '../model/audit-event.js';

/**
 * Well-formed records of a kind Glasswatch does not read. A skip is an expected outcome, returned (never
 * thrown): it is counted per kind in the replay summary and in the Lambda metrics, and never reaches a
 * dead-letter queue or `batchItemFailures`. Only a malformed or unreadable record is an error.
 *
 * One entry per kind with the page that documents it; what each is and why it is not read is the
 * README's "Skipped, not failed" table (kept out of the bundles), which a test checks against this one.
 */
export const SKIP_KINDS = {
  /** CloudTrail Insights (EventBridge `AWS Insight via CloudTrail`, `AwsCloudTrailInsight` records): no principal. */
  'aws.insight': 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-insights-events.html',
  /** `Sign-in Anomaly Alert` from `aws.signin`: no documented detail schema (see aws/detail-types.ts). */
  'aws.signin-anomaly-alert': 'https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-signin.html',
  /** EventBridge events of any other detail-type: no CloudTrail record inside. */
  'aws.other-event': 'https://docs.aws.amazon.com/eventbridge/latest/ref/events-structure.html',
  /** Diagnostic records of other categories (resource logs such as StorageRead). */
  'azure.other-category': 'https://learn.microsoft.com/azure/azure-monitor/essentials/resource-logs-schema',
  /** Log Analytics rows of other tables (Heartbeat, …). */
  'azure.other-table': 'https://learn.microsoft.com/azure/azure-monitor/reference/tables-index',
  /** Vault `type: request` audit entries: the `response` entry of the same request id is read. */
  'vault.request': 'https://developer.hashicorp.com/vault/docs/audit/schema',
  /** Vault response entries of operations no rule reads (`list`, `help`, `renew`, `revoke`, …). */
  'vault.other-operation': 'https://developer.hashicorp.com/vault/docs/audit/schema',
  /** Vault entries of other kinds: Vault Enterprise KMIP `kmip-request` / `kmip-response` (no KV path). */
  'vault.other-entry': 'https://developer.hashicorp.com/vault/docs/secrets/kmip',
} as const;

export type SkipKind = keyof typeof SKIP_KINDS;

/**
 * One well-formed record (or whole document, for an EventBridge event) not read, with the kind and a
 * reason naming what it was (`detail-type "AWS Insight via CloudTrail"`, `category "StorageRead"`).
 *
 * @example
 * const result = normalize(record);
 * if (result instanceof Skipped) counts[result.kind]++; else detect(result);
 */
export class Skipped {
  constructor(
    readonly kind: SkipKind,
    readonly reason: string,
    readonly origin: EventOrigin,
  ) {}
}
