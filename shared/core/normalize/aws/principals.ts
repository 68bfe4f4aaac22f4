import type { Actor, PrincipalRef } from '../../model/audit-event.js';
import { iamIdentity, sessionNameOf } from '../../registry/aws-identity.js';
import { cap, type FieldReader, isObject, type JsonObject } from '../fields.js';
import { ownString, SIGNIN_SOURCE } from './signin.js';

/**
 * Who acted and who was acted upon, from a CloudTrail record's `userIdentity` and `requestParameters`.
 */

/** AWS writes this instead of the user name typed at a failed sign-in; it names nobody. */
const HIDDEN_USER_NAME = 'HIDDEN_DUE_TO_SECURITY_REASONS';
/** `requestParameters.userName` of IAM calls root makes on itself (EnableMFADevice, …). */
const ROOT_USER_PARAMETER = 'AWS ROOT USER';
const IAM_SOURCE = 'iam.amazonaws.com';
const ACCOUNT_ID = /^\d{12}$/;

/** Partition by region prefix, for ARNs the record does not spell out. */
const PARTITIONS: readonly (readonly [prefix: string, partition: string])[] = [
  ['cn-', 'aws-cn'],
  ['us-gov-', 'aws-us-gov'],
  ['us-iso-', 'aws-iso'],
  ['us-isob-', 'aws-iso-b'],
];

/** The best human name per identity type; a miss falls back to arn, user name, principal id, type. */
const DISPLAY: ReadonlyMap<string, (actor: Actor) => string | undefined> = new Map([
  ['Root', (actor: Actor) => `root (${actor.accountId ?? 'unknown account'})`],
  ['IAMUser', (actor: Actor) => actor.userName],
  // Identity Center users: `type: "Unknown"` with the directory user name (before 2024), or
  // `IdentityCenterUser` with the name only in `additionalEventData.UserName`.
  ['Unknown', (actor: Actor) => actor.userName],
  ['IdentityCenterUser', (actor: Actor) => actor.userName],
  // The role session ARN names role and session; sessionIssuer.userName is the role, not a person.
  ['AssumedRole', (actor: Actor) => actor.arn],
  ['FederatedUser', (actor: Actor) => actor.arn],
  ['AWSService', (actor: Actor) => actor.invokedBy],
  ['AWSAccount', (actor: Actor) => (actor.accountId ? `account ${actor.accountId}` : undefined)],
]);

/**
 * Reads `userIdentity` into an {@link Actor}. Root without an ARN gets its canonical root ARN; a role
 * session carries its role (`sessionContext.sessionIssuer.arn`) and session name; an Identity Center
 * user of the current format (`IdentityCenterUser`, CloudTrail userIdentity reference) its user name
 * from `additionalEventData.UserName`.
 */
export function readActor(
  identity: JsonObject,
  reader: FieldReader,
  region: string | undefined,
  additionalEventData?: JsonObject,
): Actor {
  const type = reader.optString(identity, 'type', 'userIdentity.type') ?? 'Unknown';
  const accountId = reader.optString(identity, 'accountId', 'userIdentity.accountId');
  const rawUserName =
    reader.optString(identity, 'userName', 'userIdentity.userName') ??
    (type === 'IdentityCenterUser' ? ownString(additionalEventData, 'UserName') : undefined);
  const userName = rawUserName === HIDDEN_USER_NAME ? undefined : rawUserName;
  let arn = reader.optString(identity, 'arn', 'userIdentity.arn');
  // Some root records carry `"arn": ""`; the root ARN is fully determined by the account, and the
  // registry matches root by ARN, so a missing one would hide a root action.
  if (arn === undefined && type === 'Root' && accountId !== undefined) arn = rootArn(accountId, region);
  const actor: Actor = {
    type,
    display: '',
    arn,
    userName,
    accountId,
    invokedBy: reader.optString(identity, 'invokedBy', 'userIdentity.invokedBy'),
  };
  if (type === 'AssumedRole') addRoleSession(actor, identity, reader);
  actor.display =
    DISPLAY.get(type)?.(actor) ??
    arn ??
    userName ??
    (rawUserName === HIDDEN_USER_NAME ? 'unknown user (name hidden by AWS)' : undefined) ??
    reader.optString(identity, 'principalId', 'userIdentity.principalId') ??
    type;
  return actor;
}

/** `sessionContext.sessionIssuer.arn` (type Role) and the session name of a role session. */
function addRoleSession(actor: Actor, identity: JsonObject, reader: FieldReader): void {
  const context = reader.optObject(identity, 'sessionContext', 'userIdentity.sessionContext');
  const issuer = reader.optObject(context, 'sessionIssuer', 'userIdentity.sessionContext.sessionIssuer');
  const issuerType = reader.optString(issuer, 'type', 'userIdentity.sessionContext.sessionIssuer.type');
  const roleArn = reader.optString(issuer, 'arn', 'userIdentity.sessionContext.sessionIssuer.arn');
  if (roleArn !== undefined && (issuerType === undefined || issuerType === 'Role')) actor.roleArn = roleArn;
  const sessionName = sessionNameOf(actor.arn);
  if (sessionName !== undefined) actor.sessionName = sessionName;
}

/** The principal fields of an actor, for `targets`. */
export function principalOf(actor: Actor): PrincipalRef {
  const ref: PrincipalRef = {};
  if (actor.arn !== undefined) ref.arn = actor.arn;
  if (actor.roleArn !== undefined) ref.roleArn = actor.roleArn;
  if (actor.userName !== undefined) ref.userName = actor.userName;
  if (actor.accountId !== undefined) ref.accountId = actor.accountId;
  return ref;
}

