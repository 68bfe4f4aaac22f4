import { canonicalAction } from '../detect/action-table.js';
import type { Cloud, GroupMembership, GroupRef, PrincipalRef } from '../model/audit-event.js';
import { cap, isObject, type JsonObject } from './fields.js';

/**
 * Group membership changes, one table for every cloud: the normalizers read the group and the member
 * of these records into `AuditEvent.membership`, the emergency-group rule asks the registry about the
 * group, and the AWS sweeper and forwarding rule derive their event names from the `aws` rows.
 */
export interface MembershipAction {
  cloud: Cloud;
  /** eventSource for AWS; any service otherwise. */
  service?: string;
  action: string;
  change: GroupMembership['change'];
  reference: string;
}

const ENTRA = 'https://learn.microsoft.com/entra/identity/monitoring-health/reference-audit-activities';
const WORKSPACE = 'https://developers.google.com/admin-sdk/reports/v1/appendix/activity/admin-group-settings';
const IDENTITY_STORE =
  'https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_CreateGroupMembership.html';
const SSO_DIRECTORY = 'https://docs.aws.amazon.com/singlesignon/latest/userguide/sso-info-in-cloudtrail.html';

export const MEMBERSHIP_ACTIONS: readonly MembershipAction[] = [
  { cloud: 'azure', action: 'Add member to group', change: 'add', reference: ENTRA },
  { cloud: 'azure', action: 'Remove member from group', change: 'remove', reference: ENTRA },
  // Reports API names; Cloud Logging writes google.admin.AdminService.addGroupMember (canonicalAction meets them).
  { cloud: 'gcp', action: 'ADD_GROUP_MEMBER', change: 'add', reference: WORKSPACE },
  { cloud: 'gcp', action: 'REMOVE_GROUP_MEMBER', change: 'remove', reference: WORKSPACE },
  {
    cloud: 'aws',
    service: 'identitystore.amazonaws.com',
    action: 'CreateGroupMembership',
    change: 'add',
    reference: IDENTITY_STORE,
  },
  {
    cloud: 'aws',
    service: 'identitystore.amazonaws.com',
    action: 'DeleteGroupMembership',
    change: 'remove',
    reference: IDENTITY_STORE,
  },
  {
    cloud: 'aws',
    service: 'sso-directory.amazonaws.com',
    action: 'AddMemberToGroup',
    change: 'add',
    reference: SSO_DIRECTORY,
  },
  {
    cloud: 'aws',
    service: 'sso-directory.amazonaws.com',
    action: 'RemoveMemberFromGroup',
    change: 'remove',
    reference: SSO_DIRECTORY,
  },
];

const BY_KEY = new Map(
  MEMBERSHIP_ACTIONS.map((a) => [`${a.cloud}|${a.service ?? '*'}|${canonicalAction(a.cloud, a.action)}`, a.change]),
);

/** add / remove for a membership record, undefined for every other record. */
export function membershipChange(cloud: Cloud, service: string, action: string): GroupMembership['change'] | undefined {
  const canonical = canonicalAction(cloud, action);
  return BY_KEY.get(`${cloud}|${service.toLowerCase()}|${canonical}`) ?? BY_KEY.get(`${cloud}|*|${canonical}`);
}

/**
 * AWS IAM Identity Center: `identitystore` CreateGroupMembership names `groupId` and `memberId.userId`;
 * the older `sso-directory` AddMemberToGroup/RemoveMemberFromGroup name `groupId` and `member.memberId`.
 * DeleteGroupMembership names only the `membershipId`: the group is then unknown (the page says so).
 */
export function awsMembership(change: GroupMembership['change'], parameters: JsonObject | undefined): GroupMembership {
  const group: GroupRef = {};
  const groupId = str(parameters?.groupId);
  if (groupId !== undefined) group.id = groupId;
  const member = str(field(parameters?.memberId, 'userId')) ?? str(field(parameters?.member, 'memberId'));
  return { change, group, ...(member !== undefined ? { member: { objectId: member } } : {}) };
}

/** Google Workspace admin: `GROUP_EMAIL` and `USER_EMAIL` parameters. */
export function workspaceMembership(
  change: GroupMembership['change'],
  groupEmail: string | undefined,
  userEmail: string | undefined,
): GroupMembership {
  return {
    change,
    group: groupEmail === undefined ? {} : { email: groupEmail },
    ...(userEmail !== undefined ? { member: { email: userEmail } } : {}),
  };
}

/**
 * Entra `Add member to group` / `Remove member from group`: the group is the TargetResources entry of
 * type Group, or the user entry's `Group.ObjectID` / `Group.DisplayName` modified properties (new value
 * on add, old value on remove; JSON-quoted strings).
 */
export function entraMembership(change: GroupMembership['change'], targets: readonly JsonObject[]): GroupMembership {
  const group: GroupRef = {};
  let member: PrincipalRef | undefined;
  for (const target of targets) {
    const type = str(target.type)?.toLowerCase();
    if (type === 'group') {
      const id = str(target.id);
      const name = str(target.displayName);
      if (id !== undefined) group.id = id;
      if (name !== undefined) group.name = name;
      continue;
    }
    if (type === 'user' && member === undefined) {
      const upn = str(target.userPrincipalName);
      const objectId = str(target.id);
      member = { ...(upn ? { upn } : {}), ...(objectId ? { objectId } : {}) };
    }
    for (const property of Array.isArray(target.modifiedProperties) ? target.modifiedProperties : []) {
      if (!isObject(property)) continue;
      const value = unquote(str(change === 'add' ? property.newValue : property.oldValue));
      if (str(property.displayName) === 'Group.ObjectID' && value && group.id === undefined) group.id = value;
      if (str(property.displayName) === 'Group.DisplayName' && value && group.name === undefined) group.name = value;
    }
  }
  return { change, group, ...(member !== undefined ? { member } : {}) };
}

function field(value: unknown, key: string): unknown {
  return isObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? cap(value, 256) : undefined;
}

/** `"\"8f2a…\""` → `8f2a…`. */
function unquote(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim().replace(/^"(.*)"$/, '$1');
  return trimmed === '' ? undefined : trimmed;
}
