import type { AuditEvent } from '../../model/audit-event.js';
import type { Pipeline } from '../../registry/pipeline.js';
import { both, obj, path, str, type TamperCheck, UNKNOWN, type Verdict } from './fields.js';

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

/**
 * The one name the stacks give a resource outside `<stack>-`: the regional forwarder's dead-letter queue
 * has the same name in every Region (infra/regional-forwarder.yaml; a test compares them).
 */
const CLOUDTRAIL = 'cloudtrail.amazonaws.com';

export const FORWARDER_DLQ_NAME = 'glasswatch-forwarder-dlq';

/** True when the registry names no pipeline or the name is the pipeline's; unknown when the record names no resource. */
function ours(value: unknown, pipeline: Pipeline | undefined): Verdict {
  const known = prefixes(pipeline);
  const name = str(value);
  if (!known) return true;
  if (name === undefined) return UNKNOWN;
  const own = resourceName(name);
  return own === FORWARDER_DLQ_NAME || known.some((prefix) => own === prefix || own.startsWith(`${prefix}-`));
}

/**
 * CloudFormation made the call (a deployment): it sets `userIdentity.invokedBy` and `sourceIPAddress`
 * to `cloudformation.amazonaws.com` (a caller cannot; `userAgent` it can, so that is not read).
 */
export function deployedByCloudFormation(event: AuditEvent): boolean {
  const service = 'cloudformation.amazonaws.com';
  return path(event.raw, 'userIdentity', 'invokedBy') === service && path(event.raw, 'sourceIPAddress') === service;
}

/**
 * The call names the registry's trail (`name`, or `trailName` for the selectors; an ARN or, in the
 * trail's own account and Region, its name). Any trail when the registry names none; unknown when the
 * record names none.
 */
export const trailOfPipeline: TamperCheck = (event, pipeline) => {
  const configured = pipeline?.aws.trailArn;
  if (configured === undefined) return true;
  const p = params(event);
  const named = str(p?.name) ?? str(p?.trailName);
  if (named === undefined) return UNKNOWN;
  return named === configured || named === configured.slice(configured.indexOf(':trail/') + ':trail/'.length);
};

/** UpdateTrail that moves, re-keys or narrows the trail (unknown when the record keeps no parameters). */
export const trailWeakened: TamperCheck = (event, pipeline) =>
  both(trailOfPipeline(event, pipeline), weakensTrail(event, pipeline));