/**
 * Calls whose `UserName` parameter is optional and defaults to the caller, so a missing
 * `requestParameters.userName` means "done to myself" (IAM API reference, per action).
 */
const SELF_TARGETED: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  [
    'iam.amazonaws.com',
    new Set([
      'ChangePassword',
      'CreateAccessKey',
      'UpdateAccessKey',
      'DeleteAccessKey',
      'CreateLoginProfile',
      'UpdateLoginProfile',
      'DeleteLoginProfile',
      'EnableMFADevice',
      'DeactivateMFADevice',
      'ResyncMFADevice',
      'UploadSigningCertificate',
      'UpdateSigningCertificate',
      'DeleteSigningCertificate',
    ]),
  ],
  // Root password changes and resets are recorded as the root acting on itself.
  [SIGNIN_SOURCE, new Set(['PasswordUpdated', 'PasswordRecoveryRequested', 'PasswordRecoveryCompleted'])],
]);

/**
 * The principals an action was done to: `requestParameters.userName` in the record's account, or the
 * caller for self-scoped calls, or nobody.
 */
export function readTargets(
  eventSource: string,
  eventName: string,
  requestParameters: JsonObject | undefined,
  actor: Actor,
  account: string | undefined,
  region: string | undefined,
): PrincipalRef[] {
  const userName = ownString(requestParameters, 'userName');
  if (userName === ROOT_USER_PARAMETER && account !== undefined) {
    return [{ arn: rootArn(account, region), accountId: account }];
  }
  if (userName !== undefined) return [account === undefined ? { userName } : { userName, accountId: account }];
  // IAM role calls (AttachRolePolicy, UpdateAssumeRolePolicy, DeleteRole…) name the role by name in the
  // recipient account; a registry role entry matches it whatever its path.
  const roleName = eventSource === IAM_SOURCE ? ownString(requestParameters, 'roleName') : undefined;
  if (roleName !== undefined && account !== undefined && ACCOUNT_ID.test(account)) {
    return [{ roleArn: `arn:${partitionOf(region)}:iam::${account}:role/${roleName}`, accountId: account }];
  }
  if (SELF_TARGETED.get(eventSource)?.has(eventName)) return [principalOf(actor)];
  return [];
}

/**
 * The role session an `AssumeRole`, `AssumeRoleWithSAML` or `AssumeRoleWithWebIdentity` call opens
 * (STS API reference; CloudTrail records `requestParameters.roleArn` and, on success,
 * `responseElements.assumedRoleUser.arn`). Undefined when the record names no role.
 */
export function readAssumedRole(
  requestParameters: JsonObject | undefined,
  responseElements: JsonObject | undefined,
): PrincipalRef | undefined {
  const roleArn = ownString(requestParameters, 'roleArn');
  const user = responseElements?.assumedRoleUser;
  const sessionArn = isObject(user) ? ownString(user, 'arn') : undefined;
  const role = iamIdentity(roleArn) ?? iamIdentity(sessionArn);
  if (role === undefined) return undefined;
  const ref: PrincipalRef = { accountId: role.account };
  if (roleArn !== undefined) ref.roleArn = roleArn;
  if (sessionArn !== undefined) ref.arn = sessionArn;
  const sessionName = ownString(requestParameters, 'roleSessionName') ?? sessionNameOf(sessionArn);
  if (sessionName !== undefined) ref.sessionName = sessionName;
  return ref;
}

/** Services that relay a person's console actions; everything else `*.amazonaws.com` acts on its own. */
const HUMAN_RELAYS: ReadonlySet<string> = new Set([SIGNIN_SOURCE]);

/**
 * Sources whose service events (`AwsServiceEvent`) are a person's own actions: AWS sign-in and the IAM
 * Identity Center access portal, which records a user's `Authenticate`, `Federate` (opening an account
 * or application from the portal) and `Logout` as service events ("Logging IAM Identity Center API calls
 * with AWS CloudTrail", docs.aws.amazon.com/singlesignon/latest/userguide/logging-using-cloudtrail.html).
 */
const PERSON_SERVICE_EVENT_SOURCES: ReadonlySet<string> = new Set([SIGNIN_SOURCE, 'sso.amazonaws.com']);

/**
 * True when AWS generated the record and no person acted. When in doubt, false: a missed human root
 * action is worse than one extra page.
 */
export function isProviderGenerated(
  eventType: string | undefined,
  isAuthentication: boolean,
  invokedBy: string | undefined,
  eventSource = '',
): boolean {
  // Identity Center sign-ins and portal actions are AwsServiceEvent too, yet a person acting.
  if (eventType === 'AwsServiceEvent' && !isAuthentication && !PERSON_SERVICE_EVENT_SOURCES.has(eventSource))
    return true;
  if (invokedBy === undefined) return false;
  const by = invokedBy.toLowerCase();
  if (HUMAN_RELAYS.has(by)) return false;
  return by.endsWith('.amazonaws.com') || by === 'aws internal';
}

/** The root user's ARN in the partition of `region`. */
export function rootArn(accountId: string, region: string | undefined): string {
  return `arn:${partitionOf(region)}:iam::${cap(accountId, 64)}:root`;
}

function partitionOf(region: string | undefined): string {
  let partition = 'aws';
  if (region !== undefined) {
    for (const [prefix, name] of PARTITIONS) if (region.startsWith(prefix)) partition = name;
  }
  return partition;
}
