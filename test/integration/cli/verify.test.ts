import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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
import type { PostureReport } from '../../../shared/core/assure/report.js';
import { AWS_TAMPER_EVENTS } from '../../../shared/runtime/aws/sweep-plan.js';
import { runCli } from '../../support/cli.js';

/** `glasswatch verify` end to end in-process, the AWS SDK stubbed at its boundary (no AWS account). */

const TRAIL = 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/org-trail';
const BASE = 'accounts: [{ id: r, cloud: aws, match: { arn: "arn:aws:iam::111122223333:root" } }]\n';
const PIPELINE = `${BASE}pipeline:
  namePrefix: glasswatch
  aws: { trailArn: "${TRAIL}", trailBucket: org-trail-logs-111122223333, forwarderRegions: [eu-west-1, us-east-1] }
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
  return runCli(['verify', '--registry', path, '--state', join(dir, 'db'), ...flags]);
}

describe('glasswatch verify', () => {
  it('exits 0 when every configured check passes, and says what it could not check', async () => {
    const run = await verify(PIPELINE);
    expect(run.code).toBe(0);
    expect(run.stdout.filter((l) => l.startsWith('pass'))).toHaveLength(14);
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

  it('fails when no forwarder runs where global-service events arrive (us-east-1)', async () => {
    const run = await verify(PIPELINE.replace('[eu-west-1, us-east-1]', '[eu-west-1]'), '--json');
    expect(run.code).toBe(6);
    const failed = run.stdout.map((l) => JSON.parse(l)).filter((r) => r.status === 'fail');
    expect(failed.map((r) => r.key)).toEqual(['aws.rules.global-region']);
    expect(failed[0].detail).toMatch(
      /IAM, STS, console sign-in and Organizations events reach EventBridge only in us-east-1/,
    );
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

  it('stores each result in the local state, where the posture report shows it', async () => {
    s3.on(GetBucketNotificationConfigurationCommand).resolves({});
    expect((await verify(PIPELINE)).code).toBe(6);
    const report = async () => {
      const run = await runCli([
        'report',
        '--registry',
        join(dir, 'registry.yaml'),
        '--state',
        join(dir, 'db'),
        '--out',
        join(dir, 'p.html'),
      ]);
      expect(run.code, run.stderr.join('\n')).toBe(0);
      return (JSON.parse(await readFile(join(dir, 'p.json'), 'utf8')) as PostureReport).checks;
    };
    const checks = await report();
    expect(checks.filter((c) => c.status === 'pass')).toHaveLength(13);
    const bucket = {
      path: 'aws',
      check: 'trail bucket notifies the trail-object queue of created objects',
      status: 'fail',
      detail: 'no queue notification',
      checkedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    };
    expect(checks).toContainEqual(bucket);
    // No GCP or Azure account in this registry: their unchecked paths are not applicable, not unknown.
    const others = checks.filter((c) => c.path !== 'aws');
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((c) => c.status === 'n/a')).toBe(true);
    expect(await readFile(join(dir, 'p.html'), 'utf8')).toContain('no queue notification');
    // --ephemeral stores nothing: the report still shows the stored run.
    s3.on(GetBucketNotificationConfigurationCommand).resolves({
      QueueConfigurations: [
        {
          QueueArn: 'arn:aws:sqs:eu-west-1:111122223333:glasswatch-TrailObjectQueue-X',
          Events: ['s3:ObjectCreated:*'],
        },
      ],
    });
    expect((await verify(PIPELINE, '--ephemeral')).code).toBe(0);
    expect(await report()).toContainEqual(bucket);
  });

  it('documents its exit codes', async () => {
    const run = await runCli(['verify', '--help']);
    expect(run.stdout.join('\n') + run.stderr.join('\n')).toMatch(/6 a check failed/);
  });
});
