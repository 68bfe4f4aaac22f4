import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildFunctions } from '../../../scripts/build-functions.mjs';
import { CLOUDTRAIL_DETAIL_TYPES } from '../../../shared/core/normalize/aws/detail-types.js';
import { METRIC } from '../../../shared/runtime/aws/observability.js';
import { readTemplate, type Template } from './cloudformation-yaml.js';

/**
 * What the README's deployment steps promise, checked in the files they name: every alarm reaches a
 * person (CloudFormation Rules, an encrypted topic, a topic per forwarder Region, a required GCP
 * channel and Azure e-mail), a failing pager is noticed in minutes, the stack deploys as written
 * (on-failure permissions, a `sam build`-able package, no second deploy for the scheduler, inline
 * credentials refused), and the capacity of the alerting path is reserved.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const template = readTemplate(join(ROOT, 'infra/template.yaml'));
const forwarder = readTemplate(join(ROOT, 'infra/regional-forwarder.yaml'));
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
type Resource = Template['Resources'][string];
const props = (t: Template, id: string) => (t.Resources[id] as Resource).Properties ?? {};
const alarms = (t: Template) =>
  Object.entries(t.Resources).filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm') as [string, Resource][];
const rulesOf = (t: Template) => (t as unknown as { Rules?: Record<string, { Assertions: unknown[] }> }).Rules ?? {};
const parameter = (t: Template, name: string) =>
  (t as unknown as { Parameters: Record<string, Record<string, unknown>> }).Parameters[name] ?? {};

describe('every alarm reaches a person', () => {
  it('refuses a deployment without an alarm destination, in both templates', () => {
    expect(JSON.stringify(rulesOf(template).AlarmDestinationRequired)).toMatch(/AlarmEmail.*AlarmHttpsEndpoint/);
    expect(JSON.stringify(rulesOf(forwarder).AlarmDestinationRequired)).toMatch(
      /AlarmTopicArn.*AlarmEmail.*AlarmHttpsEndpoint/,
    );
    // samconfig.toml's placeholders do not pass for an address.
    const email = new RegExp(String(parameter(template, 'AlarmEmail').AllowedPattern));
    const placeholders = [...read('samconfig.toml').matchAll(/AlarmEmail=([^"]*)"/g)].map((m) => m[1] ?? '');
    expect(placeholders.length).toBeGreaterThan(0);
    for (const value of placeholders) expect(email.test(value), value).toBe(false);
    expect(email.test('security-oncall@example.com')).toBe(true);
    expect(email.test('')).toBe(true); // allowed only with AlarmHttpsEndpoint: the Rule decides
  });

  it('sends every alarm of both templates somewhere, through encrypted topics', () => {
    for (const t of [template, forwarder]) {
      for (const [id, alarm] of alarms(t)) {
        const actions = JSON.stringify(alarm.Properties?.AlarmActions ?? []);
        expect(actions, id).toMatch(/AlarmTopic/);
        expect(actions, id).not.toMatch(/NoValue/);
      }
    }
    expect(props(template, 'AlarmTopic').KmsMasterKeyId).toEqual({ Ref: 'AlarmTopicKey' });
    expect(props(forwarder, 'ForwarderAlarmTopic').KmsMasterKeyId).toEqual({ Ref: 'ForwarderAlarmKey' });
  });

  it('gives the forwarder loop and the StackSet of the README an alarm destination in every Region', () => {
    const loop = /aws cloudformation deploy --region \$r[^\n]*\n[^\n]*regional-forwarder\.yaml[^\n]*\n([^\n]*)/.exec(
      readme,
    );
    expect(loop?.[1]).toMatch(/IngestBusArn=\S+.*AlarmEmail=/);
    expect(readme).toMatch(/create-stack-set[^\n]*ParameterKey=AlarmEmail/);
    expect(readme).toMatch(/ForwarderDeadLetterQueueUrls=/);
    expect(props(forwarder, 'ForwarderDeadLetterQueue').QueueName).toBe('glasswatch-forwarder-dlq');
  });

  it('has the heartbeat check read every dead-letter queue, the forwarders’ included, and flag the pager’s own', () => {
    const env = JSON.stringify(
      (props(template, 'HeartbeatCheckFunction').Environment as { Variables: object }).Variables,
    );
    const queues = Object.entries(template.Resources)
      .filter(([id, r]) => r.Type === 'AWS::SQS::Queue' && id.endsWith('DeadLetterQueue'))
      .map(([id]) => id);
    for (const id of queues) expect(env, id).toContain(`"${id}"`);
    expect(env).toContain('"HomeRegionForwarder","Outputs.ForwarderDeadLetterQueueUrl"');
    expect(env).toContain('ForwarderDeadLetterQueueUrls');
    expect(env).toMatch(/GLASSWATCH_PAGER_DEAD_LETTER_QUEUES":\{"Ref":"IncidentChangeDeadLetterQueue"\}/);
  });

  it('requires a GCP notification channel and an Azure alert e-mail', () => {
    const variables = read('infra/gcp/variables.tf');
    const channels = /variable "notification_channels" \{([\s\S]*?)\n\}/.exec(variables)?.[1] ?? '';
    expect(channels).not.toMatch(/default/);
    expect(channels).toMatch(/validation \{[\s\S]*length\(var\.notification_channels\) > 0/);
    expect(read('infra/gcp/main.tf').match(/notification_channels = var\.notification_channels/g)?.length).toBe(2);
    expect(read('infra/azure/workspace-access.bicep')).toMatch(/^param alertEmail string$/m);
  });
});

describe('a failing pager is noticed in minutes', () => {
  const watched = alarms(template).map(([, a]) => ({
    metric: a.Properties?.MetricName,
    on: JSON.stringify(a.Properties?.Dimensions),
  }));

  it('alarms on the age of the oldest message of the work queues, and on responder errors and throttles', () => {
    for (const queue of ['IncidentChangeQueue', 'TrailObjectQueue'])
      expect(watched).toContainEqual({ metric: 'ApproximateAgeOfOldestMessage', on: expect.stringContaining(queue) });
    for (const metric of ['Errors', 'Throttles'])
      expect(watched).toContainEqual({ metric, on: expect.stringContaining('RespondersFunction') });
  });

  it('alarms on refused changes, untrusted ledger records and failed actions, by the names the code emits', () => {
    for (const metric of [METRIC.changesRefused, METRIC.ledgerUntrusted, 'ActionsFailed'])
      expect(watched).toContainEqual({ metric, on: expect.stringContaining('responders') });
  });
});

describe('it deploys as the README says', () => {
  it('lets every function with its own role send to its on-failure destination', () => {
    for (const [id, fn] of Object.entries(template.Resources)) {
      const role = (fn.Properties as { Role?: { 'Fn::GetAtt'?: [string] } } | undefined)?.Role?.['Fn::GetAtt']?.[0];
      const destination = (fn.Properties?.EventInvokeConfig as { DestinationConfig?: { OnFailure?: object } })
        ?.DestinationConfig?.OnFailure;
      if (!role || !destination) continue;
      const grants = JSON.stringify(props(template, role).Policies);
      expect(grants, id).toContain(
        JSON.stringify({
          Effect: 'Allow',
          Action: 'sqs:SendMessage',
          Resource: (destination as { Destination: unknown }).Destination,
        }).slice(1, -1),
      );
    }
  });

  it('gives the responders the scheduler settings from the stack, so no second deploy is needed', () => {
    const env = (props(template, 'RespondersFunction').Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env).toMatchObject({
      GLASSWATCH_SCHEDULER_TARGET_ARN: { 'Fn::GetAtt': ['IncidentChangeQueue', 'Arn'] },
      GLASSWATCH_SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': ['AftermathSchedulerRole', 'Arn'] },
      GLASSWATCH_SCHEDULER_DEAD_LETTER_ARN: { 'Fn::GetAtt': ['ScheduleDeadLetterQueue', 'Arn'] },
      GLASSWATCH_SCHEDULER_GROUP: { Ref: 'AftermathScheduleGroup' },
    });
    expect(readme).toMatch(/One deploy is enough/);
  });

  it('names no missing file, and keeps the GCP steps free of a cycle', () => {
    for (const doc of [readme, read('infra/gcp/README.md'), read('infra/gcp/poller.tf')])
      expect(doc).not.toMatch(/pollers-snippet/);
    const variables = read('infra/gcp/variables.tf');
    expect(variables).not.toMatch(/variable "aws_role_arn"|variable "aws_table_name"|variable "aws_incident_bus"/);
    expect(variables).toMatch(/role\/\$\{var\.aws_stack_name\}-gcp-push/);
    expect(props(template, 'GcpPushFunctionRole').RoleName).toEqual({ 'Fn::Sub': `\${AWS::StackName}-gcp-push` });
    expect(props(template, 'IngestBus').Name).toEqual({ 'Fn::Sub': `\${AWS::StackName}-ingest` });
  });

  it('reserves capacity for the responders and the EventBridge ingest', () => {
    expect(JSON.stringify(props(template, 'RespondersFunction').ReservedConcurrentExecutions)).toContain(
      'ResponderConcurrency',
    );
    expect(JSON.stringify(props(template, 'EventBridgeIngestFunction').ReservedConcurrentExecutions)).toContain(
      'EventIngestConcurrency',
    );
  });

  it('accepts from member accounts only the sources and detail-types the forwarders send', () => {
    const sent = new Set<string>();
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) for (const v of value) walk(v);
      else if (value && typeof value === 'object')
        for (const [k, v] of Object.entries(value)) {
          if (k === 'detail-type') for (const d of [v].flat()) sent.add(String(d));
          else walk(v);
        }
    };
    walk(props(forwarder, 'ForwardRule').EventPattern);
    expect([...sent].sort()).toEqual([...CLOUDTRAIL_DETAIL_TYPES].sort());
    const statement = props(template, 'IngestBusOrganizationPolicy').Statement as {
      Condition: { StringEquals: Record<string, unknown>; StringLike: Record<string, unknown> };
    };
    expect([...(statement.Condition.StringEquals['events:detail-type'] as string[])].sort()).toEqual([...sent].sort());
    expect(statement.Condition.StringLike).toEqual({ 'events:source': 'aws.*' });
  });

  it('builds packages `sam build` accepts (npm pack), and refuses inline credentials', async () => {
    const outdir = await mkdtemp(join(tmpdir(), 'glasswatch-deploy-'));
    try {
      const registry = join(outdir, 'registry.yaml');
      const accounts = 'accounts:\n  - { id: a, cloud: aws, match: { arn: "arn:aws:iam::111122223333:root" } }\n';
      await writeFile(
        registry,
        `${accounts}responders:\n  pagerduty: { routingKeySecret: { secretsManager: glasswatch/pd } }\n`,
      );
      await buildFunctions({ outdir, registry, only: ['responders'], warn: () => {} });
      const manifest = JSON.parse(readFileSync(join(outdir, 'responders', 'package.json'), 'utf8'));
      expect(manifest.version).toBe(JSON.parse(read('package.json')).version);
      const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: join(outdir, 'responders'),
        encoding: 'utf8',
        env: { ...process.env, npm_config_offline: 'true' },
      });
      expect(pack.status, pack.stderr).toBe(0);

      await writeFile(
        registry,
        `${accounts}responders:\n  pagerduty: { routingKey: R0UT1NGKEYR0UT1NGKEYR0UT1NGKEY00 }\n`,
      );
      await expect(buildFunctions({ outdir, registry, only: ['responders'], warn: () => {} })).rejects.toThrow(
        /responders\.pagerduty\.routingKey is inline/,
      );
    } finally {
      await rm(outdir, { recursive: true, force: true });
    }
  });
});
