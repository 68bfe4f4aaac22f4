import { z } from 'zod';

/**
 * The registry's `pipeline:` section: the names and ARNs the deployment gave Glasswatch's own delivery
 * path, so the audit-tamper rule can tell a call on that path from the same call on anything else, and
 * `glasswatch verify` knows what to read back. Every field is optional: a resource the registry does
 * not name cannot be told apart, so calls on every resource of that kind fire (a miss is worse than
 * noise) and verify reports it as not checked.
 */

const awsArn = (service: string) =>
  z.string().regex(new RegExp(`^arn:aws[a-z-]*:${service}:[a-z0-9-]*:\\d{12}:.+$`), `an ${service} ARN`);
const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS Region such as eu-west-1');
const stackName = z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, 'a CloudFormation stack name');
const gcpName = (kind: string, example: string) =>
  z.string().regex(new RegExp(`^(projects|organizations|folders)/[^/]+/.*${kind}/[^/]+$`), `a full name: ${example}`);
const azureId = z
  .string()
  .regex(/^\/(subscriptions|providers)\//i, 'an Azure resource id starting /subscriptions/ or /providers/');

export const pipelineSchema = z
  .object({
    /**
     * The main stack's name. CloudFormation names what it creates `<stack>-<LogicalId>-<suffix>` and the
     * template names its buses `<stack>-ingest` and `<stack>-incidents`; functions, queues, rules,
     * schedules and the nested forwarder stack therefore all start with `<stack>-`.
     */
    namePrefix: stackName.optional(),
    aws: z
      .object({
        /** Further stacks of the pipeline: the regional forwarders deployed by name in other Regions. */
        stacks: z.array(stackName).default([]),
        trailArn: awsArn('cloudtrail').optional(),
        trailBucket: z
          .string()
          .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name')
          .optional(),
        trailKmsKeyArn: awsArn('kms').optional(),
        /** Regions where a forwarder runs (the home Region is one of them). */
        forwarderRegions: z.array(region).default([]),
        /** Scheduler groups of the pipeline (the aftermath's, `AftermathScheduleGroupName`). */
        scheduleGroups: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .default({ stacks: [], forwarderRegions: [], scheduleGroups: [] }),
    gcp: z
      .object({
        sink: gcpName('sinks', 'organizations/123/sinks/glasswatch').optional(),
        topic: gcpName('topics', 'projects/p/topics/glasswatch').optional(),
        subscription: gcpName('subscriptions', 'projects/p/subscriptions/glasswatch-push').optional(),
        /** The URL the push subscription delivers to (Terraform output `function_uri`), compared by verify. */
        pushEndpoint: z.url({ protocol: /^https$/ }).optional(),
        /** The push function (a Cloud Run function is also a Cloud Run service of the same name). */
        pushFunction: gcpName('functions', 'projects/p/locations/europe-west1/functions/glasswatch').optional(),
        /** Log buckets the pull path reads (`projects/p/locations/global/buckets/_Default`). */
        logBuckets: z.array(gcpName('buckets', 'projects/p/locations/global/buckets/_Default')).default([]),
        /** A bucket retention below this is tampering; 30 days is `_Default`'s own. */
        minRetentionDays: z.number().int().min(1).max(3650).default(30),
      })
      .strict()
      .optional(),
    azure: z
      .object({
        /** Each diagnostic setting of the Azure path and the log categories it must carry. */
        diagnosticSettings: z
          .array(z.object({ id: azureId, categories: z.array(z.string().min(1)).min(1) }).strict())
          .default([]),
        /** Resource ids of the Event Hub namespace and of the hub the Event Hub consumer reads. */
        eventHubNamespace: azureId.optional(),
        eventHub: azureId.optional(),
        /** Resource id of the Log Analytics workspace the poller reads. */
        workspace: azureId.optional(),
        /** A table retention below this is tampering; 90 days is what Sentinel-enabled workspaces keep free. */
        minRetentionDays: z.number().int().min(1).max(4383).default(90),
      })
      .strict()
      .optional(),
  })
  .strict();

export type Pipeline = z.output<typeof pipelineSchema>;
