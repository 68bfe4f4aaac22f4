import { WORKSPACE_ACCOUNT_CHANGE_EVENTS } from '../../normalize/gcp/workspace-login.js';
import { ActionSet, type ActionTable } from '../action-table.js';
import { entraChangeOf } from '../entra-changes.js';
import { DOCS } from '../references.js';
import { ROOT_ACCESS_CHANGES, ROOT_PASSWORD_RECOVERY } from '../root-access.js';
import type { Rule } from '../rule.js';

/**
 * Changes to another principal: only the record's target says whose account changed, so these need
 * `ctx.targetAccount` (an admin resetting a user's password is not a change to the admin).
 */
const CHANGES_TO_TARGET: ActionTable = {
  aws: [
    // A registered role's trust policy, permissions or existence (IAM API reference; the normalizer
    // names the role of requestParameters.roleName as target, so only a registered role fires).
    {
      service: 'iam.amazonaws.com',
      actions: [
        'UpdateAssumeRolePolicy',
        'AttachRolePolicy',
        'DetachRolePolicy',
        'PutRolePolicy',
        'DeleteRolePolicy',
        'PutRolePermissionsBoundary',
        'DeleteRolePermissionsBoundary',
        'UpdateRole',
        'DeleteRole',
      ],
    },
  ],
  gcp: [
    // IAM: the normalizer puts the members of `policyDelta.bindingDeltas` in targets.
    { actions: ['SetIamPolicy'] },
    // Workspace Admin audit (Reports API event names; Cloud Logging spells them google.admin.AdminService.changePassword…).
    {
      actions: [
        'CHANGE_PASSWORD',
        'CHANGE_PASSWORD_ON_NEXT_LOGIN',
        'CHANGE_RECOVERY_EMAIL',
        'CHANGE_RECOVERY_PHONE',
        'REMOVE_RECOVERY_EMAIL',
        'REMOVE_RECOVERY_PHONE',
        'SUSPEND_USER',
        'UNSUSPEND_USER',
        'DELETE_USER',
        'RENAME_USER',
        'ARCHIVE_USER',
        'UNENROLL_USER_FROM_STRONG_AUTH',
        'UNENROLL_USER_FROM_TITANIUM',
        'GENERATE_2SV_SCRATCH_CODES',
        'REVOKE_SECURITY_KEY',
        'ASSIGN_ROLE',
        'UNASSIGN_ROLE',
        'GRANT_ADMIN_PRIVILEGE',
        'REVOKE_ADMIN_PRIVILEGE',
      ],
    },
  ],
  azure: [
    { actions: ['Microsoft.Authorization/roleAssignments/write', 'Microsoft.Authorization/roleAssignments/delete'] },
  ],
};

/**
 * Changes a principal can make to itself. When the record names no target, the caller is the one
 * changed: AWS IAM defaults UserName to the caller (root creating its own access key), signin
 * PasswordUpdated is the signed-in user's own password, and Workspace login events are about the actor.
 */
const CHANGES_TO_SELF_OR_TARGET: ActionTable = {
  aws: [
    {
      service: 'iam.amazonaws.com',
      actions: [
        'CreateLoginProfile',
        'UpdateLoginProfile',
        'DeleteLoginProfile',
        'ChangePassword',
        'CreateAccessKey',
        'UpdateAccessKey',
        'DeleteAccessKey',
        'EnableMFADevice',
        'DeactivateMFADevice',
        'ResyncMFADevice',
        'CreateVirtualMFADevice',
        'DeleteVirtualMFADevice',
        'AttachUserPolicy',
        'DetachUserPolicy',
        'PutUserPolicy',
        'DeleteUserPolicy',
        'AddUserToGroup',
        'RemoveUserFromGroup',
        'PutUserPermissionsBoundary',
        'DeleteUserPermissionsBoundary',
        'UpdateUser',
        'DeleteUser',
        'UploadSSHPublicKey',
        'UpdateSSHPublicKey',
        'DeleteSSHPublicKey',
        'UploadSigningCertificate',
        'UpdateSigningCertificate',
        'DeleteSigningCertificate',
        'CreateServiceSpecificCredential',
        'ResetServiceSpecificCredential',
        'DeleteServiceSpecificCredential',
      ],
    },
    // Root password recovery (PasswordRecoveryRequested/Completed) is in ROOT_PASSWORD_RECOVERY.
    { service: 'signin.amazonaws.com', actions: ['PasswordUpdated'] },
  ],
  gcp: [
    // Workspace Login audit (Reports API names; Cloud Logging: google.login.LoginService.2svDisable…).
    { actions: WORKSPACE_ACCOUNT_CHANGE_EVENTS },
  ],
};

