import {
  CloudTrailClient,
  GetEventSelectorsCommand,
  GetTrailCommand,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';
import { ListRulesCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAssuranceStore } from '../../../shared/adapters/dynamodb/assurance-store.js';
import { AWS_TAMPER_EVENTS } from '../../../shared/runtime/aws/sweep-plan.js';
import { PagerDutyServer } from '../../support/vendor-servers/pagerduty.js';
import { type LocalStack, lambdaContext, startLocalStack } from '../aws/support/stack.js';
import { CREDENTIALS } from '../responders/harness.js';

/**
 * The scheduled verify as Lambda runs it (functions/assure/verify.ts): the registry from the
 * environment, CloudTrail and EventBridge stubbed at the SDK boundary (no local servers exist), each
 * result stored in the incident table on dynalite, pipeline.misconfigured paged to the PagerDuty
 * contract server once and resolved when fixed.
 */

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;
const TRAIL = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail';
const BUS = 'arn:aws:events:us-east-1:111122223333:event-bus/glasswatch-ingest';
const cloudTrail = mockClient(CloudTrailClient);
let stack: LocalStack;
let pagerDuty: PagerDutyServer;
let verify: Handler;

beforeAll(async () => {
  pagerDuty = await new PagerDutyServer().start();
  stack = await startLocalStack(
    `
accounts:
  - { id: aws-root, cloud: aws, match: { arn: "arn:aws:iam::111122223333:root" } }
  - { id: entra-ea, cloud: azure, match: { userPrincipalName: ea@contoso.onmicrosoft.com } }
responders:
  pagerduty: { eventsUrl: "${pagerDuty.eventsUrl}", routingKey: ${CREDENTIALS.routingKey} }
  retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 2000 }
pipeline:
  namePrefix: glasswatch
  aws: { trailArn: "${TRAIL}", forwarderRegions: [us-east-1] }
  azure:
    diagnosticSettings: [{ id: /providers/microsoft.aadiam/diagnosticSettings/glasswatch, categories: [SignInLogs] }]
`,
    { GLASSWATCH_INGEST_BUS_ARN: BUS },
  );
  await stack.useFreshTables();
  cloudTrail.on(GetTrailStatusCommand).resolves({ IsLogging: false });
  cloudTrail
    .on(GetEventSelectorsCommand)
    .resolves({ EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] });
  cloudTrail.on(GetTrailCommand).resolves({ Trail: { IsMultiRegionTrail: true, IsOrganizationTrail: true } });
  const pattern = JSON.stringify({
    detail: { eventSource: Object.keys(AWS_TAMPER_EVENTS), eventName: Object.values(AWS_TAMPER_EVENTS).flat() },
  });
  stack.eventBridge.on(ListRulesCommand).resolves({
    Rules: [
      { Name: 'glasswatch-H-ForwardRule-1', State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' },
      { Name: 'glasswatch-H-TamperForwardRule-2', State: 'ENABLED', EventPattern: pattern },
    ],
  });
  stack.eventBridge.on(ListTargetsByRuleCommand).resolves({ Targets: [{ Id: 'bus', Arn: BUS }] });
  ({ handler: verify } = (await import('../../../functions/assure/verify.js')) as unknown as { handler: Handler });
});
afterAll(async () => {
  cloudTrail.restore();
  await stack?.close();
  await pagerDuty?.close();
});

const stored = async () =>
  (await new DynamoAssuranceStore(stack.dynamo.client, stack.tableName).listChecks()).map(
    (c) => `${c.status} ${c.key}: ${c.detail}`,
  );

describe('verify function', () => {
  it('stores every check’s result, pages the failing setting once and resolves it when fixed', async () => {
    expect(await verify({}, lambdaContext())).toEqual({ opened: 1, resolved: 0, undelivered: 0 });
    expect(await stored()).toEqual([
      'fail aws.trail.logging: IsLogging is false (StopLogging)',
      'pass aws.trail.delivery: as deployed',
      'pass aws.trail.selectors: as deployed',
      'pass aws.trail.multi-region: as deployed',
      'pass aws.trail.organization: as deployed',
      'pass aws.rules.present#us-east-1: as deployed',
      'pass aws.rule#us-east-1#glasswatch-H-ForwardRule-1: as deployed',
      'pass aws.rule#us-east-1#glasswatch-H-TamperForwardRule-2: as deployed',
      'unchecked aws.bucket.notification: pipeline.aws.trailBucket and pipeline.namePrefix not both in the registry',
      'unchecked gcp.sink: pipeline.gcp.sink not in the registry',
      'unchecked gcp.pubsub.topic: pipeline.gcp.topic not in the registry',
      'unchecked gcp.pubsub.subscription: pipeline.gcp.subscription not in the registry',
      'unchecked azure.settings: no Azure credentials in this run',
    ]);
    const triggers = () =>
      pagerDuty.received
        .map((r) => r.body as { event_action?: string; payload?: { summary?: string } })
        .filter((b) => b.event_action === 'trigger');
    expect(triggers().map((t) => t.payload?.summary)).toEqual([
      expect.stringMatching(/trail is logging: IsLogging is false/),
    ]);
    expect(await verify({}, lambdaContext())).toEqual({ opened: 0, resolved: 0, undelivered: 0 });
    cloudTrail.on(GetTrailStatusCommand).resolves({ IsLogging: true });
    expect(await verify({}, lambdaContext())).toEqual({ opened: 0, resolved: 1, undelivered: 0 });
    expect((await stored())[0]).toBe('pass aws.trail.logging: as deployed');
    expect(triggers()).toHaveLength(1);
  });
});
