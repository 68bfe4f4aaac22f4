import { describe, expect, it } from 'vitest';
import { detect } from '../../../../shared/core/detect/engine.js';
import { signinFailure } from '../../../../shared/core/detect/rules/signin-failure.js';
import { auditEvent, signInEvent } from '../../../support/audit-events.js';
import { AWS_ADMIN, AWS_ROOT, contextFor, ENTRA_EMERGENCY, matcher } from '../break-glass.js';

function evaluate(event = signInEvent()) {
  return signinFailure.evaluate(event, contextFor(event));
}

describe('signin-failure', () => {
  it('fires on a failed root console sign-in', () => {
    const event = signInEvent({ actor: AWS_ROOT, outcome: 'failure', failureReason: 'Failed authentication' });
    expect(evaluate(event)?.account?.id).toBe('aws-prod-root');
  });

  it('fires on a failed Entra sign-in of the emergency account', () => {
    const event = signInEvent({ cloud: 'azure', actor: ENTRA_EMERGENCY, outcome: 'failure', failureReason: '50126' });
    expect(evaluate(event)?.account?.id).toBe('entra-emergency');
  });

  it('fires on a failed sign-in of a break-glass IAM user matched by name and account', () => {
    const actor = { type: 'IAMUser', display: 'BreakGlass', userName: 'BreakGlass', accountId: '111122223333' };
    expect(evaluate(signInEvent({ actor, outcome: 'failure' }))?.account?.id).toBe('aws-breakglass-user');
  });

  it('does not fire on a CloudTrail failure whose user name is HIDDEN_DUE_TO_SECURITY_REASONS', () => {
    // CloudTrail hides a typed user name that is not an existing user: nobody to attribute it to.
    const actor = {
      type: 'IAMUser',
      display: 'HIDDEN_DUE_TO_SECURITY_REASONS',
      userName: 'HIDDEN_DUE_TO_SECURITY_REASONS',
      accountId: '111122223333',
    };
    const event = signInEvent({ actor, outcome: 'failure', failureReason: 'No username found in supplied account' });
    expect(evaluate(event)).toBeUndefined();
    expect(detect(event, matcher).findings).toEqual([]);
  });

  it('does not fire on a successful sign-in', () => {
    expect(evaluate(signInEvent({ actor: AWS_ROOT }))).toBeUndefined();
  });

  it('does not fire on a failed sign-in of someone else', () => {
    expect(evaluate(signInEvent({ actor: AWS_ADMIN, outcome: 'failure' }))).toBeUndefined();
  });

  it('does not fire on a failed API call by the break-glass account', () => {
    expect(evaluate(auditEvent({ actor: AWS_ROOT, outcome: 'failure' }))).toBeUndefined();
  });

  it('groups its findings by source address (spraying across accounts), and not without one', () => {
    const from = (ip: string | undefined) =>
      detect(signInEvent({ actor: AWS_ROOT, outcome: 'failure', src: ip ? { ip } : {} }), matcher).findings[0]?.link;
    expect(from('192.0.2.10')).toEqual({ kind: 'groups', alias: 'spray:aws:192.0.2.10' });
    expect(from(undefined)).toBeUndefined();
  });
});
