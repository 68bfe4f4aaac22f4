import type { LookupQuery } from '../../adapters/aws/cloudtrail-lookup.js';
import { AWS_CREDENTIAL_EVENTS, AWS_WATCHED_EVENTS } from '../../core/detect/watched-aws-events.js';
import { isObject } from '../../core/normalize/fields.js';
import { iamIdentity, type Registry, splitArn } from '../../core/registry/index.js';
import { declaredStores } from '../../core/registry/matcher.js';

/**
 * What the sweeper asks CloudTrail event history and what the regional forwarder lets through, both
 * derived from the registry: one query per lookup attribute value (LookupEvents takes one attribute
 * per call), and the forwarder's parameter lists.
 */

export {
  ASSUME_ROOT_EVENT,
  AWS_CREDENTIAL_EVENTS,
  AWS_TAMPER_EVENTS,
  AWS_WATCHED_EVENTS,
} from '../../core/detect/watched-aws-events.js';

/** The STS calls that open a session of a role: a registered role's sign-ins. */
export const ASSUME_ROLE_EVENTS: readonly string[] = ['AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity'];

export interface SweepPlan {
  queries: LookupQuery[];
  /** Role ARNs whose AssumeRole* calls are looked up; the sessions they open are followed by access key. */
  roleArns: string[];
  /** Registry entries event history cannot be searched for (patterns, role sessions), with why. */
  unsearchable: string[];
}

/** The forwarder's parameters (infra/regional-forwarder.yaml), each a list for a CommaDelimitedList. */
export interface ForwarderParameters {
  /** IAM users (by ARN or userName) and Identity Center user names: as caller and as target. */
  BreakGlassIamUserNames: string[];
  /** Role names: every call of a session of these roles (`sessionIssuer.userName`). */
  BreakGlassRoleNames: string[];
  /** Role ARNs: the AssumeRole* calls that open their sessions (`requestParameters.roleArn`). */
  BreakGlassRoleArns: string[];
  /** Entries the parameters can only approximate, with what still covers them. */
  notes: string[];
}

/** The AWS identities the registry names, sorted and distinct, shared by the sweeper and the forwarder. */
function awsNames(registry: Registry) {
  const users = new Set<string>();
  const roleNames = new Set<string>();
  const roleArns = new Set<string>();
  let root = false;
  const other: { id: string; arn: string }[] = [];
  for (const account of registry.accounts) {
    if (account.cloud !== 'aws') continue;
    const { arn, userName } = account.match;
    if (userName) users.add(userName);
    // A role ARN, or an STS session ARN (pattern) of a role: its sessions carry the role's name.
    const identity = arn ? iamIdentity(arn) : undefined;
    const iam = arn !== undefined && splitArn(arn)?.service === 'iam';
    if (identity?.kind === 'root' && iam) root = true;
    else if (identity?.kind === 'user' && iam && !identity.name.includes('*')) users.add(identity.name);
    else if (identity?.kind === 'role' && !identity.name.includes('*')) {
      roleNames.add(identity.name);
      if (iam && !arn?.includes('*')) roleArns.add(arn as string);
      else other.push({ id: account.id, arn: arn as string });
    } else if (arn) other.push({ id: account.id, arn });
  }
  const sorted = (set: Set<string>) => [...set].sort();
  return { root, users: sorted(users), roleNames: sorted(roleNames), roleArns: sorted(roleArns), other };
}

/**
 * Username queries for every AWS break-glass user (root → `root`), ResourceName queries for every role
 * (its AssumeRole* calls; the sweeper then follows each session by its access key), EventName queries
 * for every name in {@link AWS_WATCHED_EVENTS} (tampering, AssumeRoot, the centralized-root-access
 * switches). Duplicates are merged.
 *
 * @example
 * sweepPlan(registry).queries; // [{ attribute: 'Username', value: 'root' }, { attribute: 'EventName', value: 'StopLogging' }, …]
 */
export function sweepPlan(registry: Registry): SweepPlan {
  const names = awsNames(registry);
  const usernames = [...(names.root ? ['root'] : []), ...names.users].sort();
  const unsearchable = names.other.map(
    ({ id, arn }) =>
      `${id}: event history cannot be searched by ${arn}; the S3 and EventBridge paths still cover it` +
      (iamIdentity(arn)?.kind === 'role' ? ' (sessions are forwarded by role name)' : ''),
  );
  // Credential-store calls are looked up only when some account keeps its credential in an AWS store:
  // GetSecretValue is frequent, and event history answers 2 requests per second per account.
  const awsStores = registry.accounts.some((a) =>
    declaredStores(a).some((s) => 'secretsManager' in s || 'ssmParameter' in s),
  );
  const eventNames = [
    ...new Set([
      ...Object.values(AWS_WATCHED_EVENTS).flat(),
      ...(awsStores ? Object.values(AWS_CREDENTIAL_EVENTS).flat() : []),
    ]),
  ];
  return {
    queries: [
      ...usernames.map((value): LookupQuery => ({ attribute: 'Username', value })),
      ...names.roleArns.map((value): LookupQuery => ({ attribute: 'ResourceName', value })),
      ...eventNames.map((value): LookupQuery => ({ attribute: 'EventName', value })),
    ],
    roleArns: names.roleArns,
    unsearchable,
  };
}

/**
 * The access key of a role session a swept record opened: a successful AssumeRole* call into one of
 * the plan's roles (`responseElements.credentials.accessKeyId`). Its session's calls are then looked up
 * by `AccessKeyId`, because event history files a role session under its session name, which the
 * registry cannot know.
 */
export function openedSessionKey(recordText: string | undefined, plan: SweepPlan): string | undefined {
  if (recordText === undefined || plan.roleArns.length === 0) return undefined;
  let record: unknown;
  try {
    record = JSON.parse(recordText);
  } catch {
    return undefined; // the pipeline reports the malformed record itself
  }
  if (!isObject(record) || !ASSUME_ROLE_EVENTS.includes(String(record.eventName)) || record.errorCode) return undefined;
  const roleArn = isObject(record.requestParameters) ? record.requestParameters.roleArn : undefined;
  if (typeof roleArn !== 'string' || !plan.roleArns.includes(roleArn)) return undefined;
  const credentials = isObject(record.responseElements) ? record.responseElements.credentials : undefined;
  const key = isObject(credentials) ? credentials.accessKeyId : undefined;
  return typeof key === 'string' && /^[A-Z0-9]{16,128}$/.test(key) ? key : undefined;
}

/**
 * The forwarder's parameter values for this registry (`glasswatch filters --aws` prints them).
 * Root users are matched by type and need no entry.
 */
export function forwarderParameters(registry: Registry): ForwarderParameters {
  const names = awsNames(registry);
  return {
    BreakGlassIamUserNames: names.users,
    BreakGlassRoleNames: names.roleNames,
    BreakGlassRoleArns: names.roleArns,
    notes: names.other.map(({ id, arn }) =>
      iamIdentity(arn)?.kind === 'role'
        ? `${id}: AssumeRole* calls into ${arn} are not forwarded (no exact role ARN); its sessions are, by role name, and the S3 path reads both`
        : `${id}: ${arn} is not forwarded by name; root users are forwarded by type, everything else reaches Glasswatch through the S3 path`,
    ),
  };
}
