import {
  type CloudTrailClient,
  GetEventSelectorsCommand,
  GetTrailCommand,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';
import { type EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetBucketNotificationConfigurationCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AwsPlumbing } from '../../core/assure/verify/aws.js';

/**
 * The AWS side of `glasswatch verify`: CloudTrail GetTrailStatus / GetEventSelectors / GetTrail in the
 * trail's home Region, EventBridge ListRules / ListTargetsByRule on the default bus of each forwarder
 * Region, S3 GetBucketNotificationConfiguration of the trail bucket. Read-only calls only.
 */
export interface AwsPlumbingClients {
  cloudTrail: CloudTrailClient;
  eventBridge: (region: string) => EventBridgeClient;
  s3: S3Client;
}

export function awsPlumbing(clients: AwsPlumbingClients): AwsPlumbing {
  return {
    async trailStatus(trail) {
      const out = await clients.cloudTrail.send(new GetTrailStatusCommand({ Name: trail }));
      return {
        isLogging: out.IsLogging === true,
        ...(out.LatestDeliveryError ? { latestDeliveryError: out.LatestDeliveryError } : {}),
      };
    },
    async trail(trail) {
      const out = await clients.cloudTrail.send(new GetTrailCommand({ Name: trail }));
      return {
        isMultiRegionTrail: out.Trail?.IsMultiRegionTrail === true,
        isOrganizationTrail: out.Trail?.IsOrganizationTrail === true,
        ...(out.Trail?.S3BucketName ? { s3BucketName: out.Trail.S3BucketName } : {}),
      };
    },
    async eventSelectors(trail) {
      const out = await clients.cloudTrail.send(new GetEventSelectorsCommand({ TrailName: trail }));
      return {
        ...(out.EventSelectors ? { eventSelectors: out.EventSelectors } : {}),
        ...(out.AdvancedEventSelectors ? { advancedEventSelectors: out.AdvancedEventSelectors } : {}),
      };
    },
    async rules(region, prefix) {
      const client = clients.eventBridge(region);
      const rules: Awaited<ReturnType<AwsPlumbing['rules']>> = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListRulesCommand({ NamePrefix: prefix, NextToken: token }));
        for (const rule of page.Rules ?? []) {
          if (!rule.Name) continue;
          const targets = await client.send(new ListTargetsByRuleCommand({ Rule: rule.Name }));
          rules.push({
            name: rule.Name,
            state: rule.State ?? 'UNKNOWN',
            ...(rule.EventPattern ? { eventPattern: rule.EventPattern } : {}),
            targetArns: (targets.Targets ?? []).flatMap((t) => (t.Arn ? [t.Arn] : [])),
          });
        }
        token = page.NextToken;
      } while (token);
      return rules;
    },
    async bucketQueues(bucket) {
      const out = await clients.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
      return (out.QueueConfigurations ?? []).flatMap((q) =>
        q.QueueArn ? [{ queueArn: q.QueueArn, events: (q.Events ?? []).map(String) }] : [],
      );
    },
  };
}
