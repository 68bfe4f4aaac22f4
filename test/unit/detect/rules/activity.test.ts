import { describe, expect, it } from 'vitest';
import { detect } from '../../../../shared/core/detect/engine.js';
import { activity } from '../../../../shared/core/detect/rules/activity.js';
import { auditEvent, signInEvent } from '../../../support/audit-events.js';
import { AWS_ADMIN, AWS_ROOT, contextFor, ENTRA_EMERGENCY, GCP_SUPER_ADMIN, matcher } from '../break-glass.js';

function evaluate(event = auditEvent()) {
  return activity.evaluate(event, contextFor(event));
}

describe('activity', () => {
  it('fires on an API call by AWS root', () => {
    expect(evaluate(auditEvent({ actor: AWS_ROOT, action: 'RunInstances' }))?.account?.id).toBe('aws-prod-root');
  });

  it('fires on a denied API call by AWS root: a denied call is still use', () => {
    const event = auditEvent({ actor: AWS_ROOT, outcome: 'failure', failureReason: 'AccessDenied' });
    expect(evaluate(event)?.account?.id).toBe('aws-prod-root');
  });

  it('fires on GCP and Azure calls by break-glass principals', () => {
    expect(evaluate(auditEvent({ cloud: 'gcp', actor: GCP_SUPER_ADMIN }))?.account?.id).toBe('gcp-super-admin');
    expect(evaluate(auditEvent({ cloud: 'azure', actor: ENTRA_EMERGENCY }))?.account?.id).toBe('entra-emergency');
  });

  it('does not fire on a provider-generated root record (AWS service event)', () => {
    expect(evaluate(auditEvent({ actor: AWS_ROOT, providerGenerated: true }))).toBeUndefined();
  });

  it('does not fire on a sign-in (the sign-in rules cover those)', () => {
    expect(evaluate(signInEvent({ actor: AWS_ROOT }))).toBeUndefined();
  });

  it('does not fire on a call by someone else, even on a break-glass target', () => {
    const event = auditEvent({ actor: AWS_ADMIN, service: 'iam.amazonaws.com', action: 'GetUser' });
    expect(evaluate({ ...event, targets: [{ arn: AWS_ROOT.arn }] })).toBeUndefined();
  });

  it.each(['AccessDenied', 'AccessDeniedException', 'Client.UnauthorizedOperation'])(
    'fires on a call a policy denied (%s): an attempt, worded as denied, never dropped',
    (code) => {
      const event = auditEvent({
        actor: AWS_ROOT,
        service: 'ec2.amazonaws.com',
        action: 'RunInstances',
        outcome: 'failure',
        failureReason: `${code}: denied by a service control policy`,
      });
      expect(evaluate(event)?.account?.id).toBe('aws-prod-root');
      const [finding] = detect(event, matcher).findings;
      expect(finding?.title).toBe('Break-glass account activity (denied): RunInstances');
    },
  );

  it('does not word a call that failed for another reason as denied', () => {
    const event = auditEvent({ actor: AWS_ROOT, outcome: 'failure', failureReason: 'ThrottlingException: slow down' });
    expect(detect(event, matcher).findings[0]?.title).toBe('Break-glass account activity: DescribeInstances');
  });
});
