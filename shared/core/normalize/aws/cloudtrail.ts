import type { AuditEvent, EventOrigin } from '../../model/audit-event.js';
import { contentId } from '../content-id.js';
import { cap, FieldReader, isObject, type JsonObject, startsWithIsoDate } from '../fields.js';
import { awsMembership, membershipChange } from '../group-membership.js';
import { Skipped } from '../skips.js';
import type { Normalizer, RecordFormat, SkipRule } from '../types.js';
import { isProviderGenerated, readActor, readAssumedRole, readTargets, rootArn } from './principals.js';
import { changesRootAccess, readRootSession } from './root-session.js';
import { authenticationEvent, readOutcome } from './signin.js';

/**
 * The CloudTrail record normalizer: one record (an element of a log file's `Records[]`, an
 * EventBridge `detail`, or a bare record) → {@link AuditEvent}.
 */

export const CLOUDTRAIL_FORMAT: RecordFormat = 'aws.cloudtrail';

/**
 * `requestParameters` names that hold the resource acted on, for every service; a small table, not a
 * schema of every API. `name` is only a resource in CloudTrail's own API (the trail).
 */
const RESOURCE_PARAMETERS: readonly string[] = [
  'bucketName',
  'userName',
  'roleName',
  'groupName',
  'policyArn',
  'trailName',
  'functionName',
  'secretId',
  'keyId',
];
const SERVICE_RESOURCE_PARAMETERS: ReadonlyMap<string, readonly string[]> = new Map([
  ['cloudtrail.amazonaws.com', ['name']],
]);

/**
 * Cheap pre-check by key presence, for envelopes and batch readers: does this object look like one
 * CloudTrail record? The Logstash-shipped shape has `@timestamp` instead of `eventTime`.
 */
export function isCloudTrailRecord(doc: JsonObject): boolean {
  return (
    Object.hasOwn(doc, 'eventVersion') ||
    (Object.hasOwn(doc, 'eventSource') && (Object.hasOwn(doc, 'userIdentity') || Object.hasOwn(doc, '@timestamp')))
  );
}

/**
 * CloudTrail Insights records (`eventType: AwsCloudTrailInsight`, `eventCategory: Insight`, with
 * `insightDetails`) sit in the same log files and event data stores as audit records. They summarise an
 * API-rate anomaly and name no principal: skipped, counted as `aws.insight`.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-insights-events.html
 */
export const skipCloudTrail: SkipRule = (value, origin) => {
  if (!isObject(value)) return undefined;
  const insight =
    value.eventType === 'AwsCloudTrailInsight' || value.eventCategory === 'Insight' || isObject(value.insightDetails);
  if (!insight) return undefined;
  const details = isObject(value.insightDetails) ? value.insightDetails : {};
  const type = typeof details.insightType === 'string' ? ` ${cap(details.insightType, 64)}` : '';
  return new Skipped('aws.insight', `CloudTrail Insights record${type}`, origin);
};

/**
 * Turns one CloudTrail record into an {@link AuditEvent}. Throws NormalizeError naming the field and
 * origin when `eventTime` (or `@timestamp`), `eventName`, `eventSource` or `userIdentity` is missing or
 * mistyped. Called on an Insights record directly, it names it (`normalize` skips those first, see
 * {@link skipCloudTrail}).
 *
 * @example
 * const event = normalizeCloudTrail(JSON.parse(line), { location: 'trail.jsonl', line: 3 });
 * if (event.actor.type === 'Root' && event.category === 'authentication') page(event);
 */
