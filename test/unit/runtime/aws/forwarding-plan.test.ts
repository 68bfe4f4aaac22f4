import { describe, expect, it } from 'vitest';
import { parseRegistry } from '../../../../shared/core/registry/index.js';
import { forwarderParameters, openedSessionKey, sweepPlan } from '../../../../shared/runtime/aws/sweep-plan.js';
import { IDENTITY_REGISTRY, identityRecord } from '../../../support/identity-shapes.js';

/** The forwarder's parameters and the sweeper's lookups, derived from every AWS identity form. */

const registry = parseRegistry(
  `${IDENTITY_REGISTRY}
  - id: any-account-role
    cloud: aws
    match: { arn: "arn:aws-us-gov:iam::*:role/EmergencyAccess" }
  - id: session-pattern
    cloud: aws
    match: { arn: "arn:aws:sts::111122223333:assumed-role/Ops/*" }
`,
  'identity.yaml',
);

describe('forwarderParameters', () => {
  it('lists IAM users by ARN or name, role names for sessions and exact role ARNs for AssumeRole* calls', () => {
    const parameters = forwarderParameters(registry);
    expect(parameters.BreakGlassIamUserNames).toEqual(['BreakGlassUser', 'bg-idc-admin']);
    expect(parameters.BreakGlassRoleNames).toEqual([
      'BreakGlass',
      'EmergencyAccess',
      'FederatedWebIdentityRole',
      'Ops',
      'SAMLTestRoleShibboleth',
    ]);
    expect(parameters.BreakGlassRoleArns).toEqual([
      'arn:aws:iam::111122223333:role/ops/BreakGlass',
      'arn:aws:iam::444455556666:role/FederatedWebIdentityRole',
      'arn:aws:iam::444455556666:role/SAMLTestRoleShibboleth',
    ]);
    expect(parameters.notes).toEqual([
      expect.stringMatching(/^any-account-role: AssumeRole\* calls into .* are not forwarded .*by role name/),
      expect.stringMatching(/^session-pattern: AssumeRole\* calls into .* are not forwarded .*by role name/),
    ]);
  });
});

describe('sweepPlan', () => {
  it('looks up users by name, root once, registered roles by resource, and says what it cannot search', () => {
    const plan = sweepPlan(registry);
    const by = (attribute: string) => plan.queries.filter((q) => q.attribute === attribute).map((q) => q.value);
    expect(by('Username')).toEqual(['BreakGlassUser', 'bg-idc-admin', 'root']);
    expect(by('ResourceName')).toEqual(plan.roleArns);
    expect(plan.roleArns).toEqual(forwarderParameters(registry).BreakGlassRoleArns);
    expect(plan.unsearchable).toHaveLength(2);
  });

  it('follows the session an AssumeRole into a registered role opened, by its access key, and nothing else', () => {
    const plan = sweepPlan(registry);
    expect(openedSessionKey(JSON.stringify(identityRecord('assume-role-mfa')), plan)).toBe('ASIAQRSTUVWXYZBGSESS');
    expect(openedSessionKey(JSON.stringify(identityRecord('saml')), plan)).toBe('AKIAIOSFODNN7EXAMPLE');
    expect(openedSessionKey(JSON.stringify(identityRecord('assume-role-denied')), plan)).toBeUndefined();
    const other = identityRecord('assume-role-mfa');
    (other.requestParameters as Record<string, unknown>).roleArn = 'arn:aws:iam::111122223333:role/Developer';
    expect(openedSessionKey(JSON.stringify(other), plan)).toBeUndefined();
    expect(openedSessionKey('{not json', plan)).toBeUndefined();
  });
});
