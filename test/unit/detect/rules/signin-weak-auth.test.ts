import { describe, expect, it } from 'vitest';
import { ruleContext } from '../../../../shared/core/detect/engine.js';
import { signinWeakAuth } from '../../../../shared/core/detect/rules/signin-weak-auth.js';
import type { AuditEvent } from '../../../../shared/core/model/audit-event.js';
import { normalizeAzureDiagnostic } from '../../../../shared/core/normalize/azure/index.js';
import { parseRegistry, RegistryMatcher } from '../../../../shared/core/registry/index.js';
import { signInEvent } from '../../../support/audit-events.js';
import { readFixtureJsonl } from '../../../support/fixtures.js';
import { identityEvent } from '../../../support/identity-shapes.js';
import { GCP_SUPER_ADMIN } from '../break-glass.js';

/** Accounts declaring the strength they must use; the Entra and AWS records are written from the docs. */
const matcher = new RegistryMatcher(
  parseRegistry(
    `accounts:
  - { id: entra-pr, cloud: azure, requiredAuth: phishing-resistant, match: { userPrincipalName: ea1@contoso.com } }
  - { id: aws-root-pr, cloud: aws, requiredAuth: phishing-resistant, match: { arn: "arn:aws-us-gov:iam::210987654321:root" } }
  - { id: any-root-mfa, cloud: aws, requiredAuth: mfa, match: { arn: "arn:aws:iam::*:root" } }
  - { id: gws-free, cloud: gcp, match: { email: emergency-admin@example.com } }
`,
    'strength.yaml',
  ),
);
const FILE = 'azure/written-from-docs/entra_signin_shapes.jsonl';
const entra = (name: string): AuditEvent => {
  const rows = readFixtureJsonl<{ name: string; record: unknown }>(FILE);
  return normalizeAzureDiagnostic(rows.find((r) => r.name === name)?.record, { location: FILE });
};
const fires = (event: AuditEvent) => signinWeakAuth.evaluate(event, ruleContext(event, matcher))?.account?.id;

describe('signin-weak-auth', () => {
  it('fires when a phishing-resistant account signs in with password and push (Entra)', () => {
    expect(fires(entra('push-after-password'))).toBe('entra-pr');
  });

  it('fires when an MFA-required root signs in with its password alone (AWS MFAUsed No)', () => {
    expect(fires(identityEvent('root-login-account-a'))).toBe('any-root-mfa');
  });

  it('does not fire on a passkey (Entra) or a FIDO security key on root (AWS u2f device)', () => {
    expect(fires(entra('passkey'))).toBeUndefined();
    expect(identityEvent('gov-root-console-login').mfa?.strength).toBe('phishing-resistant');
    expect(fires(identityEvent('gov-root-console-login'))).toBeUndefined();
  });

  it('does not fire when the record cannot tell the strength (token claim, no details)', () => {
    expect(fires(entra('token-claim-mfa'))).toBeUndefined();
    expect(fires(entra('no-details'))).toBeUndefined();
  });

  it('does not fire for an account that declares no required strength, nor on a failure', () => {
    const google = signInEvent({
      cloud: 'gcp',
      actor: GCP_SUPER_ADMIN,
      mfa: { used: false, methods: ['password'], strength: 'single-factor' },
    });
    expect(fires(google)).toBeUndefined();
    const failed = entra('push-after-password');
    failed.outcome = 'failure';
    expect(fires(failed)).toBeUndefined();
  });
});
