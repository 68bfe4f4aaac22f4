import { describe, expect, it } from 'vitest';
import { detect } from '../../../../shared/core/detect/engine.js';
import { signinAttempt } from '../../../../shared/core/detect/rules/signin-attempt.js';
import { normalizeCloudTrail } from '../../../../shared/core/normalize/aws/index.js';
import { parseRegistry, RegistryMatcher } from '../../../../shared/core/registry/index.js';
import { signInEvent } from '../../../support/audit-events.js';
import { readFixtureJsonl } from '../../../support/fixtures.js';
import { AWS_ADMIN, AWS_ROOT, contextFor } from '../break-glass.js';

/** IAM Identity Center sign-ins in the current format, written from the Identity Center user guide. */
const FILE = 'aws/written-from-docs/identity_center_signin_current.jsonl';
const rows = readFixtureJsonl<{ name: string; event: unknown }>(FILE);
const idc = new RegistryMatcher(
  parseRegistry(
    'accounts:\n  - { id: bg-idc, cloud: aws, match: { userName: bg-idc-admin, accountId: "111122223333" } }\n',
    'signin-attempt.test.ts',
  ),
);

function kindsOf(name: string): string[] {
  const line = rows.findIndex((r) => r.name === name) + 1;
  const event = normalizeCloudTrail(rows[line - 1]?.event, { location: FILE, line });
  return detect(event, idc).findings.map((f) => `${f.kind} ${f.account}`);
}

describe('signin-attempt', () => {
  it('fires on the password CredentialChallenge, the only Identity Center step that names the user', () => {
    expect(kindsOf('success-challenge')).toEqual(['signin.attempt bg-idc']);
    expect(kindsOf('failure-challenge')).toEqual(['signin.attempt bg-idc']);
  });

  it('fires on a sign-in record of a break-glass account whose outcome is not stated', () => {
    expect(
      signinAttempt.evaluate(
        signInEvent({ actor: AWS_ROOT, outcome: 'unknown' }),
        contextFor(signInEvent({ actor: AWS_ROOT })),
      )?.account?.id,
    ).toBe('aws-prod-root');
  });

  it('does not fire on steps and final events that name nobody (the user only as onBehalfOf.userId)', () => {
    expect(kindsOf('success-verification')).toEqual([]);
    expect(kindsOf('success-authentication')).toEqual([]);
    expect(kindsOf('failure-verification')).toEqual([]);
  });

  it('does not fire for another user, nor on a stated success or failure', () => {
    expect(kindsOf('other-user-challenge')).toEqual([]);
    for (const outcome of ['success', 'failure'] as const) {
      const event = signInEvent({ actor: AWS_ROOT, outcome });
      expect(signinAttempt.evaluate(event, contextFor(event))).toBeUndefined();
    }
    const other = signInEvent({ actor: AWS_ADMIN, outcome: 'unknown' });
    expect(signinAttempt.evaluate(other, contextFor(other))).toBeUndefined();
  });

  it('does not fire on a privileged root session (root-privileged-task covers it)', () => {
    const event = signInEvent({ actor: AWS_ROOT, outcome: 'unknown', rootSession: { phase: 'used' } });
    expect(signinAttempt.evaluate(event, contextFor(event))).toBeUndefined();
  });
});
