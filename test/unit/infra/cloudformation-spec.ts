import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Template } from './cloudformation-yaml.js';

/**
 * Resource properties checked against the CloudFormation resource specification that ships with the
 * npm linter `cfn-lint` (data/aws_resources_specification.json, spec 2.29.0): every property name must
 * exist, every required one must be present, nested property types recursively. That specification
 * predates several properties and types the template uses, so SUPPLEMENT adds exactly those (each one
 * named in the AWS CloudFormation / SAM reference); everything else must match the published spec.
 * The linter's own engine cannot read current SAM templates, so only its data is used here.
 */

interface SpecProperty {
  Required?: boolean;
  Type?: string;
  ItemType?: string;
  PrimitiveType?: string;
}
interface SpecType {
  Properties: Record<string, SpecProperty>;
}
interface Specification {
  ResourceTypes: Record<string, SpecType>;
  PropertyTypes: Record<string, SpecType>;
}

const require = createRequire(import.meta.url);
const SPEC = JSON.parse(
  readFileSync(require.resolve('cfn-lint/data/aws_resources_specification.json'), 'utf8'),
) as Specification & { ResourceSpecificationVersion: string };

export const SPEC_VERSION = SPEC.ResourceSpecificationVersion;

const S: SpecProperty = { PrimitiveType: 'String' };
const N: SpecProperty = { PrimitiveType: 'Integer' };
const B: SpecProperty = { PrimitiveType: 'Boolean' };
const J: SpecProperty = { PrimitiveType: 'Json' };
const LIST: SpecProperty = { Type: 'List' };

/** Properties and types added to CloudFormation after spec 2.29.0, as the current reference documents them. */
const SUPPLEMENT: Specification = {
  ResourceTypes: {
    // AWS CloudFormation reference, AWS::Scheduler::ScheduleGroup (2022, after spec 2.29.0).
    'AWS::Scheduler::ScheduleGroup': { Properties: { Name: S, Tags: LIST } },
    'AWS::Events::EventBus': {
      Properties: {
        Name: { ...S, Required: true },
        Description: S,
        EventSourceName: S,
        Policy: J,
        KmsKeyIdentifier: S,
        Tags: LIST,
      },
    },
    'AWS::Events::EventBusPolicy': {
      // Statement replaced Action/Principal/Condition, which are no longer required.
      Properties: {
        EventBusName: S,
        Statement: J,
        StatementId: { ...S, Required: true },
        Action: S,
        Principal: S,
        Condition: J,
      },
    },
    'AWS::Events::Rule': { Properties: { EventBusName: S } },
    'AWS::SQS::Queue': { Properties: { SqsManagedSseEnabled: B, RedriveAllowPolicy: J } },
    'AWS::IAM::Role': { Properties: { Description: S } },
    'AWS::Lambda::EventSourceMapping': {
      Properties: {
        FunctionResponseTypes: LIST,
        MaximumBatchingWindowInSeconds: N,
        ScalingConfig: { Type: 'ScalingConfig' },
      },
    },
  },
  PropertyTypes: {
    'AWS::Events::Rule.Target': {
      Properties: { DeadLetterConfig: { Type: 'DeadLetterConfig' }, RetryPolicy: { Type: 'RetryPolicy' } },
    },
    'AWS::Events::Rule.DeadLetterConfig': { Properties: { Arn: S } },
    'AWS::Events::Rule.RetryPolicy': { Properties: { MaximumRetryAttempts: N, MaximumEventAgeInSeconds: N } },
    'AWS::Lambda::EventSourceMapping.ScalingConfig': { Properties: { MaximumConcurrency: N } },
  },
};

/** AWS::Serverless::Function and its event sources (SAM reference: sam-resource-function, sam-property-function-*). */
const SAM_FUNCTION = new Set([
  'Architectures',
  'AssumeRolePolicyDocument',
  'AutoPublishAlias',
  'CodeSigningConfigArn',
  'CodeUri',
  'DeadLetterQueue',
  'DeploymentPreference',
  'Description',
  'Environment',
  'EphemeralStorage',
  'EventInvokeConfig',
  'Events',
  'FunctionName',
  'FunctionUrlConfig',
  'Handler',
  'ImageUri',
  'InlineCode',
  'KmsKeyArn',
  'Layers',
  'LoggingConfig',
  'MemorySize',
  'PackageType',
  'PermissionsBoundary',
  'Policies',
  'RecursiveLoop',
  'ReservedConcurrentExecutions',
  'Role',
  'Runtime',
  'RuntimeManagementConfig',
  'SnapStart',
  'Tags',
  'Timeout',
  'Tracing',
  'VpcConfig',
]);
/** AWS::Serverless::StateMachine (SAM reference: sam-resource-statemachine). */
const SAM_STATE_MACHINE = new Set([
  'AutoPublishAlias',
  'Definition',
  'DefinitionSubstitutions',
  'DefinitionUri',
  'DeploymentPreference',
  'Events',
  'Logging',
  'Name',
  'PermissionsBoundary',
  'Policies',
  'Role',
  'RolePath',
  'Tags',
  'Tracing',
  'Type',
  'UseAliasAsEventTarget',
]);
const SAM_EVENTS: Readonly<Record<string, Set<string>>> = {
  EventBridgeRule: new Set([
    'DeadLetterConfig',
    'EventBusName',
    'Input',
    'InputPath',
    'InputTransformer',
    'Pattern',
    'RetryPolicy',
    'RuleName',
    'State',
    'Target',
  ]),
  ScheduleV2: new Set([
    'DeadLetterConfig',
    'Description',
    'EndDate',
    'FlexibleTimeWindow',
    'GroupName',
    'Input',
    'KmsKeyArn',
    'Name',
    'OmitName',
    'PermissionsBoundary',
    'RetryPolicy',
    'RoleArn',
    'ScheduleExpression',
    'ScheduleExpressionTimezone',
    'StartDate',
    'State',
  ]),
  SQS: new Set([
    'BatchSize',
    'Enabled',
    'FilterCriteria',
    'FunctionResponseTypes',
    'MaximumBatchingWindowInSeconds',
    'Queue',
    'ScalingConfig',
  ]),
};
const SAM_EVENT_INVOKE_CONFIG = new Set(['DestinationConfig', 'MaximumEventAgeInSeconds', 'MaximumRetryAttempts']);
const SAM_LOGGING_CONFIG = new Set(['ApplicationLogLevel', 'LogFormat', 'LogGroup', 'SystemLogLevel']);

