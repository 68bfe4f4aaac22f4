import { describe, expect, it } from 'vitest';
import { detect } from '../../../shared/core/detect/index.js';
import type { Finding } from '../../../shared/core/model/finding.js';
import { normalizeCloudTrail } from '../../../shared/core/normalize/aws/index.js';
import { parseRegistry, RegistryMatcher } from '../../../shared/core/registry/index.js';
import { IDENTITY_REGISTRY, type IdentityShape, identityEvent } from '../../support/identity-shapes.js';

/**
 * One resolution of "who is this" for AWS, on records written from the AWS documentation: IAM users
 * registered by ARN as caller and as target, role sessions and the AssumeRole* calls that open them,
 * Identity Center users of both formats, other partitions, and wildcard entries.
 */

const matcher = new RegistryMatcher(parseRegistry(IDENTITY_REGISTRY, 'identity.yaml'));
const findings = (name: IdentityShape): Finding[] => detect(identityEvent(name), matcher).findings;
const summary = (name: IdentityShape) =>
  findings(name).map((f) => ({ kind: f.kind, account: f.account, key: f.correlationKey }));

describe('IAM users registered by ARN', () => {
  it('a change targeting the user by name in its account is account.change on the entry (path-insensitive)', () => {
    const event = identityEvent('create-access-key-for-user');
    expect(event.targets).toEqual([{ userName: 'BreakGlassUser', accountId: '111122223333' }]);
    expect(summary('create-access-key-for-user')).toEqual([
      { kind: 'account.change', account: 'bg-user', key: 'acct:bg-user' },
    ]);
    expect(findings('create-access-key-for-user')[0]?.principal).toBe('ops-admin');
  });

  it('the same call on a user of that name in another account, or on another user, is nothing', () => {
    const other = identityEvent('create-access-key-for-user');
    other.targets = [{ userName: 'BreakGlassUser', accountId: '999999999999' }];
    expect(detect(other, matcher).findings).toEqual([]);
    other.targets = [{ userName: 'bob', accountId: '111122223333' }];
    expect(detect(other, matcher).findings).toEqual([]);
  });

  it('the user acting with an ARN without its path is the same user', () => {
    const event = identityEvent('role-session-activity');
    event.actor = {
      type: 'IAMUser',
      display: 'BreakGlassUser',
      arn: 'arn:aws:iam::111122223333:user/BreakGlassUser',
      userName: 'BreakGlassUser',
      accountId: '111122223333',
    };
    expect(detect(event, matcher).findings.map((f) => [f.kind, f.account])).toEqual([['activity', 'bg-user']]);
  });
});

describe('roles', () => {
  it('AssumeRole into the registered role (path in the ARN) is its sign-in, with MFA from serialNumber', () => {
    const event = identityEvent('assume-role-mfa');
    expect(event.category).toBe('authentication');
    expect(event.mfa).toEqual({ used: true, methods: ['arn:aws:iam::777788889999:mfa/JohnDoe'], strength: 'mfa' });
    expect(summary('assume-role-mfa')).toEqual([{ kind: 'signin.success', account: 'bg-role', key: 'acct:bg-role' }]);
    expect(findings('assume-role-mfa')[0]?.principal).toBe(
      'arn:aws:sts::111122223333:assumed-role/BreakGlass/JohnDoe-breakglass (assumed by JohnDoe)',
    );
  });

  it('a denied AssumeRole into it is a sign-in failure, MFA unknown', () => {
    const event = identityEvent('assume-role-denied');
    expect(event).toMatchObject({ outcome: 'failure', mfa: { used: undefined } });
    expect(summary('assume-role-denied')).toEqual([
      { kind: 'signin.failure', account: 'bg-role', key: 'acct:bg-role' },
    ]);
    expect(findings('assume-role-denied')[0]?.principal).toBe(
      'arn:aws:iam::111122223333:role/ops/BreakGlass session JohnDoe-breakglass (assumed by JohnDoe)',
    );
  });

  it('AssumeRoleWithSAML and AssumeRoleWithWebIdentity into a registered role are its sign-ins, MFA unknown', () => {
    for (const [name, account] of [
      ['saml', 'bg-saml-role'],
      ['web-identity', 'bg-web-role'],
    ] as const) {
      expect(identityEvent(name).mfa?.used, name).toBeUndefined();
      expect(summary(name), name).toEqual([{ kind: 'signin.success', account, key: `acct:${account}` }]);
    }
  });

  it('every call of a session of the role is its activity; the page names role and session', () => {
    const event = identityEvent('role-session-activity');
    expect(event.actor).toMatchObject({
      roleArn: 'arn:aws:iam::111122223333:role/ops/BreakGlass',
      sessionName: 'JohnDoe-breakglass',
    });
    const [finding] = findings('role-session-activity');
    expect(finding).toMatchObject({ kind: 'activity', account: 'bg-role' });
    expect(finding?.principal).toBe('arn:aws:sts::111122223333:assumed-role/BreakGlass/JohnDoe-breakglass');
  });

  it('a change to the registered role by roleName (trust policy, policies, deletion) is account.change on it', () => {
    const change = identityEvent('create-access-key-for-user');
    const raw = structuredClone(change.raw) as Record<string, unknown>;
    raw.eventName = 'UpdateAssumeRolePolicy';
    raw.requestParameters = { roleName: 'BreakGlass', policyDocument: '{}' };
    const event = normalizeCloudTrail(raw, { location: 'identity' });
    expect(event.targets).toEqual([
      { roleArn: 'arn:aws:iam::111122223333:role/BreakGlass', accountId: '111122223333' },
    ]);
    expect(detect(event, matcher).findings.map((f) => [f.kind, f.account])).toEqual([['account.change', 'bg-role']]);
    raw.requestParameters = { roleName: 'Developer', policyDocument: '{}' };
    expect(detect(normalizeCloudTrail(raw, { location: 'identity' }), matcher).findings).toEqual([]);
  });

  it('sessions and AssumeRole calls of an unregistered role are nothing; a registered caller’s AssumeRole is its activity', () => {
    const call = identityEvent('assume-role-mfa');
    call.authenticatedAs = { roleArn: 'arn:aws:iam::111122223333:role/Developer', accountId: '111122223333' };
    expect(detect(call, matcher).findings).toEqual([]);
    call.actor = { ...call.actor, arn: 'arn:aws:iam::111122223333:user/BreakGlassUser', accountId: '111122223333' };
    expect(detect(call, matcher).findings.map((f) => [f.kind, f.account])).toEqual([['activity', 'bg-user']]);
    const session = identityEvent('role-session-activity');
    session.actor = {
      ...session.actor,
      arn: 'arn:aws:sts::111122223333:assumed-role/Developer/alice',
      roleArn: 'arn:aws:iam::111122223333:role/Developer',
    };
    expect(detect(session, matcher).findings).toEqual([]);
  });
});