export const normalizeCloudTrail: Normalizer = (value: unknown, origin: EventOrigin): AuditEvent => {
  const reader = new FieldReader(CLOUDTRAIL_FORMAT, origin);
  const record = reader.root(value);
  const eventType = reader.optString(record, 'eventType');
  if (eventType === 'AwsCloudTrailInsight') {
    reader.fail(
      'eventType',
      'an Insights record (API-rate anomaly) names no principal; read it as Insights, not audit',
    );
  }
  const time = readEventTime(record, reader);
  const action = reader.string(record, 'eventName');
  const service = reader.string(record, 'eventSource');
  const identity = reader.object(record, 'userIdentity');
  // Absent in trimmed exports (some OTRF and Panther samples): a content hash keeps dedup working.
  const nativeId = reader.optString(record, 'eventID') ?? contentId(record, reader, 'eventID');
  const region = reader.optString(record, 'awsRegion');
  const actor = readActor(identity, reader, region, reader.optObject(record, 'additionalEventData'));
  const account = reader.optString(record, 'recipientAccountId') ?? actor.accountId;
  const requestParameters = reader.optObject(record, 'requestParameters');

  const mfaReader = authenticationEvent(service, action);
  const isAuthentication = mfaReader !== undefined;
  const errorCode = reader.optString(record, 'errorCode');
  const outcome = readOutcome(record, reader, service, action, errorCode);
  const rootSession = readRootSession(service, action, identity, actor, record, reader);
  // sts:AssumeRoot acts on the member account's root user: that is whose break-glass entry it concerns.
  // The organization-wide root-access switches act on the root users: the record account's root stands for them.
  let member = rootSession?.phase === 'issued' ? rootSession.memberAccount : undefined;
  if (member === undefined && changesRootAccess(service, action, requestParameters)) member = account;
  const targets =
    member === undefined
      ? readTargets(service, action, requestParameters, actor, account, region)
      : [{ arn: rootArn(member, region), accountId: member }];

  const event: AuditEvent = {
    id: `aws:${nativeId}`,
    nativeId,
    cloud: 'aws',
    source: 'aws.cloudtrail',
    time: time.iso,
    timeMs: time.ms,
    category: isAuthentication ? 'authentication' : 'api',
    service,
    action,
    outcome,
    providerGenerated: isProviderGenerated(eventType, isAuthentication, actor.invokedBy, service),
    actor,
    targets,
    resources: readResources(record, reader, service, requestParameters),
    account,
    region,
    src: {
      ip: reader.optString(record, 'sourceIPAddress'),
      userAgent: reader.optString(record, 'userAgent'),
    },
    origin,
    raw: record,
  };
  if (outcome === 'failure') event.failureReason = failureReason(errorCode, reader.optString(record, 'errorMessage'));
  if (mfaReader !== undefined) {
    const mfa = mfaReader(record, identity, reader);
    if (mfa !== undefined) event.mfa = mfa;
    const session = action.startsWith('AssumeRole')
      ? readAssumedRole(requestParameters, reader.optObject(record, 'responseElements'))
      : undefined;
    if (session !== undefined) event.authenticatedAs = session;
  }
  if (rootSession !== undefined) event.rootSession = rootSession;
  const membership = membershipChange('aws', service, action);
  if (membership !== undefined) event.membership = awsMembership(membership, requestParameters);
  return event;
};

/** `eventTime`, or Logstash's `@timestamp` only when `eventTime` is absent (a bad eventTime is an error). */
function readEventTime(record: JsonObject, reader: FieldReader): { iso: string; ms: number } {
  const key = record.eventTime === undefined || record.eventTime === null ? '@timestamp' : 'eventTime';
  const raw = record[key];
  if (raw === undefined || raw === null) reader.fail('eventTime', 'missing (and no @timestamp)');
  if (typeof raw !== 'string') {
    reader.fail(key, `expected an ISO 8601 string, got ${Array.isArray(raw) ? 'an array' : typeof raw}`);
  }
  if (!startsWithIsoDate(raw)) reader.fail(key, `not an ISO 8601 timestamp: ${JSON.stringify(cap(raw, 64))}`);
  return reader.time(record, key);
}

function readResources(
  record: JsonObject,
  reader: FieldReader,
  eventSource: string,
  requestParameters: JsonObject | undefined,
): string[] {
  const found: string[] = [];
  const listed = reader.optArray(record, 'resources');
  if (listed !== undefined) {
    for (const entry of listed) {
      // Entries without a string ARN add nothing; they do not make the record untrustworthy.
      if (isObject(entry) && typeof entry.ARN === 'string' && entry.ARN !== '') addUnique(found, cap(entry.ARN));
    }
  }
  if (requestParameters !== undefined) {
    addParameters(found, requestParameters, RESOURCE_PARAMETERS);
    const extra = SERVICE_RESOURCE_PARAMETERS.get(eventSource);
    if (extra !== undefined) addParameters(found, requestParameters, extra);
  }
  return found;
}

/** Parameter shapes differ per API; only string values name a resource. */
function addParameters(found: string[], parameters: JsonObject, names: readonly string[]): void {
  for (const name of names) {
    const value = Object.hasOwn(parameters, name) ? parameters[name] : undefined;
    if (typeof value === 'string' && value !== '') addUnique(found, cap(value));
  }
}

function addUnique(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

function failureReason(errorCode: string | undefined, errorMessage: string | undefined): string | undefined {
  if (errorCode !== undefined && errorMessage !== undefined) return cap(`${errorCode}: ${errorMessage}`);
  return errorCode ?? errorMessage;
}