const weakensTrail: TamperCheck = (event, pipeline) => {
  const p = params(event);
  if (!p) return UNKNOWN;
  const trailBucket = pipeline?.aws.trailBucket;
  const trailKey = pipeline?.aws.trailKmsKeyArn;
  return (
    (str(p.s3BucketName) !== undefined && p.s3BucketName !== trailBucket) ||
    (p.kmsKeyId !== undefined && !provablyKey(str(p.kmsKeyId), trailKey)) ||
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

export const selectorsDropManagement: TamperCheck = (event, pipeline) => {
  const p = params(event);
  return both(trailOfPipeline(event, pipeline), p ? dropsManagement(p) : UNKNOWN);
};

/** PutInsightSelectors with an empty list turns Insights off. */
export const insightsRemoved: TamperCheck = (event, pipeline) => {
  const selectors = params(event)?.insightSelectors;
  return both(trailOfPipeline(event, pipeline), Array.isArray(selectors) ? selectors.length === 0 : UNKNOWN);
};

/** UpdateEventDataStore that narrows, shortens, re-keys or unprotects the store. */
export const eventDataStoreWeakened: TamperCheck = (event) => {
  const p = params(event);
  if (!p) return UNKNOWN;
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
  if (configured === undefined) return true;
  return bucket === undefined ? UNKNOWN : bucket === configured;
};

/** `keyId` is the configured key by its ARN or id (an alias could name any key: not provably it). */
function provablyKey(keyId: string | undefined, configured: string | undefined): boolean {
  if (configured === undefined || keyId === undefined) return false;
  return keyId === configured || keyId === configured.slice(configured.lastIndexOf('/') + 1);
}

/** `keyId` may be a key id, a key ARN, an alias or an alias ARN; the record's resources name the key ARN. */
export const trailKey: TamperCheck = (event, pipeline) => {
  const configured = pipeline?.aws.trailKmsKeyArn;
  if (configured === undefined) return true;
  const resources = path(event.raw, 'resources');
  const arns = Array.isArray(resources) ? resources.map((r) => str(path(r, 'ARN')) ?? str(path(r, 'arn'))) : [];
  if (arns.includes(configured)) return true;
  if (arns.some((a) => a !== undefined)) return false; // the record names another key
  const keyId = str(params(event)?.keyId);
  if (provablyKey(keyId, configured)) return true;
  // An alias may name the trail key; another key's id or ARN does not.
  return keyId === undefined || keyId.includes('alias/') ? UNKNOWN : false;
};

/** A rule of the pipeline: named by its stacks (`name`; RemoveTargets says `rule`), or on one of its buses. */
function pipelineRule(event: AuditEvent, pipeline: Pipeline | undefined): Verdict {
  const p = params(event);
  const bus = str(p?.eventBusName);
  if (bus !== undefined && bus !== 'default' && ours(bus, pipeline) === true) return true;
  return ours(p?.name ?? p?.rule, pipeline);
}

export const ruleOfPipeline: TamperCheck = pipelineRule;

/** PutRule that disables a pipeline rule (or a PutRule whose parameters the record does not keep). */
export const ruleDisabled: TamperCheck = (event, pipeline) => {
  const p = params(event);
  return both(pipelineRule(event, pipeline), p ? p.state === 'DISABLED' : UNKNOWN);
};

/** PutRule that rewrites a pipeline rule and leaves it enabled: its pattern or bus may have changed. */
export const ruleRewritten: TamperCheck = (event, pipeline) => {
  const p = params(event);
  return p !== undefined && p.state !== 'DISABLED' && pipelineRule(event, pipeline);
};

export const busOfPipeline: TamperCheck = (event, pipeline) => ours(params(event)?.name, pipeline);

/** Permissions of the ingest bus; without `eventBusName` the call is on the default bus. */
export const ingestBusPermission: TamperCheck = (event, pipeline) => {
  const p = params(event);
  if (prefixes(pipeline) === undefined) return true;
  if (!p) return UNKNOWN;
  const bus = str(p.eventBusName);
  return bus !== undefined && ours(bus, pipeline) === true;
};

export const functionOfPipeline: TamperCheck = (event, pipeline) => ours(params(event)?.functionName, pipeline);

export const concurrencyZero: TamperCheck = (event, pipeline) => {
  const reserved = params(event)?.reservedConcurrentExecutions;
  return both(ours(params(event)?.functionName, pipeline), reserved === undefined ? UNKNOWN : reserved === 0);
};

/** The mapping's function: the request may omit it (it names the mapping by UUID); the response names it. */
function mappingFunction(event: AuditEvent): unknown {
  return params(event)?.functionName ?? response(event)?.functionArn;
}

/** The mapping's function or its queue (`eventSourceArn`, which a re-pointed mapping keeps) is the pipeline's. */
export const mappingOfPipeline: TamperCheck = (event, pipeline) => {
  const p = params(event);
  const source = str(p?.eventSourceArn) ?? str(response(event)?.eventSourceArn);
  if (source !== undefined && ours(source, pipeline) === true) return true;
  // An update naming a function names its new target: without the queue, which mapping it was is unknown.
  const target = event.action.startsWith('UpdateEventSourceMapping') ? str(p?.functionName) : undefined;
  if (source === undefined && target !== undefined) return ours(target, pipeline) === true || UNKNOWN;
  return ours(mappingFunction(event), pipeline);
};

/**
 * UpdateEventSourceMapping that disables a pipeline mapping, gives it filter criteria (the template
 * sets none; SQS messages a filter does not match are deleted) or points it at another function.
 */
export const mappingCut: TamperCheck = (event, pipeline) => {
  const p = params(event);
  const repointed = str(p?.functionName) !== undefined && ours(p?.functionName, pipeline) === false;
  const cut = p ? p.enabled === false || p.filterCriteria !== undefined || repointed : UNKNOWN;
  return both(mappingOfPipeline(event, pipeline), cut);
};

export const queueOfPipeline: TamperCheck = (event, pipeline) => ours(params(event)?.queueUrl, pipeline);

function pipelineSchedule(event: AuditEvent, pipeline: Pipeline | undefined): Verdict {
  const p = params(event);
  const group = str(p?.groupName);
  if (group !== undefined && (pipeline?.aws.scheduleGroups ?? []).includes(group)) return true;
  return ours(p?.name, pipeline);
}

export const scheduleOfPipeline: TamperCheck = pipelineSchedule;

/** DeleteScheduleGroup names the group in `name`. */
export const scheduleGroupOfPipeline: TamperCheck = (event, pipeline) => {
  const name = str(params(event)?.name);
  if (name !== undefined && (pipeline?.aws.scheduleGroups ?? []).includes(name)) return true;
  return ours(name, pipeline);
};

export const scheduleDisabled: TamperCheck = (event, pipeline) => {
  const p = params(event);
  return both(pipelineSchedule(event, pipeline), p ? p.state === 'DISABLED' : UNKNOWN);
};

/** DeleteAlarms and DisableAlarmActions name their alarms in `alarmNames`: one of the pipeline's is enough. */
export const alarmsOfPipeline: TamperCheck = (event, pipeline) => {
  const names = params(event)?.alarmNames;
  if (prefixes(pipeline) === undefined) return true;
  if (!Array.isArray(names) || names.length === 0) return UNKNOWN;
  return names.some((name) => ours(name, pipeline) === true);
};

/** SNS DeleteTopic names `topicArn`; Unsubscribe the subscription (`arn:…:topic:id`). */
export const topicOfPipeline: TamperCheck = (event, pipeline) => {
  const p = params(event);
  const arn = str(p?.topicArn) ?? str(p?.subscriptionArn)?.split(':').slice(0, 6).join(':');
  return ours(arn, pipeline);
};

/** Organizations trusted access withdrawn from CloudTrail: the organization trail stops in every member account. */
export const cloudTrailAccessDisabled: TamperCheck = (event) => {
  const principal = str(params(event)?.servicePrincipal);
  return principal === undefined ? UNKNOWN : principal === CLOUDTRAIL;
};

export const stackOfPipeline: TamperCheck = (event, pipeline) => ours(params(event)?.stackName, pipeline);
