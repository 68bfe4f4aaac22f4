import {
  CloudTrailClient,
  GetEventSelectorsCommand,
  GetTrailCommand,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';
import { EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetBucketNotificationConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { awsPlumbing } from '../../../shared/adapters/aws/plumbing.js';
import { verifyAws } from '../../../shared/core/assure/verify/aws.js';
import { misconfigurationSignals, verifyExitCode } from '../../../shared/core/assure/verify/result.js';
import { parseRegistry } from '../../../shared/core/registry/index.js';
import { AWS_TAMPER_EVENTS } from '../../../shared/runtime/aws/sweep-plan.js';

/**
 * The AWS checks through the SDK adapter, against stubs at the SDK boundary answering as the API
 * references document (GetTrailStatus, GetEventSelectors, GetTrail, ListRules, ListTargetsByRule,
 * GetBucketNotificationConfiguration): every setting passing, then each way it fails.
 */

const TRAIL = 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/org-trail';
const BUS = 'arn:aws:events:eu-west-1:111122223333:event-bus/glasswatch-ingest';
const QUEUE = 'arn:aws:sqs:eu-west-1:111122223333:glasswatch-TrailObjectQueue-9xYz8wVu7tSr';
const pipeline = parseRegistry(
  `accounts: [{ id: r, cloud: aws, match: { arn: "arn:aws:iam::111122223333:root" } }]
pipeline:
  namePrefix: glasswatch
  aws: { trailArn: "${TRAIL}", trailBucket: org-trail-logs-111122223333, forwarderRegions: [eu-west-1, us-east-1] }`,
  'verify.yaml',
).pipeline;

const tamperPattern = JSON.stringify({
  'detail-type': ['AWS API Call via CloudTrail'],
  detail: {
    eventSource: Object.keys(AWS_TAMPER_EVENTS),
    eventName: [...new Set(Object.values(AWS_TAMPER_EVENTS).flat())],
  },
});
const cloudTrail = mockClient(CloudTrailClient);
const eventBridge = mockClient(EventBridgeClient);
const s3 = mockClient(S3Client);
const plumbing = awsPlumbing({
  cloudTrail: new CloudTrailClient({ region: 'eu-west-1' }),
  eventBridge: (region) => new EventBridgeClient({ region }),
  s3: new S3Client({ region: 'eu-west-1' }),
});

function healthy(): void {
  cloudTrail.reset();
  eventBridge.reset();
  s3.reset();
  cloudTrail
    .on(GetTrailStatusCommand)
    .resolves({ IsLogging: true, LatestDeliveryTime: new Date('2026-11-18T10:00:00Z') });
  cloudTrail.on(GetEventSelectorsCommand).resolves({
    TrailARN: TRAIL,
    EventSelectors: [
      { ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] },
    ],
  });
  cloudTrail.on(GetTrailCommand).resolves({
    Trail: {
      Name: 'org-trail',
      TrailARN: TRAIL,
      S3BucketName: 'org-trail-logs-111122223333',
      IsMultiRegionTrail: true,
      IsOrganizationTrail: true,
      HomeRegion: 'eu-west-1',
    },
  });
  eventBridge.on(ListRulesCommand).resolves({
    Rules: [
      {
        Name: 'glasswatch-HomeRegionForwarder-1A-ForwardRule-2B',
        State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
        EventPattern: '{"source":["aws.signin"]}',
      },
      { Name: 'glasswatch-HomeRegionForwarder-1A-TamperForwardRule-3C', State: 'ENABLED', EventPattern: tamperPattern },
    ],
  });
  eventBridge.on(ListTargetsByRuleCommand).resolves({ Targets: [{ Id: 'glasswatch-ingest-bus', Arn: BUS }] });
  s3.on(GetBucketNotificationConfigurationCommand).resolves({
    QueueConfigurations: [{ Id: 'trail-objects', QueueArn: QUEUE, Events: ['s3:ObjectCreated:*'] }],
  });
}

const run = () => verifyAws(plumbing, pipeline, BUS);
const failing = async () => (await run()).filter((r) => r.status === 'fail').map((r) => [r.key, r.detail]);

describe('verify: AWS', () => {
  beforeEach(healthy);

  it('passes every setting of a healthy path (exit 0, every signal clearing)', async () => {
    const results = await run();
    expect(results.filter((r) => r.status !== 'pass')).toEqual([]);
    expect(results.map((r) => r.key)).toEqual(
      expect.arrayContaining([
        'aws.trail.logging',
        'aws.trail.delivery',
        'aws.trail.selectors',
        'aws.trail.multi-region',
        'aws.trail.organization',
        'aws.trail.bucket',
        'aws.rules.present#eu-west-1',
        'aws.rules.present#us-east-1',
        'aws.bucket.notification',
      ]),
    );
    expect(verifyExitCode(results)).toBe(0);
    expect(misconfigurationSignals(results).every((s) => !s.failing)).toBe(true);
  });

  it('fails a stopped trail and a delivery error', async () => {
    cloudTrail.on(GetTrailStatusCommand).resolves({ IsLogging: false, LatestDeliveryError: 'AccessDenied' });
    expect(await failing()).toEqual([
      ['aws.trail.logging', 'IsLogging is false (StopLogging)'],
      ['aws.trail.delivery', 'LatestDeliveryError AccessDenied'],
    ]);
  });

  it('fails selectors that drop management events, basic or advanced', async () => {
    cloudTrail.on(GetEventSelectorsCommand).resolves({
      EventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }],
    });
    expect((await failing()).map(([k]) => k)).toEqual(['aws.trail.selectors']);
    cloudTrail.on(GetEventSelectorsCommand).resolves({
      AdvancedEventSelectors: [
        {
          Name: 'mgmt',
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Management'] },
            { Field: 'readOnly', Equals: ['true'] },
          ],
        },
      ],
    });
    expect((await failing()).map(([k]) => k)).toEqual(['aws.trail.selectors']);
  });

  it('passes advanced selectors that keep every management event', async () => {
    cloudTrail.on(GetEventSelectorsCommand).resolves({
      AdvancedEventSelectors: [{ Name: 'mgmt', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }],
    });
    expect(await failing()).toEqual([]);
  });

  it('fails a single-Region, non-organization trail writing elsewhere', async () => {
    cloudTrail.on(GetTrailCommand).resolves({
      Trail: {
        Name: 'org-trail',
        S3BucketName: 'attacker-bucket',
        IsMultiRegionTrail: false,
        IsOrganizationTrail: false,
      },
    });
    expect((await failing()).map(([k]) => k)).toEqual([
      'aws.trail.multi-region',
      'aws.trail.organization',
      'aws.trail.bucket',
    ]);
  });

  it('fails a disabled rule, a rule targeting elsewhere, a tamper pattern missing actions, a Region without rules', async () => {
    eventBridge.on(ListRulesCommand, { NamePrefix: 'glasswatch-' }).resolves({
      Rules: [
        { Name: 'glasswatch-F-ForwardRule-2B', State: 'DISABLED' },
        {
          Name: 'glasswatch-F-TamperForwardRule-3C',
          State: 'ENABLED',
          EventPattern: '{"detail":{"eventName":["StopLogging"]}}',
        },
      ],
    });
    eventBridge
      .on(ListTargetsByRuleCommand, { Rule: 'glasswatch-F-ForwardRule-2B' })
      .resolves({ Targets: [{ Id: 'x', Arn: 'arn:aws:sqs:eu-west-1:999999999999:elsewhere' }] });
    const keys = (await failing()).map(([k, d]) => `${k}: ${d}`);
    expect(keys).toContain('aws.rule#eu-west-1#glasswatch-F-ForwardRule-2B: state DISABLED');
    expect(keys).toContain(
      'aws.rule#eu-west-1#glasswatch-F-TamperForwardRule-3C: pattern no longer lists every tamper action of the table',
    );
    eventBridge.on(ListRulesCommand).resolves({ Rules: [] });
    expect((await failing()).map(([k]) => k)).toEqual(['aws.rules.present#eu-west-1', 'aws.rules.present#us-east-1']);
  });

  it('fails a rule whose target is no longer the ingest bus', async () => {
    eventBridge.on(ListTargetsByRuleCommand).resolves({ Targets: [] });
    expect((await failing()).every(([, d]) => d === 'targets nothing')).toBe(true);
  });

  it('fails the bucket notification removed or pointed at another queue', async () => {
    s3.on(GetBucketNotificationConfigurationCommand).resolves({});
    expect(await failing()).toEqual([['aws.bucket.notification', 'no queue notification']]);
    s3.on(GetBucketNotificationConfigurationCommand).resolves({
      QueueConfigurations: [{ QueueArn: 'arn:aws:sqs:eu-west-1:111122223333:other', Events: ['s3:ObjectCreated:*'] }],
    });
    expect((await failing()).map(([k]) => k)).toEqual(['aws.bucket.notification']);
  });

  it('reports a call it may not make against its check, and the rest still run', async () => {
    cloudTrail.on(GetTrailStatusCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: cloudtrail:GetTrailStatus'), {
        name: 'AccessDeniedException',
      }),
    );
    const results = await run();
    expect(results.find((r) => r.key === 'aws.trail')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('could not read'),
    });
    expect(results.find((r) => r.key === 'aws.bucket.notification')?.status).toBe('pass');
    expect(verifyExitCode(results)).toBe(6);
  });

  it('explains what it could not check without a pipeline section (exit 7)', async () => {
    const results = await verifyAws(plumbing, undefined);
    expect(results.map((r) => r.status)).toEqual(['unchecked', 'unchecked', 'unchecked']);
    expect(results.map((r) => r.detail).join('\n')).toContain('pipeline.aws.trailArn not in the registry');
    expect(verifyExitCode(results)).toBe(7);
    expect(misconfigurationSignals(results)).toEqual([]);
  });
});

describe('the README’s verified settings', () => {
  it('name every setting the AWS checks report', async () => {
    healthy();
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    for (const result of await run()) {
      if (result.key.includes('#')) continue; // per Region and rule: the README names the kind
      expect(readme, result.setting).toContain(result.setting);
    }
    expect(readme).toContain('each rule enabled, targeting the ingest bus');
  });
});
