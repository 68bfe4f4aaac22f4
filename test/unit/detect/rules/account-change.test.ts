import { describe, expect, it } from 'vitest';
import { ruleContext } from '../../../../shared/core/detect/engine.js';
import { accountChange } from '../../../../shared/core/detect/rules/account-change.js';
import type { AuditEvent } from '../../../../shared/core/model/audit-event.js';
import { auditEvent, signInEvent } from '../../../support/audit-events.js';
import { ONE_MEMBER_ROOT, ROOT_ACCESS_EVENTS as R, rootRegistry } from '../../../support/root-access.js';
import {
  AWS_ADMIN,
  AWS_BREAKGLASS_USER,
  AWS_ROOT,
  contextFor,
  ENTRA_ADMIN,
  ENTRA_EMERGENCY,
  GCP_ADMIN,
  GCP_SUPER_ADMIN,
} from '../break-glass.js';

function evaluate(event: AuditEvent) {
  return accountChange.evaluate(event, contextFor(event));
}

const BREAKGLASS_TARGET = { userName: 'breakglass', accountId: '111122223333' };
const OTHER_AWS_USER = { userName: 'bob', accountId: '111122223333' };

describe('account-change', () => {
  describe('AWS', () => {
    it('fires when an administrator deletes the break-glass user login profile', () => {
      const event = auditEvent({
        actor: AWS_ADMIN,
        service: 'iam.amazonaws.com',
        action: 'DeleteLoginProfile',
        targets: [BREAKGLASS_TARGET],
      });
      expect(evaluate(event)?.account?.id).toBe('aws-breakglass-user');
    });

    it.each(['CreateAccessKey', 'DeactivateMFADevice', 'deletevirtualmfadevice'])(
      'fires when root calls %s on itself (no target in the record)',
      (action) => {
        const event = auditEvent({ actor: AWS_ROOT, service: 'iam.amazonaws.com', action });
        expect(evaluate(event)?.account?.id).toBe('aws-prod-root');
      },
    );

    it('fires on signin PasswordUpdated even when classified as an authentication event', () => {
      const event = signInEvent({ actor: AWS_ROOT, service: 'signin.amazonaws.com', action: 'PasswordUpdated' });
      expect(evaluate(event)?.account?.id).toBe('aws-prod-root');
    });

    it('fires on a denied attempt to attach a policy to the break-glass user', () => {
      const event = auditEvent({
        actor: AWS_ADMIN,
        service: 'iam.amazonaws.com',
        action: 'AttachUserPolicy',
        outcome: 'failure',
        targets: [{ arn: AWS_BREAKGLASS_USER.arn, userName: 'breakglass' }],
      });
      expect(evaluate(event)?.account?.id).toBe('aws-breakglass-user');
    });

    it('does not fire when an administrator changes another user', () => {
      const event = auditEvent({
        actor: AWS_ADMIN,
        service: 'iam.amazonaws.com',
        action: 'DeleteLoginProfile',
        targets: [OTHER_AWS_USER],
      });
      expect(evaluate(event)).toBeUndefined();
    });

    it('does not fire when root creates an access key for another user', () => {
      const event = auditEvent({
        actor: AWS_ROOT,
        service: 'iam.amazonaws.com',
        action: 'CreateAccessKey',
        targets: [OTHER_AWS_USER],
      });
      expect(evaluate(event)).toBeUndefined();
    });

    it('does not fire on a read of the break-glass user, or an IAM action name under another service', () => {
      const read = auditEvent({
        actor: AWS_ADMIN,
        service: 'iam.amazonaws.com',
        action: 'GetUser',
        targets: [BREAKGLASS_TARGET],
      });
      const elsewhere = auditEvent({ actor: AWS_ROOT, service: 'transfer.amazonaws.com', action: 'DeleteUser' });
      expect(evaluate(read)).toBeUndefined();
      expect(evaluate(elsewhere)).toBeUndefined();
    });
  });

  describe('GCP', () => {
    it('fires when SetIamPolicy changes a binding of the super admin', () => {
      const event = auditEvent({
        cloud: 'gcp',
        actor: GCP_ADMIN,
        service: 'cloudresourcemanager.googleapis.com',
        action: 'SetIamPolicy',
        targets: [{ email: 'emergency-admin@example.com' }],
      });
      expect(evaluate(event)?.account?.id).toBe('gcp-super-admin');
    });

    it.each([
      '2sv_disable',
      'google.login.LoginService.2svDisable',
      'password_edit',
      'google.login.LoginService.passwordEdit',
    ])('fires on the Workspace login event %s of the super admin itself', (action) => {
      const event = auditEvent({ cloud: 'gcp', source: 'gcp.workspace-login', actor: GCP_SUPER_ADMIN, action });
      expect(evaluate(event)?.account?.id).toBe('gcp-super-admin');
    });

    it.each([
      'CHANGE_PASSWORD',
      'google.admin.AdminService.changePassword',
      'UNENROLL_USER_FROM_STRONG_AUTH',
      'unassignRole',
    ])('fires when an administrator does %s to the super admin', (action) => {
      const event = auditEvent({
        cloud: 'gcp',
        service: 'admin.googleapis.com',
        actor: GCP_ADMIN,
        action,
        targets: [{ email: GCP_SUPER_ADMIN.email }],
      });
      expect(evaluate(event)?.account?.id).toBe('gcp-super-admin');
    });

    it('does not fire when the super admin suspends a user the record does not name (not a change to itself)', () => {
      const event = auditEvent({
        cloud: 'gcp',
        service: 'admin.googleapis.com',
        actor: GCP_SUPER_ADMIN,
        action: 'SUSPEND_USER',
      });
      expect(evaluate(event)).toBeUndefined();
    });

    it('does not fire when SetIamPolicy changes other members only', () => {
      const event = auditEvent({
        cloud: 'gcp',
        actor: GCP_SUPER_ADMIN,
        action: 'SetIamPolicy',
        targets: [{ email: 'backdoor@example.com' }],
      });
      expect(evaluate(event)).toBeUndefined();
    });
  });

  describe('Azure', () => {
    it('fires on any Entra AuditLogs entry targeting the emergency account', () => {
      const event = auditEvent({
        cloud: 'azure',
        source: 'azure.audit',
        service: 'Core Directory',
        action: 'Update user',
        actor: ENTRA_ADMIN,
        targets: [{ objectId: '8f2a7c51-3b4e-4d6a-9c1e-2b7d5e0f9a13' }],
      });
      expect(evaluate(event)?.account?.id).toBe('entra-emergency');
    });

    it('fires when a role assignment of the emergency account is deleted', () => {
      const event = auditEvent({
        cloud: 'azure',
        actor: ENTRA_ADMIN,
        action: 'MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/DELETE',
        targets: [{ upn: ENTRA_EMERGENCY.upn }],
      });
      expect(evaluate(event)?.account?.id).toBe('entra-emergency');
    });

    it('does not fire on an AuditLogs entry by the emergency account about someone else', () => {
      const event = auditEvent({
        cloud: 'azure',
        source: 'azure.audit',
        action: 'Reset user password',
        actor: ENTRA_EMERGENCY,
        targets: [{ upn: 'someone@contoso.com' }],
      });
      expect(evaluate(event)).toBeUndefined();
    });

    it('does not fire on an Activity operation that is not a role assignment change', () => {
      const event = auditEvent({
        cloud: 'azure',
        actor: ENTRA_ADMIN,
        action: 'Microsoft.Authorization/roleAssignments/read',
        targets: [{ upn: ENTRA_EMERGENCY.upn }],
      });
      expect(evaluate(event)).toBeUndefined();
    });
  });

  describe('AWS centralized root access (root credentials coming back, the feature weakened)', () => {
    const onRoot = (event: AuditEvent, matcher = rootRegistry()) =>
      accountChange.evaluate(event, ruleContext(event, matcher))?.account?.id;

    it.each([
      ['EnableOrganizationsRootSessions', R.enableRootSessions],
      ['RegisterDelegatedAdministrator for iam.amazonaws.com', R.registerIamDelegatedAdmin],
      ['root PasswordRecoveryRequested', R.passwordRecoveryRequested],
      ['CreateLoginProfile in a privileged root session', R.createLoginProfile333],
    ])('fires on %s, on the root entry', (_name, event) => {
      expect(onRoot(event())).toBe('member-roots');
    });

    it('fires on every documented switch and its Disable twin', () => {
      for (const action of [
        'EnableOrganizationsRootCredentialsManagement',
        'DisableOrganizationsRootCredentialsManagement',
        'DisableOrganizationsRootSessions',
      ]) {
        expect(onRoot({ ...R.enableRootSessions(), action }), action).toBe('member-roots');
      }
    });

    it('does not fire on RegisterDelegatedAdministrator for another service', () => {
      expect(onRoot(R.registerOtherDelegatedAdmin())).toBeUndefined();
    });

    it('does not fire when the account the switch was called in has no break-glass root', () => {
      expect(onRoot(R.enableRootSessions(), ONE_MEMBER_ROOT)).toBeUndefined();
      expect(onRoot(R.passwordRecoveryRequested(), ONE_MEMBER_ROOT)).toBeUndefined();
    });
  });
});
