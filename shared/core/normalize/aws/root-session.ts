import { ActionSet } from '../../detect/action-table.js';
import { ROOT_ACCESS_CHANGES } from '../../detect/root-access.js';
import type { Actor, RootSession } from '../../model/audit-event.js';
import { type FieldReader, isObject, type JsonObject } from '../fields.js';
import { ownString } from './signin.js';

/**
 * AWS centralized root access, read from CloudTrail (IAM User Guide, "Track privileged tasks in AWS
 * CloudTrail", docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-track-privileged-tasks.html):
 * - the `sts:AssumeRoot` call in the management or delegated-administrator account names the member
 *   account (`requestParameters.targetPrincipal`), the task policy (`requestParameters.taskPolicyArn.arn`)
 *   and the issued key (`responseElements.credentials.accessKeyId`);
 * - every record of the privileged session in the member account carries `userIdentity.type: "Root"`,
 *   `sessionContext.assumedRoot: "true"` and that key as `userIdentity.accessKeyId`.
 * The caller's own record may carry `assumedRoot: "true"` too (the documented example does): only a
 * Root identity is the privileged session.
 */

const STS_SOURCE = 'sts.amazonaws.com';
const ACCOUNT_ID = /^\d{12}$/;

/** The root-session facts of a record, or undefined for every other record. */
export function readRootSession(
  service: string,
  action: string,
  identity: JsonObject,
  actor: Actor,
  record: JsonObject,
  reader: FieldReader,
): RootSession | undefined {
  if (service === STS_SOURCE && action === 'AssumeRoot') {
    const parameters = reader.optObject(record, 'requestParameters');
    const credentials = reader.optObject(reader.optObject(record, 'responseElements'), 'credentials');
    const session: RootSession = { phase: 'issued' };
    const member = memberAccountOf(ownString(parameters, 'targetPrincipal'));
    if (member !== undefined) session.memberAccount = member;
    const policyArn = taskPolicyArn(parameters);
    if (policyArn !== undefined) session.taskPolicy = policyArn.slice(policyArn.lastIndexOf('/') + 1);
    const key = ownString(credentials, 'accessKeyId');
    if (key !== undefined) session.accessKeyId = key;
    return session;
  }
  if (actor.type !== 'Root' || !assumedRoot(identity)) return undefined;
  const session: RootSession = { phase: 'used' };
  const key = ownString(identity, 'accessKeyId');
  if (key !== undefined) session.accessKeyId = key;
  if (actor.accountId !== undefined) session.memberAccount = actor.accountId;
  return session;
}

/**
 * `targetPrincipal` is documented as "the member account principal ARN or account ID" (STS API
 * reference, AssumeRoot). Undefined when absent (failed calls may carry no parameters) or unrecognisable.
 */
function memberAccountOf(target: string | undefined): string | undefined {
  if (target === undefined) return undefined;
  if (ACCOUNT_ID.test(target)) return target;
  const accountId = target.split(':')[4];
  return target.startsWith('arn:') && accountId !== undefined && ACCOUNT_ID.test(accountId) ? accountId : undefined;
}

/** `taskPolicyArn` is `{ "arn": "…" }` in the documented record; a bare string is read too. */
function taskPolicyArn(parameters: JsonObject | undefined): string | undefined {
  if (parameters === undefined || !Object.hasOwn(parameters, 'taskPolicyArn')) return undefined;
  const value = parameters.taskPolicyArn;
  if (typeof value === 'string') return ownString(parameters, 'taskPolicyArn');
  return isObject(value) ? ownString(value, 'arn') : undefined;
}

function assumedRoot(identity: JsonObject): boolean {
  const context = identity.sessionContext;
  const flag = isObject(context) ? context.assumedRoot : undefined;
  return flag === true || flag === 'true';
}

const ROOT_ACCESS = new ActionSet(ROOT_ACCESS_CHANGES);
const IAM_SERVICE_PRINCIPAL = 'iam.amazonaws.com';

/**
 * True for the organization-wide switches of centralized root access (and making an account the IAM
 * delegated administrator, which may then call AssumeRoot): they change what the root users of the
 * organization are exposed to, so the record's own account root is their target.
 */
export function changesRootAccess(service: string, action: string, parameters: JsonObject | undefined): boolean {
  if (!ROOT_ACCESS.has({ cloud: 'aws', service, action })) return false;
  return (
    action !== 'RegisterDelegatedAdministrator' || ownString(parameters, 'servicePrincipal') === IAM_SERVICE_PRINCIPAL
  );
}
