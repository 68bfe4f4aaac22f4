import { TAMPER_ENTRIES } from '../../detect/tamper-actions.js';
import type { Pipeline } from '../../registry/pipeline.js';
import { type CheckResult, couldNotRead, fail, pass, unchecked } from './result.js';

/**
 * The AWS delivery path read back: the trail (CloudTrail GetTrailStatus, GetEventSelectors, GetTrail),
 * the Glasswatch EventBridge rules in every forwarder Region (ListRules, ListTargetsByRule) and the trail
 * bucket's notification to the trail-object queue (S3 GetBucketNotificationConfiguration). The port is
 * shaped by these checks; the adapter calls the SDK.
 */
export interface AwsPlumbing {
  trailStatus(trail: string): Promise<{ isLogging: boolean; latestDeliveryError?: string }>;
  trail(trail: string): Promise<{ isMultiRegionTrail: boolean; isOrganizationTrail: boolean; s3BucketName?: string }>;
  eventSelectors(trail: string): Promise<{ eventSelectors?: unknown[]; advancedEventSelectors?: unknown[] }>;
  /** Rules on the default bus whose names start with `prefix`. */
  rules(
    region: string,
    prefix: string,
  ): Promise<{ name: string; state: string; eventPattern?: string; targetArns: string[] }[]>;
  /** Queue ARNs the bucket notifies of created objects. */
  bucketQueues(bucket: string): Promise<{ queueArn: string; events: string[] }[]>;
}

const TRAIL = 'aws.trail';

/** Management events, read and write, kept by the selectors (basic or advanced). */
export function keepsManagementEvents(selectors: {
  eventSelectors?: unknown[];
  advancedEventSelectors?: unknown[];
}): boolean {
  const field = (v: unknown, k: string) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined);
  if (Array.isArray(selectors.advancedEventSelectors) && selectors.advancedEventSelectors.length > 0) {
    return selectors.advancedEventSelectors.some((s) => {
      const fields = field(s, 'FieldSelectors');
      if (!Array.isArray(fields)) return false;
      const category = fields.find((f) => field(f, 'Field') === 'eventCategory');
      const equals = field(category, 'Equals');
      return Array.isArray(equals) && equals.includes('Management') && fields.length === 1;
    });
  }
  return (selectors.eventSelectors ?? []).some((s) => {
    const excluded = field(s, 'ExcludeManagementEventSources');
    return (
      field(s, 'IncludeManagementEvents') !== false &&
      (field(s, 'ReadWriteType') ?? 'All') === 'All' &&
      (!Array.isArray(excluded) || excluded.length === 0)
    );
  });
}

export async function checkTrail(aws: AwsPlumbing, pipeline: Pipeline | undefined): Promise<CheckResult[]> {
  const trail = pipeline?.aws.trailArn;
  if (!trail) {
    return [
      unchecked(
        'aws',
        TRAIL,
        'trail logging, selectors, multi-Region and organization',
        'pipeline.aws.trailArn not in the registry',
      ),
    ];
  }
  const results: CheckResult[] = [];
  const status = await aws.trailStatus(trail);
  results.push(
    status.isLogging
      ? pass('aws', `${TRAIL}.logging`, 'trail is logging')
      : fail('aws', `${TRAIL}.logging`, 'trail is logging', 'IsLogging is false (StopLogging)'),
    status.latestDeliveryError
      ? fail(
          'aws',
          `${TRAIL}.delivery`,
          'trail delivers to its bucket',
          `LatestDeliveryError ${status.latestDeliveryError}`,
        )
      : pass('aws', `${TRAIL}.delivery`, 'trail delivers to its bucket'),
  );
  const selectors = await aws.eventSelectors(trail);
  results.push(
    keepsManagementEvents(selectors)
      ? pass('aws', `${TRAIL}.selectors`, 'trail logs management events, read and write')
      : fail(
          'aws',
          `${TRAIL}.selectors`,
          'trail logs management events, read and write',
          'no selector keeps every management event',
        ),
  );
  const described = await aws.trail(trail);
  results.push(
    described.isMultiRegionTrail
      ? pass('aws', `${TRAIL}.multi-region`, 'trail is multi-Region')
      : fail('aws', `${TRAIL}.multi-region`, 'trail is multi-Region', 'IsMultiRegionTrail is false'),
    described.isOrganizationTrail
      ? pass('aws', `${TRAIL}.organization`, 'trail is an organization trail')
      : fail('aws', `${TRAIL}.organization`, 'trail is an organization trail', 'IsOrganizationTrail is false'),
  );
  const bucket = pipeline?.aws.trailBucket;
  if (bucket && described.s3BucketName !== undefined && described.s3BucketName !== bucket) {
    results.push(
      fail('aws', `${TRAIL}.bucket`, 'trail writes to the trail bucket', `writes to ${described.s3BucketName}`),
    );
  } else if (bucket) results.push(pass('aws', `${TRAIL}.bucket`, 'trail writes to the trail bucket'));
  return results;
}

/** The tamper rule must still list every (source, name) of the table. */
function patternCoversTamper(pattern: string | undefined): boolean {
  if (!pattern) return false;
  try {
    const detail = (JSON.parse(pattern) as { detail?: { eventSource?: string[]; eventName?: string[] } }).detail;
    return TAMPER_ENTRIES.filter((e) => e.cloud === 'aws').every(
      (e) =>
        (e.service === undefined || detail?.eventSource?.includes(e.service)) &&
        e.actions.every((a) => detail?.eventName?.includes(a)),
    );
  } catch {
    return false;
  }
}

/**
 * Global services (IAM, STS's global endpoint, console sign-in, Organizations, Account Management)
 * deliver their EventBridge events only in the partition's first Region: without a forwarder there, a
 * root console sign-in reaches the pipeline only through the slower S3 and sweeper paths.
 * https://repost.aws/knowledge-center/eventbridge-rule-triggers-iam-single-region
 */
