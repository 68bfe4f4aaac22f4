import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UnreadableObjectsError } from '../../../shared/runtime/aws/backfill.js';
import { NotEnoughTimeError } from '../../../shared/runtime/aws/trail-objects.js';
import { readTemplate } from './cloudformation-yaml.js';

/**
 * The backfill state machine as data: a Distributed Map over the day manifest whose children list one
 * day prefix each (ItemReader ListObjectsV2), batch the objects (ItemBatcher) for the backfill function
 * (the s3-log-files code), with bounded concurrency, a failure tolerance and a ResultWriter; the
 * event-history branch is the sweeper over 90 days. The step names match the errors the code throws.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const template = readTemplate(join(ROOT, 'infra/template.yaml'));
type Json = Record<string, unknown>;
const machine = template.Resources.BackfillStateMachine as { Type: string; Properties: Json };
const definition = machine.Properties.Definition as { StartAt: string; States: Record<string, Json> };
const days = definition.States.ReadDays as Json;
const dayProcessor = days.ItemProcessor as { ProcessorConfig: Json; States: Record<string, Json> };
const objects = dayProcessor.States.ReadObjects as Json;
const objectProcessor = objects.ItemProcessor as { ProcessorConfig: Json; States: Record<string, Json> };
const readBatch = objectProcessor.States.ReadBatch as Json;
/** A placeholder as the definition (DefinitionSubstitutions) or Fn::Sub writes it. */
const ref = (name: string) => `\${${name}}`;
/** Lambda's default concurrent executions per Region: the backfill must not take all of them. */
const LAMBDA_DEFAULT_CONCURRENCY = 1000;

describe('BackfillStateMachine', () => {
  it('is a SAM state machine named after the stack (glasswatch backfill finds it by name)', () => {
    expect(machine.Type).toBe('AWS::Serverless::StateMachine');
    expect(machine.Properties.Type).toBe('STANDARD');
    expect(machine.Properties.Name).toEqual({ 'Fn::Sub': `${ref('AWS::StackName')}-backfill` });
  });

  it('maps the day manifest with a Distributed Map, each day listed by ListObjectsV2 and read in batches', () => {
    expect(days.Type).toBe('Map');
    expect(days.ItemReader).toMatchObject({
      Resource: 'arn:aws:states:::s3:getObject',
      ReaderConfig: { InputType: 'JSON' },
    });
    expect(dayProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    expect(objects.ItemReader).toEqual({
      Resource: 'arn:aws:states:::s3:listObjectsV2',
      Parameters: { 'Bucket.$': '$.bucket', 'Prefix.$': '$.prefix' },
    });
    expect(objects.ItemBatcher).toMatchObject({ BatchInput: { 'bucket.$': '$.bucket' } });
    // Express children stop at 5 minutes; a batch may take the function's 15.
    expect(objectProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    expect(readBatch).toMatchObject({
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: ref('BackfillFunctionArn'), 'Payload.$': '$' },
    });
  });

  it('bounds concurrency and tolerates failures, writing every failed batch (with the objects it names) to the results bucket', () => {
    const outer = days.MaxConcurrency as number;
    const inner = objects.MaxConcurrency as number;
    expect(outer).toBeGreaterThan(0);
    expect(inner).toBeGreaterThan(0);
    expect(outer * inner).toBeLessThanOrEqual(LAMBDA_DEFAULT_CONCURRENCY / 2);
    expect(inner).toBeLessThanOrEqual(10_000); // Distributed Map's child execution limit
    expect(objects.ToleratedFailurePercentage).toBeGreaterThan(0);
    expect(objects.ToleratedFailurePercentage).toBeLessThan(100);
    for (const map of [days, objects]) {
      expect(map.ResultWriter).toMatchObject({
        Resource: 'arn:aws:states:::s3:putObject',
        Parameters: { Bucket: ref('ResultsBucket') },
      });
    }
    expect((objects.ItemBatcher as Json).MaxItemsPerBatch).toBeLessThanOrEqual(100);
  });

  it('retries exactly the errors the backfill function throws by name', () => {
    const retried = (readBatch.Retry as { ErrorEquals: string[] }[]).flatMap((r) => r.ErrorEquals);
    expect(retried).toContain(new NotEnoughTimeError('s3://b/k', 1).name);
    expect(retried).toContain(new UnreadableObjectsError([]).name);
  });

  it('sweeps 90 days of event history for {"lookupEvents": true}, within the sweeper input bound', () => {
    const source = definition.States.Source as { Choices: Json[]; Default: string };
    expect(source.Choices).toEqual([{ Variable: '$.lookupEvents', IsPresent: true, Next: 'SweepEventHistory' }]);
    expect(source.Default).toBe('PlanDays');
    expect(definition.States.SweepEventHistory).toMatchObject({
      Parameters: { FunctionName: ref('SweeperFunctionArn'), Payload: { windowMinutes: 90 * 24 * 60 } },
    });
  });

  it('substitutes every placeholder it uses and lets its role run its own children', () => {
    const text = JSON.stringify(definition);
    const used = new Set([...text.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]));
    expect(new Set(Object.keys(machine.Properties.DefinitionSubstitutions as Json))).toEqual(used);
    const policies = JSON.stringify(machine.Properties.Policies);
    expect(policies).toContain('"LambdaInvokePolicy":{"FunctionName":{"Ref":"BackfillFunction"}}');
    expect(policies).toContain('"LambdaInvokePolicy":{"FunctionName":{"Ref":"SweeperFunction"}}');
    expect(policies).toContain(`stateMachine:${ref('AWS::StackName')}-backfill`);
    expect(policies).toContain('"s3:ListBucket"');
  });
});