function resourceSpec(type: string): SpecType | undefined {
  const base = SPEC.ResourceTypes[type];
  const extra = SUPPLEMENT.ResourceTypes[type];
  if (!base && !extra) return undefined;
  return { Properties: { ...base?.Properties, ...extra?.Properties } };
}

function propertySpec(name: string): SpecType | undefined {
  const base = SPEC.PropertyTypes[name];
  const extra = SUPPLEMENT.PropertyTypes[name];
  if (!base && !extra) return undefined;
  return { Properties: { ...base?.Properties, ...extra?.Properties } };
}

/** `{ Ref }`, `{ 'Fn::…' }`: resolved by CloudFormation, not checked here. */
function isIntrinsic(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || (keys[0] ?? '').startsWith('Fn::'));
}

function checkObject(path: string, value: unknown, spec: SpecType, resourceType: string, problems: string[]): void {
  if (isIntrinsic(value)) return;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${path}: expected an object`);
    return;
  }
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    if (!(key in spec.Properties)) problems.push(`${path}.${key}: not a property of this type`);
  }
  for (const [key, property] of Object.entries(spec.Properties)) {
    if (property.Required && !(key in object)) problems.push(`${path}.${key}: required property missing`);
    const inner = object[key];
    if (inner === undefined || isIntrinsic(inner)) continue;
    const itemType = property.Type === 'List' || property.Type === 'Map' ? property.ItemType : property.Type;
    const nested = itemType ? propertySpec(`${resourceType}.${itemType}`) : undefined;
    if (!nested) continue;
    if (property.Type === 'List') {
      for (const [i, item] of (inner as unknown[]).entries()) {
        checkObject(`${path}.${key}[${i}]`, item, nested, resourceType, problems);
      }
    } else if (property.Type === 'Map') {
      for (const [k, item] of Object.entries(inner as object)) {
        checkObject(`${path}.${key}.${k}`, item, nested, resourceType, problems);
      }
    } else {
      checkObject(`${path}.${key}`, inner, nested, resourceType, problems);
    }
  }
}

function checkKeys(path: string, value: unknown, allowed: Set<string>, problems: string[]): void {
  if (value === undefined || isIntrinsic(value)) return;
  for (const key of Object.keys(value as object))
    if (!allowed.has(key)) problems.push(`${path}.${key}: not a SAM property here`);
}

function checkSamFunction(id: string, properties: Record<string, unknown>, problems: string[]): void {
  checkKeys(id, properties, SAM_FUNCTION, problems);
  checkKeys(`${id}.EventInvokeConfig`, properties.EventInvokeConfig, SAM_EVENT_INVOKE_CONFIG, problems);
  checkKeys(`${id}.LoggingConfig`, properties.LoggingConfig, SAM_LOGGING_CONFIG, problems);
  for (const [name, event] of Object.entries(
    (properties.Events ?? {}) as Record<string, { Type: string; Properties?: object }>,
  )) {
    const allowed = SAM_EVENTS[event.Type];
    if (!allowed) problems.push(`${id}.Events.${name}: event type ${event.Type} not checked by this test; add it`);
    else checkKeys(`${id}.Events.${name}`, event.Properties, allowed, problems);
  }
}

/** Every problem found, as `Resource.Property: what`. Empty when the template matches the specification. */
export function specProblems(template: Template): string[] {
  const problems: string[] = [];
  checkKeys('Globals.Function', template.Globals?.Function, SAM_FUNCTION, problems);
  for (const [id, resource] of Object.entries(template.Resources)) {
    const properties = resource.Properties ?? {};
    if (resource.Type === 'AWS::Serverless::Function') {
      checkSamFunction(id, properties, problems);
      continue;
    }
    if (resource.Type === 'AWS::Serverless::StateMachine') {
      checkKeys(id, properties, SAM_STATE_MACHINE, problems);
      continue;
    }
    const spec = resourceSpec(resource.Type);
    if (!spec) problems.push(`${id}: resource type ${resource.Type} is not in the specification`);
    else checkObject(id, properties, spec, resource.Type, problems);
  }
  return problems;
}
