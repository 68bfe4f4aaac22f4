import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readTemplate } from './cloudformation-yaml.js';

/**
 * The scheduled verify function (issue 13): read-only calls, each on the resources it reads, a
 * schedule with a dead-letter queue, an on-failure destination and an alarm.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const template = readTemplate(join(ROOT, 'infra/template.yaml'));
const fn = template.Resources.VerifyFunction as { Properties: Record<string, unknown> };

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown };
const statements = (fn.Properties.Policies as unknown[]).flatMap((p): Statement[] => {
  const branches = (p as { 'Fn::If'?: unknown[] })['Fn::If']
    ? ((p as { 'Fn::If': unknown[] })['Fn::If'].slice(1) as unknown[])
    : [p];
  return branches.flatMap((b) => ((b as { Statement?: Statement[] })?.Statement ?? []) as Statement[]);
});

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
