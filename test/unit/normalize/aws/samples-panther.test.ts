import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../../shared/core/model/audit-event.js';
import { normalizeCloudTrail } from '../../../../shared/core/normalize/aws/cloudtrail.js';
import { NormalizeError } from '../../../../shared/core/normalize/errors.js';
import { readFixtureJsonl } from '../../../support/fixtures.js';
import { expectFaithful, type Raw } from './harness.js';

describe('Panther rule tests (root, sign-in, tampering, IAM user changes)', () => {
  const location = 'aws/panther/panther_tests_aws_cloudtrail.cut.jsonl';
  const rows = readFixtureJsonl<{ rule_id: string; test_name: string; log: Raw }>(location);
  const results = rows.map((row, i) => {
    try {
      return { row, event: normalizeCloudTrail(row.log, { location, line: i + 1 }) };
    } catch (error) {
      if (!(error instanceof NormalizeError)) throw error;
      return { row, error };
    }
  });
  const event = (rule: string, test: string): AuditEvent => {
    const found = results.find((r) => r.row.rule_id === rule && r.row.test_name === test);
    if (!found?.event) throw new Error(`no event for ${rule} / ${test}`);
    return found.event;
  };

  it('trimmed rows fail on the field they lack; all others normalize', () => {
    const failures = results.flatMap((r) => (r.error ? [`${r.row.test_name}: ${r.error.field}`] : []));
    expect(failures.sort()).toEqual([
      'CloudTrail not ConsoleLogin: eventTime',
      'No MFA - authenticated from session with MFA: eventTime',
      'Retrieve SSO access token: eventTime',
      'Root User Failed Activity: eventTime',
      'Test-291327: eventTime',
      'Test-94439c: userIdentity',
    ]);
    expect(results).toHaveLength(78);
    for (const r of results) if (r.event) expectFaithful(r.event);
  });

  it('root activity and root console sign-in', () => {
    expect(event('AWS.Root.Activity', 'Root Activity')).toMatchObject({
      actor: { type: 'Root' },
      providerGenerated: false,
    });
    expect(event('AWS.Console.RootLogin', 'Successful Root Login')).toMatchObject({
      category: 'authentication',
      outcome: 'success',
      mfa: { used: false },
    });
    expect(event('AWS.Console.RootLoginFailed', 'Failed Root Login').outcome).toBe('failure');
  });

  it('root access keys: console-relayed (a person), self-targeted unless a user is named', () => {
    const own = event('AWS.CloudTrail.RootAccessKeyCreated', 'Root Access Key Created');
    expect(own.providerGenerated).toBe(false);
    expect(own.targets).toEqual([{ arn: 'arn:aws:iam::123456789012:root', accountId: '123456789012' }]);
    const forUser = event('AWS.CloudTrail.RootAccessKeyCreated', 'Root Created Access Key For User');
    expect(forUser.targets).toEqual([{ userName: 'example-user', accountId: '123456789012' }]);
  });

  it('root password change: an account change with its own verdict', () => {
    expect(event('AWS.CloudTrail.RootPasswordChanged', 'Root Password Changed')).toMatchObject({
      category: 'api',
      outcome: 'success',
    });
    expect(event('AWS.CloudTrail.RootPasswordChanged', 'Root Password Change Failed').outcome).toBe('failure');
  });

  it('MFA of federated console sign-ins cannot be told from MFAUsed', () => {
    expect(event('AWS.Console.LoginWithoutMFA', 'AWS SSOv2 Login').mfa).toEqual({ used: undefined, methods: [] });
    expect(event('AWS.Console.LoginWithoutMFA', 'MFA Login - SAML').mfa?.used).toBeUndefined();
    expect(event('AWS.Console.LoginWithoutMFA', 'AssumeRole from MFA User Session').mfa?.used).toBe(true);
    expect(event('AWS.Console.LoginWithoutMFA', 'No MFA Login - Root User').mfa?.used).toBe(false);
    expect(event('AWS.Unsuccessful.MFA.attempt', 'Unsuccessful Login w/ MFA')).toMatchObject({
      outcome: 'failure',
      mfa: { used: true },
    });
  });

  it('keys made through CloudFormation are provider-generated and name the target', () => {
    const backdoor = event('AWS.IAM.Backdoor.User.Keys', 'user1 create keys for user2');
    expect(backdoor).toMatchObject({ providerGenerated: true, targets: [{ userName: 'user2' }] });
  });

  it('GetSigninToken rows without eventID get content ids and stay API calls', () => {
    const token = event('AWS.Console.GetSigninToken.Abuse', 'Suspicious GetSigninToken');
    expect(token).toMatchObject({ category: 'api', providerGenerated: false });
    expect(token.id).toMatch(/^aws:sha256:/);
  });
});