describe('Identity Center, partitions, wildcards', () => {
  it('reads the IdentityCenterUser format (user name in additionalEventData.UserName)', () => {
    const event = identityEvent('identity-center-user');
    expect(event.actor).toMatchObject({
      type: 'IdentityCenterUser',
      userName: 'bg-idc-admin',
      display: 'bg-idc-admin',
    });
    expect(event.mfa).toEqual({ used: true, methods: ['PASSWORD', 'WEBAUTHN'], strength: 'phishing-resistant' });
    expect(summary('identity-center-user')).toEqual([
      { kind: 'signin.success', account: 'bg-idc', key: 'acct:bg-idc' },
    ]);
  });

  it('an Identity Center user name never matches an IAM user registered by ARN', () => {
    const event = identityEvent('identity-center-user');
    event.actor = { ...event.actor, userName: 'BreakGlassUser' };
    expect(detect(event, matcher).findings).toEqual([]);
  });

  it('a root ARN in aws-us-gov matches its own entry, not the aws wildcard', () => {
    expect(summary('gov-root-console-login')).toEqual([
      { kind: 'signin.success', account: 'gov-root', key: 'acct:gov-root' },
    ]);
  });

  it('a wildcard entry keeps each concrete principal apart, under the entry’s id', () => {
    const a = summary('root-login-account-a');
    const b = summary('root-login-account-b');
    expect(a.map((f) => [f.kind, f.account])).toEqual([
      ['signin.success', 'every-root'],
      ['signin.without-mfa', 'every-root'],
    ]);
    expect(a[0]?.key).toBe('acct:every-root/aws:111122223333:root');
    expect(b[0]?.key).toBe('acct:every-root/aws:444455556666:root');
    expect(findings('root-login-account-b')[0]?.principal).toBe('root (444455556666)');
  });

  it('a wildcard IAM user entry names the account of the concrete user on the page', () => {
    const users = new RegistryMatcher(
      parseRegistry(
        'accounts: [{ id: bg-any, cloud: aws, match: { arn: "arn:aws:iam::*:user/BreakGlassUser" } }]',
        'u.yaml',
      ),
    );
    const event = identityEvent('role-session-activity');
    event.actor = {
      type: 'IAMUser',
      display: 'BreakGlassUser',
      arn: 'arn:aws:iam::444455556666:user/BreakGlassUser',
      userName: 'BreakGlassUser',
      accountId: '444455556666',
    };
    const [finding] = detect(event, users).findings;
    expect(finding).toMatchObject({
      principal: 'BreakGlassUser (444455556666)',
      correlationKey: 'acct:bg-any/aws:444455556666:user/breakglassuser',
    });
  });
});
