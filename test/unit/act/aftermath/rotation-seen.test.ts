import { describe, expect, it } from 'vitest';
import {
  isRotationEvidence,
  matchRotations,
  proofsOf,
  sameSecret,
} from '../../../../shared/core/act/aftermath/rotation-seen.js';
import type { RotationEvidence } from '../../../../shared/core/act/aftermath/types.js';
import type { AuditEvent } from '../../../../shared/core/model/audit-event.js';
import { normalizeCloudTrail } from '../../../../shared/core/normalize/aws/index.js';
import type { RotationWatch } from '../../../../shared/core/ports/rotation-watch-store.js';
import { auditEvent } from '../../../support/audit-events.js';
import { readFixtureJson, readFixtureJsonl } from '../../../support/fixtures.js';

/**
 * The matcher on real CloudTrail samples (AWS docs, Panther, Stratus Red Team) through the real
 * normalizer, and on AuditEvents for Secrets Manager, Entra and Workspace, of which no public sample
 * is kept: those are built with the fields their normalizers fill (targets, resources, source).
 */

const PANTHER = 'aws/panther/panther_tests_aws_cloudtrail.cut.jsonl';

function panther(testName: string): AuditEvent {
  const row = readFixtureJsonl<{ test_name: string; log: unknown }>(PANTHER).find((r) => r.test_name === testName);
  if (!row) throw new Error(`no Panther test "${testName}"`);
  return normalizeCloudTrail(row.log, { location: PANTHER });
}

function rootPasswordUpdated(): AuditEvent {
  const file = 'aws/aws-docs-cc-by-sa/cloudtrail_console_signin_examples.jsonl';
  const row = readFixtureJsonl<{ event: { eventName: string } }>(file).find(
    (r) => r.event.eventName === 'PasswordUpdated',
  );
  return normalizeCloudTrail(row?.event, { location: file });
}

function stratusUpdateLoginProfile(): AuditEvent {
  const file = 'aws/stratus-red-team/aws.privilege-escalation.iam-update-user-login-profile.json';
  return normalizeCloudTrail(readFixtureJson<unknown[]>(file)[0], { location: file });
}

function watch(
  cloud: RotationWatch['cloud'],
  evidence: RotationEvidence[],
  overrides: Partial<RotationWatch> = {},
): RotationWatch {
  return {
    incidentId: `inc-${cloud}`,
    account: `${cloud}-breakglass`,
    cloud,
    drill: false,
    reason: 'session-ended',
    immediate: false,
    principal: 'p',
    dueAt: '2020-01-01T01:00:00.000Z',
    since: '2000-01-01T00:00:00.000Z',
    deadlineAt: '2020-01-02T01:00:00.000Z',
    evidence,
    executors: {},
    status: 'open',
    updatedAt: '2020-01-01T00:00:00.000Z',
    revision: 1,
    ...overrides,
  };
}

const proved = (event: AuditEvent, watches: RotationWatch[]) => matchRotations(event, watches).map((w) => w.incidentId);

describe('AWS (real samples)', () => {
  it('IAM UpdateLoginProfile proves the rotation of that user, in that account only', () => {
    const event = stratusUpdateLoginProfile();
    const user = 'stratus-red-team-update-login-profile-user';
    expect(
      proved(event, [watch('aws', [{ kind: 'aws.iam-user-password', userName: user, accountId: '763751499319' }])]),
    ).toEqual(['inc-aws']);
    expect(proved(event, [watch('aws', [{ kind: 'aws.iam-user-password', userName: user.toUpperCase() }])])).toEqual([
      'inc-aws',
    ]);
    expect(
      proved(event, [watch('aws', [{ kind: 'aws.iam-user-password', userName: user, accountId: '111122223333' }])]),
    ).toEqual([]);
    expect(proved(event, [watch('aws', [{ kind: 'aws.iam-user-password', userName: 'someone-else' }])])).toEqual([]);
  });

  it('IAM ChangePassword by the user proves it; a failed one does not', () => {
    const expected = watch('aws', [
      { kind: 'aws.iam-user-password', userName: 'test_user', accountId: '123456789012' },
    ]);
    expect(proved(panther('User Password Was Changed'), [expected])).toEqual(['inc-aws']);
    const failed = panther('User Password Change Error');
    expect(isRotationEvidence(failed)).toBe(false);
    expect(proved(failed, [expected])).toEqual([]);
  });

  it('signin PasswordUpdated by root proves the root password rotation of that account', () => {
    const root = (accountId: string) => watch('aws', [{ kind: 'aws.root-password', accountId }]);
    expect(proved(rootPasswordUpdated(), [root('111122223333')])).toEqual(['inc-aws']);
    expect(proved(rootPasswordUpdated(), [root('444455556666')])).toEqual([]);
    expect(proved(panther('Root Password Changed'), [root('123456789012')])).toEqual(['inc-aws']);
    expect(proved(panther('Root Password Change Failed'), [root('123456789012')])).toEqual([]);
  });

  it('a root password change does not prove an IAM user rotation, nor the reverse', () => {
    expect(
      proved(rootPasswordUpdated(), [watch('aws', [{ kind: 'aws.iam-user-password', userName: 'root' }])]),
    ).toEqual([]);
    expect(
      proved(stratusUpdateLoginProfile(), [watch('aws', [{ kind: 'aws.root-password', accountId: '763751499319' }])]),
    ).toEqual([]);
  });

  it('unrelated records are rejected by the one-lookup pre-filter', () => {
    const createKey = readFixtureJson<{ eventName: string }[]>(
      'aws/stratus-red-team/aws.persistence.iam-create-admin-user.json',
    )
      .map((r) => normalizeCloudTrail(r, { location: 'stratus' }))
      .find((e) => e.action === 'CreateAccessKey');
    expect(createKey && isRotationEvidence(createKey)).toBe(false);
    expect(createKey && proofsOf(createKey)).toEqual([]);
  });
});

