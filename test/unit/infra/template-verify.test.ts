import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readTemplate } from './cloudformation-yaml.js';

/**
 * The scheduled verify function (issue 13): read-only calls, each on the resources it reads, the
 * pollers' cloud credentials only when the stack has that poller, a role with a fixed name (Google's
 * STS admits it by name), a schedule with a dead-letter queue, an on-failure destination and an alarm.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const template = readTemplate(join(ROOT, 'infra/template.yaml'));
const fn = template.Resources.VerifyFunction as { Properties: Record<string, unknown> };
const role = template.Resources.VerifyFunctionRole as { Properties: Record<string, unknown> };

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown };
type Policy = { PolicyDocument?: { Statement?: Statement[] } };
/** Each policy's statements, with the condition it is under (an `!If` branch), or undefined. */
const policies = (role.Properties.Policies as unknown[]).map((p) => {
  const branch = (p as { 'Fn::If'?: unknown[] })['Fn::If'];
  const policy = (branch ? branch[1] : p) as Policy;
  return { condition: branch?.[0] as string | undefined, statements: policy.PolicyDocument?.Statement ?? [] };
});
const statements = policies.flatMap((p) => p.statements);

describe('VerifyFunction', () => {
  it('reads the trail, the rules and the bucket notification with read-only actions only, never "*"', () => {
    const reads = statements.filter((s) => /ReadBack$/.test(s.Sid ?? '')).flatMap((s) => [s.Action].flat());
    expect(reads.sort()).toEqual([
      'cloudtrail:GetEventSelectors',
      'cloudtrail:GetTrail',
      'cloudtrail:GetTrailStatus',
      'events:ListRules',
      'events:ListTargetsByRule',
      's3:GetBucketNotification',
    ]);
    for (const s of statements) {
      expect(JSON.stringify(s.Resource), s.Sid).not.toBe('"*"');
      for (const action of [s.Action].flat()) expect(action, s.Sid).not.toMatch(/\*/);
    }
  });

  it('reads each poller’s cloud credentials only when the stack has that poller, and names that secret to the code', () => {
    const readers = (secret: string) =>
      policies
        .filter((p) => p.statements.some((s) => JSON.stringify(s.Resource) === JSON.stringify({ Ref: secret })))
        .map((p) => ({ condition: p.condition, actions: p.statements.flatMap((s) => [s.Action].flat()) }));
    expect(readers('GcpCredentialsSecret')).toEqual([
      { condition: 'HasGcpPoller', actions: ['secretsmanager:GetSecretValue'] },
    ]);
    expect(readers('AzureCredentialsSecret')).toEqual([
      { condition: 'HasAzurePoller', actions: ['secretsmanager:GetSecretValue'] },
    ]);
    const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env.GLASSWATCH_GCP_CREDENTIALS_SECRET_REF).toEqual({
      'Fn::If': ['HasGcpPoller', { Ref: 'GcpCredentialsSecret' }, ''],
    });
    expect(env.GLASSWATCH_AZURE_CREDENTIALS_SECRET_REF).toEqual({
      'Fn::If': ['HasAzurePoller', { Ref: 'AzureCredentialsSecret' }, ''],
    });
  });

  it('runs with a role of a fixed name, the one infra/gcp admits to the GCP reader', () => {
    expect(fn.Properties.Role).toEqual({ 'Fn::GetAtt': ['VerifyFunctionRole', 'Arn'] });
    expect(role.Properties.RoleName).toEqual({ 'Fn::Sub': `\${AWS::StackName}-verify` });
    const gcpVariables = readFileSync(join(ROOT, 'infra/gcp/variables.tf'), 'utf8');
    expect(gcpVariables).toContain(`aws_verify_role_name = "\${var.aws_stack_name}-verify"`);
  });

  it('runs on its schedule with retries, a dead-letter queue and an on-failure destination, and alarms on errors', () => {
    const event = (fn.Properties.Events as Record<string, { Type: string; Properties: Record<string, unknown> }>)
      .Verify;
    expect(event?.Type).toBe('ScheduleV2');
    expect(event?.Properties.ScheduleExpression).toEqual({ Ref: 'VerifySchedule' });
    expect(event?.Properties.DeadLetterConfig).toBeDefined();
    expect(JSON.stringify(fn.Properties.EventInvokeConfig)).toContain('OnFailure');
    const alarm = template.Resources.VerifyErrorsAlarm as { Properties: Record<string, unknown> };
    expect(alarm.Properties.MetricName).toBe('Errors');
    expect(JSON.stringify(alarm.Properties.Dimensions)).toContain('VerifyFunction');
    expect(alarm.Properties.AlarmActions).toEqual([{ Ref: 'AlarmTopic' }]);
  });
});
