import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REPORT_STATE_REGISTRY, writeReportState } from '../../../bench/report-state.js';
import { DynamoAssuranceStore } from '../../../shared/adapters/dynamodb/assurance-store.js';
import { type LocalDynamo, startLocalDynamo } from '../../../shared/adapters/dynamodb/local-dynalite.js';
import type { PostureReport } from '../../../shared/core/assure/report.js';
import { fail, pass, unchecked } from '../../../shared/core/assure/verify/result.js';
import { runCli } from '../../support/cli.js';

/**
 * `glasswatch report --stack NAME`: the table named by the stack's IncidentTableName output, read with
 * the SDK's default configuration. DynamoDB is dynalite behind the SDK's standard endpoint variable;
 * CloudFormation, which has no local server, is an SDK-level stub answering DescribeStacks as documented.
 */

const TABLE = 'glasswatch-IncidentTable-1X2Y3Z';
const cloudformation = mockClient(CloudFormationClient);
const saved: Record<string, string | undefined> = {};
let dynamo: LocalDynamo;
let dir: string;
let registry: string;

beforeAll(async () => {
  dynamo = await startLocalDynamo({ tableName: TABLE });
  await writeReportState(dynamo, { nowMs: Date.parse('2026-12-01T00:00:00Z'), months: 3, incidentsPerMonth: 4 });
  dir = await mkdtemp(join(tmpdir(), 'glasswatch-report-stack-'));
  registry = join(dir, 'registry.yaml');
  await writeFile(registry, REPORT_STATE_REGISTRY);
  const env = {
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
    AWS_SECRET_ACCESS_KEY: 'local',
  };
  for (const [key, value] of Object.entries(env)) {
    saved[key] = process.env[key];
    process.env[key] = value;
  }
}, 60_000);
afterAll(async () => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  cloudformation.restore();
  await dynamo?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});
beforeEach(() => cloudformation.reset());

const stackAnswer = (outputs: Record<string, string>) => ({
  Stacks: [
    {
      StackName: 'glasswatch',
      CreationTime: new Date('2026-11-01T00:00:00Z'),
      StackStatus: 'UPDATE_COMPLETE' as const,
      Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
    },
  ],
});

describe('glasswatch report --stack', () => {
  it("reads the stack's incident table, read only, and writes the same report as locally", async () => {
    cloudformation
      .on(DescribeStacksCommand, { StackName: 'glasswatch' })
      .resolves(stackAnswer({ IncidentTableName: TABLE, IncidentBusName: 'b' }));
    const drillsBefore = await new DynamoAssuranceStore(dynamo.client, TABLE).listDrills('aws-prod-root', 1000);
    const out = join(dir, 'aws.html');
    const run = await runCli(['report', '--registry', registry, '--stack', 'glasswatch', '--out', out]);
    expect(run.code, run.stderr.join('\n')).toBe(0);
    expect(cloudformation.commandCalls(DescribeStacksCommand)).toHaveLength(1);
    const report = JSON.parse(await readFile(join(dir, 'aws.json'), 'utf8')) as PostureReport;
    expect(report.incidentTotal).toBe(12);
    expect(report.accounts).toHaveLength(5);
    expect(report.coverage.scopes.length).toBeGreaterThan(5);
    const windows = report.drills.filter((d) => d.kind === 'window');
    expect(windows.length).toBeGreaterThan(0);
    expect(windows.every((d) => d.runtime === 'aws')).toBe(true);
    // Window drills are derived for the report, not written back to the production table.
    expect(await new DynamoAssuranceStore(dynamo.client, TABLE).listDrills('aws-prod-root', 1000)).toEqual(
      drillsBefore,
    );
  });

  it('reads a table given directly without describing any stack', async () => {
    const run = await runCli(['report', '--registry', registry, '--table', TABLE, '--out', join(dir, 't.html')]);
    expect(run.code, run.stderr.join('\n')).toBe(0);
    expect(cloudformation.commandCalls(DescribeStacksCommand)).toHaveLength(0);
  });

  it('shows the last results the deployed verify function stored in the table', async () => {
    const at = Date.parse('2026-11-30T23:00:00Z');
    await new DynamoAssuranceStore(dynamo.client, TABLE).saveChecks(
      [
        pass('aws', 'aws.trail.logging', 'trail is logging'),
        fail('aws', 'aws.trail.multi-region', 'trail is multi-Region', 'IsMultiRegionTrail is false'),
        unchecked('azure', 'azure.settings', 'diagnostic settings', 'no Azure credentials in this run'),
      ],
      at,
    );
    const run = await runCli(['report', '--registry', registry, '--table', TABLE, '--out', join(dir, 'c.html')]);
    expect(run.code, run.stderr.join('\n')).toBe(0);
    const report = JSON.parse(await readFile(join(dir, 'c.json'), 'utf8')) as PostureReport;
    const checkedAt = '2026-11-30T23:00:00.000Z';
    expect(report.checks).toEqual([
      { path: 'aws', check: 'trail is logging', status: 'pass', detail: 'as deployed', checkedAt },
      { path: 'aws', check: 'trail is multi-Region', status: 'fail', detail: 'IsMultiRegionTrail is false', checkedAt },
      // The registry watches Entra accounts: a path not proven is unknown, and counts against the score.
      {
        path: 'azure',
        check: 'diagnostic settings',
        status: 'unknown',
        detail: 'no Azure credentials in this run',
        checkedAt,
      },
    ]);
    expect(await readFile(join(dir, 'c.html'), 'utf8')).toContain('IsMultiRegionTrail is false');
  });

  it('names the stack and its outputs when the table output is missing, and a missing stack', async () => {
    cloudformation.on(DescribeStacksCommand, { StackName: 'other' }).resolves(stackAnswer({ BucketName: 'x' }));
    const missing = Object.assign(new Error('Stack with id nope does not exist'), {
      name: 'ValidationError',
      $metadata: { httpStatusCode: 400 },
    });
    cloudformation.on(DescribeStacksCommand, { StackName: 'nope' }).rejects(missing);
    const other = await runCli(['report', '--registry', registry, '--stack', 'other', '--out', join(dir, 'o.html')]);
    expect(other.code).toBe(1);
    expect(other.stderr.join('\n')).toContain('stack other has no output IncidentTableName (outputs: BucketName)');
    const nope = await runCli(['report', '--registry', registry, '--stack', 'nope', '--out', join(dir, 'n.html')]);
    expect(nope.code).toBe(1);
    expect(nope.stderr.join('\n')).toContain(
      'CloudFormation DescribeStacks nope: ValidationError (HTTP 400): Stack with id nope does not exist',
    );
  });

  it('refuses a stack and a local state together', async () => {
    const run = await runCli([
      'report',
      '--registry',
      registry,
      '--stack',
      'g',
      '--ephemeral',
      '--out',
      join(dir, 'x.html'),
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr[0]).toMatch(/either a deployed stack .* or a local state/);
  });
});
