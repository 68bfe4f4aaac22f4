import { describe, expect, it } from 'vitest';
import { signinWithoutMfa } from '../../../../shared/core/detect/rules/signin-without-mfa.js';
import { signInEvent } from '../../../support/audit-events.js';
import { AWS_ADMIN, AWS_ROOT, contextFor, GCP_SUPER_ADMIN } from '../break-glass.js';

function evaluate(event = signInEvent()) {
  return signinWithoutMfa.evaluate(event, contextFor(event));
}

describe('signin-without-mfa', () => {
  it('fires on a root sign-in the record proves was password-only', () => {
    const event = signInEvent({ actor: AWS_ROOT, mfa: { used: false, methods: [] } });
    expect(evaluate(event)?.account?.id).toBe('aws-prod-root');
  });

  it('fires on a Google super-admin password-only login', () => {
    const event = signInEvent({ cloud: 'gcp', actor: GCP_SUPER_ADMIN, mfa: { used: false, methods: ['password'] } });
    expect(evaluate(event)?.account?.id).toBe('gcp-super-admin');
  });

  it('does not fire when the record cannot tell (mfa.used undefined)', () => {
    expect(evaluate(signInEvent({ actor: AWS_ROOT, mfa: { used: undefined, methods: [] } }))).toBeUndefined();
  });

  it('does not fire when the record has no MFA information at all', () => {
    expect(evaluate(signInEvent({ actor: AWS_ROOT, mfa: undefined }))).toBeUndefined();
  });

  it('does not fire when a second factor was used', () => {
    expect(evaluate(signInEvent({ actor: AWS_ROOT, mfa: { used: true, methods: ['TOTP'] } }))).toBeUndefined();
  });

  it('does not fire on a failed password-only attempt (that is a failure, not a session)', () => {
    const event = signInEvent({ actor: AWS_ROOT, outcome: 'failure', mfa: { used: false, methods: [] } });
    expect(evaluate(event)).toBeUndefined();
  });

  it('does not fire for a principal that is not in the registry', () => {
    expect(evaluate(signInEvent({ actor: AWS_ADMIN, mfa: { used: false, methods: [] } }))).toBeUndefined();
  });
});
