import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudTrailClient,
  GetEventSelectorsCommand,
  GetTrailCommand,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';
import { EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetBucketNotificationConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AWS_TAMPER_EVENTS } from '../../../shared/runtime/aws/sweep-plan.js';
import { runCli } from '../../support/cli.js';

/** `glasswatch verify` end to end in-process, the AWS SDK stubbed at its boundary (no AWS account). */

const TRAIL = 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/org-trail';
const BASE = 'accounts: [{ id: r, cloud: aws, match: { arn: "arn:aws:iam::111122223333:root" } }]\n';
const PIPELINE = `${BASE}pipeline:
  namePrefix: glasswatch
  aws: { trailArn: "${TRAIL}", trailBucket: org-trail-logs-111122223333, forwarderRegions: [eu-west-1] }
`;
let dir: string;
const cloudTrail = mockClient(CloudTrailClient);
const eventBridge = mockClient(EventBridgeClient);
const s3 = mockClient(S3Client);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-verify-'));
  cloudTrail.reset();
  eventBridge.reset();
  s3.reset();
  cloudTrail.on(GetTrailStatusCommand).resolves({ IsLogging: true });
  cloudTrail
    .on(GetEventSelectorsCommand)
    .resolves({ EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] });
  cloudTrail.on(GetTrailCommand).resolves({
    Trail: { S3BucketName: 'org-trail-logs-111122223333', IsMultiRegionTrail: true, IsOrganizationTrail: true },
  });
  const pattern = JSON.stringify({
    detail: { eventSource: Object.keys(AWS_TAMPER_EVENTS), eventName: Object.values(AWS_TAMPER_EVENTS).flat() },
  });
  eventBridge.on(ListRulesCommand).resolves({
    Rules: [
      { Name: 'glasswatch-H-ForwardRule-1', State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' },
      { Name: 'glasswatch-H-TamperForwardRule-2', State: 'ENABLED', EventPattern: pattern },
    ],
  });
  eventBridge
    .on(ListTargetsByRuleCommand)
    .resolves({ Targets: [{ Id: 'bus', Arn: 'arn:aws:events:eu-west-1:111122223333:event-bus/glasswatch-ingest' }] });
  s3.on(GetBucketNotificationConfigurationCommand).resolves({
    QueueConfigurations: [
      { QueueArn: 'arn:aws:sqs:eu-west-1:111122223333:glasswatch-TrailObjectQueue-X', Events: ['s3:ObjectCreated:*'] },
    ],
  });
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

async function verify(registry: string, ...flags: string[]) {
  const path = join(dir, 'registry.yaml');
  await writeFile(path, registry);
  return runCli(['verify', '--registry', path, ...flags]);
}

describe('glasswatch verify', () => {
  it('exits 0 when every configured check passes, and says what it could not check', async () => {
    const run = await verify(PIPELINE);
    expect(run.code).toBe(0);
    expect(run.stdout.filter((l) => l.startsWith('pass'))).toHaveLength(10);
    expect(run.stdout).toContain(
      'unchecked gcp   organization sink exists, with the registry’s filter and the pipeline’s topic: pipeline.gcp.sink not in the registry',
    );
  });

  it('exits 6 and names the setting when one fails', async () => {
    cloudTrail.on(GetTrailStatusCommand).resolves({ IsLogging: false });
    const run = await verify(PIPELINE, '--json');
    expect(run.code).toBe(6);
    const failed = run.stdout.map((l) => JSON.parse(l)).filter((r) => r.status === 'fail');
    expect(failed).toEqual([
      {
        key: 'aws.trail.logging',
        cloud: 'aws',
        setting: 'trail is logging',
        status: 'fail',
        detail: 'IsLogging is false (StopLogging)',
      },
    ]);
  });

  it('exits 7 with a reason per path when the registry names no pipeline', async () => {
    const run = await verify(BASE);
    expect(run.code).toBe(7);
    expect(run.stdout.every((l) => l.startsWith('unchecked'))).toBe(true);
    for (const reason of [
      'pipeline.aws.trailArn not in the registry',
      'pipeline.gcp.sink not in the registry',
      'pipeline.gcp.topic not in the registry',
      'pipeline.gcp.subscription not in the registry',
      'pipeline.azure.diagnosticSettings not in the registry',
    ])
      expect(run.stdout.join('\n')).toContain(reason);
    expect(cloudTrail.calls()).toHaveLength(0);
  });

  it('documents its exit codes', async () => {
    const run = await runCli(['verify', '--help']);
    expect(run.stdout.join('\n') + run.stderr.join('\n')).toMatch(/6 a check failed/);
  });
});
