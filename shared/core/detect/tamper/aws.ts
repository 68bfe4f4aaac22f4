import type { AuditEvent } from '../../model/audit-event.js';
import type { Pipeline } from '../../registry/pipeline.js';
import { obj, path, str, type TamperCheck } from './fields.js';

/**
 * Which AWS calls of the tamper table touch the audit path: CloudTrail request parameters read as the
 * CloudTrail record contents page documents them (camelCase API parameter names). When the record
 * does not say (no requestParameters, as on some failed calls) or the registry does not name the
 * resource, the check answers true: a miss is worse than a page.
 */

const params = (event: AuditEvent) => obj(path(event.raw, 'requestParameters'));
const response = (event: AuditEvent) => obj(path(event.raw, 'responseElements'));

/** Names the stacks give the pipeline's resources start with `<stack>-`; undefined when none is known. */
function prefixes(pipeline: Pipeline | undefined): string[] | undefined {
  const names = [...(pipeline?.namePrefix ? [pipeline.namePrefix] : []), ...(pipeline?.aws.stacks ?? [])];
  return names.length > 0 ? names : undefined;
}

/**
 * The resource's own name out of a name, ARN or URL: `arn:aws:lambda:r:a:function:NAME[:qualifier]`,
 * `arn:aws:cloudformation:r:a:stack/NAME/id`, `https://sqs.r.amazonaws.com/a/NAME`, `arn:…:rule/[bus/]NAME`.
 */
export function resourceName(value: string): string {
  if (value.startsWith('https://')) return value.slice(value.lastIndexOf('/') + 1);
  if (!value.startsWith('arn:')) return value;
  const resource = value.split(':').slice(5);
  if (resource[0] === 'function') return resource[1] ?? '';
  const [kind, ...rest] = (resource.join(':') || '').split('/');
  if (kind === 'stack') return rest[0] ?? '';
  return rest[rest.length - 1] ?? kind ?? '';
}

/** True when the registry names no pipeline, the record names no resource, or the name is the pipeline's. */
function ours(value: unknown, pipeline: Pipeline | undefined): boolean {
  const known = prefixes(pipeline);
  const name = str(value);
  if (!known || name === undefined) return true;
  const own = resourceName(name);
  return known.some((prefix) => own === prefix || own.startsWith(`${prefix}-`));
}

/** UpdateTrail that moves, re-keys or narrows the trail (and any trail when the record does not say). */
export const trailWeakened: TamperCheck = (event, pipeline) => {
  const p = params(event);
  if (!p) return true;
  const trailBucket = pipeline?.aws.trailBucket;
  const trailKey = pipeline?.aws.trailKmsKeyArn;
  return (
    (str(p.s3BucketName) !== undefined && p.s3BucketName !== trailBucket) ||
    (str(p.kmsKeyId) !== undefined && !isKey(str(p.kmsKeyId), trailKey)) ||
    p.s3KeyPrefix !== undefined ||
    p.isMultiRegionTrail === false ||
    p.includeGlobalServiceEvents === false ||
    p.isOrganizationTrail === false ||
    p.enableLogFileValidation === false
  );
};

/** An advanced selector that keeps every management event: `eventCategory = Management` and nothing narrower. */
function keepsAllManagement(selector: unknown): boolean {
  const fields = path(selector, 'fieldSelectors');
  if (!Array.isArray(fields)) return false;
  const category = fields.find((f) => path(f, 'field') === 'eventCategory');
  const equals = path(category, 'equals');
  return (
    Array.isArray(equals) &&
    equals.includes('Management') &&
    fields.every((f) => path(f, 'field') === 'eventCategory' || path(f, 'field') === undefined)
  );
}

/** True unless the selectors provably keep every management event, read and write. */
function dropsManagement(p: Record<string, unknown>): boolean {
  const basic = p.eventSelectors;
  const advanced = p.advancedEventSelectors;
  if (Array.isArray(advanced)) return !advanced.some(keepsAllManagement);
  if (!Array.isArray(basic)) return true;
  return !basic.some((s) => {
    const excluded = path(s, 'excludeManagementEventSources');
    return (
      path(s, 'includeManagementEvents') !== false &&
      (path(s, 'readWriteType') ?? 'All') === 'All' &&
      (!Array.isArray(excluded) || excluded.length === 0)
    );
  });
}

export const selectorsDropManagement: TamperCheck = (event) => {
  const p = params(event);
  return !p || dropsManagement(p);
};

/** PutInsightSelectors with an empty list turns Insights off. */
export const insightsRemoved: TamperCheck = (event) => {
  const selectors = params(event)?.insightSelectors;
  return !Array.isArray(selectors) || selectors.length === 0;
};

