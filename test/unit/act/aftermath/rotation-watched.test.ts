import { describe, expect, it } from 'vitest';
import { isRotationEvidence, isWatchedRotationEvidence } from '../../../../shared/core/act/aftermath/rotation-seen.js';
import type { AuditEvent } from '../../../../shared/core/model/audit-event.js';
import { normalizeCloudTrail } from '../../../../shared/core/normalize/aws/index.js';
import { parseRegistry, RegistryMatcher } from '../../../../shared/core/registry/index.js';
import { auditEvent } from '../../../support/audit-events.js';
import { readFixtureJson, readFixtureJsonl } from '../../../support/fixtures.js';

/**
 * Which rotation evidence the ingest keeps: only what can prove the rotation of a credential the
 * registry watches. Real CloudTrail samples through the real normalizer; Secrets Manager, Entra and
 * Workspace events built with the fields their normalizers fill (as in rotation-seen.test.ts).
 */

const registry = (accounts: string) => new RegistryMatcher(parseRegistry(`accounts:\n${accounts}`, 'r.yaml'));

// Stratus Red Team: UpdateLoginProfile of stratus-red-team-update-login-profile-user in 763751499319.
function updateLoginProfile(): AuditEvent {
  const file = 'aws/stratus-red-team/aws.privilege-escalation.iam-update-user-login-profile.json';
  return normalizeCloudTrail(readFixtureJson<unknown[]>(file)[0], { location: file });
}

// AWS docs: PasswordUpdated by the root user of 111122223333.
function rootPasswordUpdated(): AuditEvent {
  const file = 'aws/aws-docs-cc-by-sa/cloudtrail_console_signin_examples.jsonl';
  const row = readFixtureJsonl<{ event: { eventName: string } }>(file).find(
    (r) => r.event.eventName === 'PasswordUpdated',
  );
  return normalizeCloudTrail(row?.event, { location: file });
}

const USER = 'stratus-red-team-update-login-profile-user';

describe('isWatchedRotationEvidence', () => {
  it('keeps an IAM password change of a registry user (by ARN, any path and case, or by name in its account)', () => {
    const event = updateLoginProfile();
    expect(isRotationEvidence(event)).toBe(true);
    const byArn = registry(
      `  - { id: a, cloud: aws, match: { arn: "arn:aws:iam::763751499319:user/ops/${USER.toUpperCase()}" } }`,
    );
    const byName = registry(`  - { id: a, cloud: aws, match: { userName: ${USER}, accountId: "763751499319" } }`);
    expect(isWatchedRotationEvidence(event, byArn)).toBe(true);
    expect(isWatchedRotationEvidence(event, byName)).toBe(true);
  });

  it('drops the password change of another principal, or of the same name in another account', () => {
    const event = updateLoginProfile();
    const other = registry('  - { id: a, cloud: aws, match: { arn: "arn:aws:iam::763751499319:user/breakglass" } }');
    const elsewhere = registry(`  - { id: a, cloud: aws, match: { arn: "arn:aws:iam::111122223333:user/${USER}" } }`);
    expect(isWatchedRotationEvidence(event, other)).toBe(false);
    expect(isWatchedRotationEvidence(event, elsewhere)).toBe(false);
  });

  it('keeps a root password change of a registry root, and of any account under a wildcard root entry', () => {
    const event = rootPasswordUpdated();
    const root = (arn: string) => registry(`  - { id: a, cloud: aws, match: { arn: "${arn}" } }`);
    expect(isWatchedRotationEvidence(event, root('arn:aws:iam::111122223333:root'))).toBe(true);
    expect(isWatchedRotationEvidence(event, root('arn:aws:iam::*:root'))).toBe(true);
    expect(isWatchedRotationEvidence(event, root('arn:aws:iam::444455556666:root'))).toBe(false);
  });

  it('keeps a change of a declared Secrets Manager store or rotation secret, by name or ARN; drops other secrets', () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:breakglass/root-AbCdEf';
    const put = (secretId: string) =>
      auditEvent({ service: 'secretsmanager.amazonaws.com', action: 'PutSecretValue', resources: [secretId] });
    const declared = registry(
      '  - { id: a, cloud: aws, match: { arn: "arn:aws:iam::111122223333:root" }, credential: { stores: [{ secretsManager: breakglass/root }] } }',
    );
    const rotation = registry(
      `  - { id: a, cloud: aws, match: { arn: "arn:aws:iam::111122223333:root" }, rotation: { secretId: "${arn}" } }`,
    );
    for (const matcher of [declared, rotation]) {
      expect(isWatchedRotationEvidence(put(arn), matcher)).toBe(true);
      expect(isWatchedRotationEvidence(put('breakglass/root'), matcher)).toBe(true);
      expect(isWatchedRotationEvidence(put('app/database-password'), matcher)).toBe(false);
    }
  });

  it('keeps Entra and Workspace password changes of registry accounts only', () => {
    const matcher = registry(
      [
        '  - { id: e, cloud: azure, match: { userPrincipalName: emergency@contoso.com } }',
        '  - { id: g, cloud: gcp, match: { email: breakglass@example.com } }',
      ].join('\n'),
    );
    const entra = (upn: string) =>
      auditEvent({
        cloud: 'azure',
        source: 'azure.audit',
        service: 'Core Directory',
        action: 'Reset user password',
        targets: [{ upn }],
      });
    const workspace = (email: string) =>
      auditEvent({
        cloud: 'gcp',
        source: 'gcp.workspace-login',
        service: 'login.googleapis.com',
        action: 'password_edit',
        targets: [{ email }],
      });
    expect(isWatchedRotationEvidence(entra('Emergency@Contoso.com'), matcher)).toBe(true);
    expect(isWatchedRotationEvidence(entra('adele@contoso.com'), matcher)).toBe(false);
    expect(isWatchedRotationEvidence(workspace('breakglass@example.com'), matcher)).toBe(true);
    expect(isWatchedRotationEvidence(workspace('someone@example.com'), matcher)).toBe(false);
  });

  it('drops what is not rotation evidence at all, even of a registry account', () => {
    const failed = { ...updateLoginProfile(), outcome: 'failure' as const };
    const matcher = registry(`  - { id: a, cloud: aws, match: { arn: "arn:aws:iam::763751499319:user/${USER}" } }`);
    expect(isWatchedRotationEvidence(failed, matcher)).toBe(false);
  });
});