describe('Secrets Manager', () => {
  const secretArn = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:breakglass/root-AbCdEf';
  const expected = watch('aws', [{ kind: 'aws.secret', secretId: secretArn }]);
  const call = (action: string, secretId: string, outcome: AuditEvent['outcome'] = 'success') =>
    auditEvent({
      service: 'secretsmanager.amazonaws.com',
      action,
      resources: [secretId],
      outcome,
      time: '2020-01-01T02:00:00.000Z',
    });

  it('RotateSecret or PutSecretValue on the secret, by name or by ARN, prove it', () => {
    expect(proved(call('RotateSecret', secretArn), [expected])).toEqual(['inc-aws']);
    expect(proved(call('PutSecretValue', 'breakglass/root'), [expected])).toEqual(['inc-aws']);
    expect(sameSecret('breakglass/root', secretArn)).toBe(true);
  });

  it('another secret, a read, or a failed call do not', () => {
    expect(proved(call('PutSecretValue', 'breakglass/root-other'), [expected])).toEqual([]);
    expect(proved(call('GetSecretValue', secretArn), [expected])).toEqual([]);
    expect(proved(call('RotateSecret', secretArn, 'failure'), [expected])).toEqual([]);
    expect(sameSecret('breakglass/roo', secretArn)).toBe(false);
  });
});

describe('Entra ID', () => {
  const expected = watch('azure', [{ kind: 'azure.password', upn: 'emergency@contoso.com' }]);
  const audit = (action: string, upn: string, source: AuditEvent['source'] = 'azure.audit') =>
    auditEvent({
      cloud: 'azure',
      source,
      service: 'Core Directory',
      action,
      targets: [{ upn }],
      time: '2020-01-01T02:00:00.000Z',
    });

  it('Reset password / Change user password in AuditLogs targeting the UPN prove it', () => {
    expect(proved(audit('Reset user password', 'Emergency@Contoso.com'), [expected])).toEqual(['inc-azure']);
    expect(proved(audit('Change user password', 'emergency@contoso.com'), [expected])).toEqual(['inc-azure']);
    expect(proved(audit('Reset password (by admin)', 'emergency@contoso.com'), [expected])).toEqual(['inc-azure']);
  });

  it('another user, another operation, or a record that is not an audit log do not', () => {
    expect(proved(audit('Reset user password', 'adele@contoso.com'), [expected])).toEqual([]);
    expect(proved(audit('Update user', 'emergency@contoso.com'), [expected])).toEqual([]);
    expect(proved(audit('Reset user password', 'emergency@contoso.com', 'azure.signin'), [expected])).toEqual([]);
  });
});

describe('Google Workspace', () => {
  const expected = watch('gcp', [{ kind: 'gcp.password', email: 'breakglass@example.com' }]);
  const login = (action: string, email: string) =>
    auditEvent({
      cloud: 'gcp',
      source: 'gcp.workspace-login',
      service: 'login.googleapis.com',
      action,
      targets: [{ email }],
      time: '2020-01-01T02:00:00.000Z',
    });

  it('password_edit (either spelling) and the Admin console CHANGE_PASSWORD prove it', () => {
    expect(proved(login('password_edit', 'breakglass@example.com'), [expected])).toEqual(['inc-gcp']);
    expect(proved(login('google.login.LoginService.passwordEdit', 'BreakGlass@example.com'), [expected])).toEqual([
      'inc-gcp',
    ]);
    const admin = auditEvent({
      cloud: 'gcp',
      service: 'admin.googleapis.com',
      action: 'google.admin.AdminService.changePassword',
      targets: [{ email: 'breakglass@example.com' }],
      time: '2020-01-01T02:00:00.000Z',
    });
    expect(proved(admin, [expected])).toEqual(['inc-gcp']);
  });

  it('another user or another change (2SV) do not', () => {
    expect(proved(login('password_edit', 'someone@example.com'), [expected])).toEqual([]);
    expect(proved(login('2sv_disable', 'breakglass@example.com'), [expected])).toEqual([]);
  });
});

describe('which watches can be proved', () => {
  const evidence: RotationEvidence[] = [{ kind: 'aws.root-password', accountId: '111122223333' }];
  const event = rootPasswordUpdated(); // 2022-11-10T16:24:34Z

  it('only rotations after `since`: a password change inside the session is part of the session', () => {
    expect(proved(event, [watch('aws', evidence, { since: '2022-11-10T16:00:00.000Z' })])).toEqual(['inc-aws']);
    expect(proved(event, [watch('aws', evidence, { since: '2022-11-10T17:00:00.000Z' })])).toEqual([]);
  });

  it('not a watch already seen, nor one of another cloud; an escalated one still can be', () => {
    expect(proved(event, [watch('aws', evidence, { status: 'seen' })])).toEqual([]);
    expect(proved(event, [watch('gcp', evidence)])).toEqual([]);
    expect(proved(event, [watch('aws', evidence, { status: 'escalated' })])).toEqual(['inc-aws']);
  });
});