const GLOBAL_EVENT_REGIONS = ['us-east-1', 'us-gov-west-1', 'cn-north-1'];

function globalRegionCheck(regions: readonly string[]): CheckResult {
  const setting = 'a forwarder in the Region global-service events arrive in (us-east-1)';
  return regions.some((r) => GLOBAL_EVENT_REGIONS.includes(r))
    ? pass('aws', 'aws.rules.global-region', setting)
    : fail(
        'aws',
        'aws.rules.global-region',
        setting,
        `forwarder Regions ${regions.join(', ')}: IAM, STS, console sign-in and Organizations events reach EventBridge only in ${GLOBAL_EVENT_REGIONS.join(' / ')} (by partition)`,
      );
}

/**
 * Every Glasswatch rule on the default bus of each forwarder Region: ENABLED (or
 * ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS), targeting the ingest bus; the tamper rule still
 * listing every tamper action of the table; and at least the forwarding and tamper rules present.
 */
export async function checkRules(
  aws: AwsPlumbing,
  pipeline: Pipeline | undefined,
  ingestBusArn?: string,
): Promise<CheckResult[]> {
  const regions = pipeline?.aws.forwarderRegions ?? [];
  const prefixes = [...(pipeline?.namePrefix ? [pipeline.namePrefix] : []), ...(pipeline?.aws.stacks ?? [])];
  if (regions.length === 0 || prefixes.length === 0) {
    return [
      unchecked(
        'aws',
        'aws.rules',
        'forwarding rules enabled with the deployed pattern and target',
        'pipeline.namePrefix and pipeline.aws.forwarderRegions not both in the registry',
      ),
    ];
  }
  const results: CheckResult[] = [globalRegionCheck(regions)];
  // The template names the bus `<stack>-ingest`; a deployment that knows its ARN compares the whole ARN.
  const ingestBus = `:event-bus/${pipeline?.namePrefix ?? prefixes[0]}-ingest`;
  for (const region of regions) {
    const rules = (await Promise.all(prefixes.map((p) => aws.rules(region, `${p}-`)))).flat();
    const forward = rules.filter((r) => /-ForwardRule-/.test(r.name));
    const tamper = rules.filter((r) => /-TamperForwardRule-/.test(r.name));
    const present = `aws.rules.present#${region}`;
    results.push(
      forward.length > 0 && tamper.length > 0
        ? pass('aws', present, `forwarding and tamper rules exist in ${region}`)
        : fail(
            'aws',
            present,
            `forwarding and tamper rules exist in ${region}`,
            `found ${forward.length} forwarding and ${tamper.length} tamper rules`,
          ),
    );
    for (const rule of [...forward, ...tamper]) {
      const key = `aws.rule#${region}#${rule.name}`;
      const setting = `rule ${rule.name} in ${region} enabled, targeting the ingest bus`;
      if (!rule.state.startsWith('ENABLED')) results.push(fail('aws', key, setting, `state ${rule.state}`));
      else if (!rule.targetArns.some((arn) => (ingestBusArn ? arn === ingestBusArn : arn.endsWith(ingestBus)))) {
        results.push(fail('aws', key, setting, `targets ${rule.targetArns.join(', ') || 'nothing'}`));
      } else if (tamper.includes(rule) && !patternCoversTamper(rule.eventPattern)) {
        results.push(fail('aws', key, setting, 'pattern no longer lists every tamper action of the table'));
      } else results.push(pass('aws', key, setting));
    }
  }
  return results;
}

/** The trail bucket notifies the trail-object queue (`<stack>-TrailObjectQueue-…`) of every created object. */
export async function checkBucketNotification(
  aws: AwsPlumbing,
  pipeline: Pipeline | undefined,
): Promise<CheckResult[]> {
  const bucket = pipeline?.aws.trailBucket;
  const prefix = pipeline?.namePrefix;
  const setting = 'trail bucket notifies the trail-object queue of created objects';
  if (!bucket || !prefix)
    return [
      unchecked(
        'aws',
        'aws.bucket.notification',
        setting,
        'pipeline.aws.trailBucket and pipeline.namePrefix not both in the registry',
      ),
    ];
  const queues = await aws.bucketQueues(bucket);
  const ours = queues.find(
    (q) =>
      (q.queueArn.split(':').pop() ?? '').startsWith(`${prefix}-TrailObjectQueue`) &&
      q.events.some((e) => e === 's3:ObjectCreated:*' || e === 's3:ObjectCreated:Put'),
  );
  return [
    ours
      ? pass('aws', 'aws.bucket.notification', setting)
      : fail(
          'aws',
          'aws.bucket.notification',
          setting,
          queues.length === 0 ? 'no queue notification' : `notifies ${queues.map((q) => q.queueArn).join(', ')}`,
        ),
  ];
}

/** Every AWS check; a call that fails (access denied, throttled) is reported against its check. */
export async function verifyAws(
  aws: AwsPlumbing,
  pipeline: Pipeline | undefined,
  ingestBusArn?: string,
): Promise<CheckResult[]> {
  const guarded = async (key: string, setting: string, run: () => Promise<CheckResult[]>) => {
    try {
      return await run();
    } catch (error) {
      return [fail('aws', key, setting, couldNotRead(error))];
    }
  };
  return [
    ...(await guarded(TRAIL, 'trail configuration', () => checkTrail(aws, pipeline))),
    ...(await guarded('aws.rules', 'forwarding rules', () => checkRules(aws, pipeline, ingestBusArn))),
    ...(await guarded('aws.bucket.notification', 'trail bucket notification', () =>
      checkBucketNotification(aws, pipeline),
    )),
  ];
}