/** UpdateEventDataStore that narrows, shortens, re-keys or unprotects the store. */
export const eventDataStoreWeakened: TamperCheck = (event) => {
  const p = params(event);
  if (!p) return true;
  return (
    (Array.isArray(p.advancedEventSelectors) && !p.advancedEventSelectors.some(keepsAllManagement)) ||
    p.retentionPeriod !== undefined ||
    p.kmsKeyId !== undefined ||
    p.multiRegionEnabled === false ||
    p.organizationEnabled === false ||
    p.terminationProtectionEnabled === false
  );
};

export const trailBucket: TamperCheck = (event, pipeline) => {
  const bucket = str(params(event)?.bucketName);
  const configured = pipeline?.aws.trailBucket;
  return configured === undefined || bucket === undefined || bucket === configured;
};

/** `keyId` may be a key id, a key ARN, an alias or an alias ARN; the record's resources name the key ARN. */
function isKey(keyId: string | undefined, configured: string | undefined): boolean {
  if (configured === undefined || keyId === undefined) return true;
  if (keyId === configured || keyId === configured.slice(configured.lastIndexOf('/') + 1)) return true;
  return keyId.includes('alias/');
}

export const trailKey: TamperCheck = (event, pipeline) => {
  const configured = pipeline?.aws.trailKmsKeyArn;
  if (configured === undefined) return true;
  const resources = path(event.raw, 'resources');
  const arns = Array.isArray(resources) ? resources.map((r) => str(path(r, 'ARN')) ?? str(path(r, 'arn'))) : [];
  if (arns.includes(configured)) return true;
  if (arns.some((a) => a !== undefined)) return false; // the record names another key
  return isKey(str(params(event)?.keyId), configured);
};

/** A rule of the pipeline: named by its stacks (`name`; RemoveTargets says `rule`), or on one of its buses. */
function pipelineRule(event: AuditEvent, pipeline: Pipeline | undefined): boolean {
  const p = params(event);
  const bus = str(p?.eventBusName);
  return ours(p?.name ?? p?.rule, pipeline) || (bus !== undefined && bus !== 'default' && ours(bus, pipeline));
}

export const ruleOfPipeline: TamperCheck = pipelineRule;

/** PutRule that disables a pipeline rule (or a PutRule whose parameters the record does not keep). */
export const ruleDisabled: TamperCheck = (event, pipeline) => {
  const p = params(event);
  return pipelineRule(event, pipeline) && (!p || p.state === 'DISABLED');
};

/** PutRule that rewrites a pipeline rule and leaves it enabled: its pattern or bus may have changed. */
export const ruleRewritten: TamperCheck = (event, pipeline) => {
  const p = params(event);
  return p !== undefined && pipelineRule(event, pipeline) && p.state !== 'DISABLED';
};

export const busOfPipeline: TamperCheck = (event, pipeline) => ours(params(event)?.name, pipeline);

/** Permissions of the ingest bus; without `eventBusName` the call is on the default bus. */
export const ingestBusPermission: TamperCheck = (event, pipeline) => {
  const p = params(event);
  if (!p) return true;
  const bus = str(p.eventBusName);
  return prefixes(pipeline) === undefined || (bus !== undefined && ours(bus, pipeline));
};

export const functionOfPipeline: TamperCheck = (event, pipeline) => ours(params(event)?.functionName, pipeline);

export const concurrencyZero: TamperCheck = (event, pipeline) => {
  const reserved = params(event)?.reservedConcurrentExecutions;
  return ours(params(event)?.functionName, pipeline) && (reserved === undefined || reserved === 0);
};

/** The mapping's function: the request may omit it (it names the mapping by UUID); the response names it. */
function mappingFunction(event: AuditEvent): unknown {
  return params(event)?.functionName ?? response(event)?.functionArn;
}

export const mappingOfPipeline: TamperCheck = (event, pipeline) => ours(mappingFunction(event), pipeline);

export const mappingDisabled: TamperCheck = (event, pipeline) => {
  const p = params(event);
  return ours(mappingFunction(event), pipeline) && (!p || p.enabled === false);
};

export const queueOfPipeline: TamperCheck = (event, pipeline) => ours(params(event)?.queueUrl, pipeline);

function pipelineSchedule(event: AuditEvent, pipeline: Pipeline | undefined): boolean {
  const p = params(event);
  const group = str(p?.groupName);
  return (group !== undefined && (pipeline?.aws.scheduleGroups ?? []).includes(group)) || ours(p?.name, pipeline);
}

export const scheduleOfPipeline: TamperCheck = pipelineSchedule;

export const scheduleDisabled: TamperCheck = (event, pipeline) => {
  const p = params(event);
  return pipelineSchedule(event, pipeline) && (!p || p.state === 'DISABLED');
};

export const stackOfPipeline: TamperCheck = (event, pipeline) => ours(params(event)?.stackName, pipeline);
