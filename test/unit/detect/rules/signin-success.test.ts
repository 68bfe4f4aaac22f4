import { describe, expect, it } from 'vitest';
import { signinSuccess } from '../../../../shared/core/detect/rules/signin-success.js';
import { auditEvent, signInEvent } from '../../../support/audit-events.js';
import { AWS_ROOT, contextFor, ENTRA_EMERGENCY, GCP_ADMIN, GCP_SUPER_ADMIN } from '../break-glass.js';

function evaluate(event = signInEvent()) {
  return signinSuccess.evaluate(event, contextFor(event));
}

describe('signin-success', () => {
  it('fires on a successful AWS root console sign-in', () => {
    expect(evaluate(signInEvent({ actor: AWS_ROOT }))?.account?.id).toBe('aws-prod-root');
  });

  it('does not fire on a console sign-in of a privileged root session (root-privileged-task covers it)', () => {
    const event = signInEvent({ actor: AWS_ROOT, rootSession: { phase: 'used', accessKeyId: 'ASIAEXAMPLE' } });
    expect(evaluate(event)).toBeUndefined();
  });

  it('fires on a Google super-admin login, e-mail compared case-insensitively', () => {
    expect(evaluate(signInEvent({ cloud: 'gcp', actor: GCP_SUPER_ADMIN }))?.account?.id).toBe('gcp-super-admin');
  });

  it('fires on an Entra emergency sign-in known only by object id', () => {
    const actor = { type: 'User', display: ENTRA_EMERGENCY.display, objectId: '8F2A7C51-3B4E-4D6A-9C1E-2B7D5E0F9A13' };
    expect(evaluate(signInEvent({ cloud: 'azure', actor }))?.account?.id).toBe('entra-emergency');
  });

  it('does not fire on a failed sign-in', () => {
    expect(evaluate(signInEvent({ actor: AWS_ROOT, outcome: 'failure' }))).toBeUndefined();
  });

  it('does not fire on an outcome the provider did not state', () => {
    expect(evaluate(signInEvent({ actor: AWS_ROOT, outcome: 'unknown' }))).toBeUndefined();
  });

  it('does not fire for a principal that is not in the registry', () => {
    expect(evaluate(signInEvent({ cloud: 'gcp', actor: GCP_ADMIN }))).toBeUndefined();
  });

  it('does not fire on an API call by the break-glass account (that is activity)', () => {
    expect(evaluate(auditEvent({ actor: AWS_ROOT }))).toBeUndefined();
  });
});