const TO_TARGET = new ActionSet(CHANGES_TO_TARGET);
const TO_SELF_OR_TARGET = new ActionSet(CHANGES_TO_SELF_OR_TARGET);
/** Centralized root access switched or delegated: the normalizer names the account's root as target. */
const ROOT_ACCESS = new ActionSet(ROOT_ACCESS_CHANGES);
const ROOT_RECOVERY = new ActionSet(ROOT_PASSWORD_RECOVERY);

/** The credentials, MFA, permissions or existence of a break-glass account changed. */
export const accountChange: Rule = {
  id: 'account-change',
  kind: 'account.change',
  title: 'Break-glass account changed',
  description:
    "A break-glass account's password, access keys, MFA devices, recovery details, permissions or existence " +
    'changed, whoever made the change (the account itself or an administrator). Entra AuditLogs record only ' +
    'changes, so any AuditLogs entry targeting the account counts; the documented ones (authentication methods, ' +
    'the Global Administrator assignment, disable/delete, password resets: shared/core/detect/entra-changes.ts) ' +
    'are worded on the page, a temporary access pass is critical. Failed attempts count too: someone tried ' +
    'to take over or disable the emergency path. Sign-in services log some of these changes (signin ' +
    'PasswordUpdated, Workspace password_edit), so the event category is not checked.',
  severity: 'high',
  runbook: [
    'Find the change ticket or the owner who made the change; an unplanned change to an emergency account is a takeover attempt until shown otherwise.',
    'If unplanned: undo it (delete new access keys or a temporary access pass, re-enable the MFA device or passkey, restore the removed role — Entra: a permanent active Global Administrator assignment, not eligible-only — or the deleted login profile, reinstate the account) and rotate the password from a trusted session.',
    'Check the emergency path still works: the owners verify they can sign in with MFA, and the registry still matches the account (ARN, e-mail, UPN, object id).',
  ],
  references: [
    DOCS.awsIamCloudTrail,
    DOCS.entraAuditLogs,
    DOCS.entraAuditActivities,
    DOCS.workspaceLoginInCloudLogging,
    DOCS.gcpSuperAdmin,
  ],
  falsePositives: [
    'Planned credential rotation by the owners after a use or on schedule.',
    'Infrastructure as code that manages the account (Terraform, CloudFormation) applying an expected change.',
    'Google disabling the account automatically (account_disabled_*): a real change, but made by the provider.',
    'Entra: the owners registering a new passkey or removing a lost one, or a reviewed move of the emergency accounts between exclusion groups or roles.',
  ],
  needsBreakGlass: true,
  evaluate(event, ctx) {
    // Entra AuditLogs record changes only: every entry targeting the account is a change to it; the
    // Entra change table words (and rates) the documented ones.
    if (event.source === 'azure.audit') {
      const account = ctx.targetAccount;
      if (account === undefined) return undefined;
      const self = ctx.actorAccount?.id === account.id;
      const known = entraChangeOf(event, { account: account.id, actor: event.actor.display, self });
      if (known !== undefined) return { account, severity: known.severity, note: known.wording };
      // Group membership and Conditional Access records have their own words on the page.
      if (event.membership !== undefined || event.conditionalAccess !== undefined) return { account };
      return {
        account,
        note: `directory change to ${account.id} (${event.action}): not in the Entra change table, read the record`,
      };
    }
    const change = TO_SELF_OR_TARGET.has(event) || ROOT_RECOVERY.has(event);
    if (ctx.targetAccount && (change || TO_TARGET.has(event) || ROOT_ACCESS.has(event))) {
      return { account: ctx.targetAccount };
    }
    if (event.targets.length === 0 && ctx.actorAccount && change) {
      return { account: ctx.actorAccount };
    }
    return undefined;
  },
};
