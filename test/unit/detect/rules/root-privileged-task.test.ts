import { describe, expect, it } from 'vitest';
import { detect, ruleContext } from '../../../../shared/core/detect/engine.js';
import { rootPrivilegedTask } from '../../../../shared/core/detect/rules/root-privileged-task.js';
import type { AuditEvent } from '../../../../shared/core/model/audit-event.js';
import type { RegistryMatcher } from '../../../../shared/core/registry/index.js';
import { ONE_MEMBER_ROOT, ROOT_ACCESS_EVENTS as R, rootRegistry } from '../../../support/root-access.js';
import { docsEvent } from '../../normalize/aws/harness.js';

function evaluate(event: AuditEvent, matcher: RegistryMatcher = rootRegistry()) {
  return rootPrivilegedTask.evaluate(event, ruleContext(event, matcher));
}

const JOHN_ROLE = '"arn:aws:iam::111111111111:role/John"';

describe('root-privileged-task', () => {
  it('fires on sts:AssumeRoot for a registered member root, high while the registry declares no callers', () => {
    expect(evaluate(R.assumeRoot222())).toEqual({
      account: expect.objectContaining({ id: 'member-roots' }),
      severity: 'high',
    });
  });

  it('fires on the privileged session’s own record in the member account (type Root, assumedRoot)', () => {
    expect(evaluate(R.unlockBucket222())?.severity).toBe('high');
  });

  it('fires medium for a declared caller (role, matching its session) under a declared task policy', () => {
    const matcher = rootRegistry(`{ allowedCallers: [${JOHN_ROLE}], taskPolicies: [S3UnlockBucketPolicy] }`);
    expect(evaluate(R.assumeRoot222(), matcher)?.severity).toBe('medium');
  });

  it('fires critical for an undeclared task policy, an undeclared caller, or a session record whose caller is not known yet', () => {
    const declared = rootRegistry(`{ allowedCallers: [${JOHN_ROLE}], taskPolicies: [S3UnlockBucketPolicy] }`);
    expect(evaluate(R.assumeRoot333(), declared)?.severity).toBe('critical');
    const otherCaller = rootRegistry(
      '{ allowedCallers: ["arn:aws:iam::111111111111:role/RootTasks"], taskPolicies: [S3UnlockBucketPolicy] }',
    );
    expect(evaluate(R.assumeRoot222(), otherCaller)?.severity).toBe('critical');
    expect(evaluate(R.unlockBucket222(), declared)?.severity).toBe('critical');
  });

  it('fires on a denied AssumeRoot too: an attempt counts', () => {
    const denied = { ...R.assumeRoot222(), outcome: 'failure' as const, failureReason: 'AccessDenied: no' };
    expect(evaluate(denied)?.account?.id).toBe('member-roots');
  });

  it('does not fire on AssumeRoot or a root session in a member account whose root is not break-glass', () => {
    expect(evaluate(R.assumeRoot333(), ONE_MEMBER_ROOT)).toBeUndefined();
    expect(evaluate(R.createLoginProfile333(), ONE_MEMBER_ROOT)).toBeUndefined();
    expect(evaluate(R.assumeRoot222(), ONE_MEMBER_ROOT)?.account?.id).toBe('member-222');
  });

  it('does not fire on the root user’s own activity (no assumedRoot): that is activity', () => {
    const rootCreateBucket = docsEvent('eventbridge_cloudtrail_examples.jsonl', 2);
    expect(evaluate(rootCreateBucket)).toBeUndefined();
    expect(detect(rootCreateBucket, rootRegistry()).findings.map((f) => f.kind)).toEqual(['activity']);
  });

  it('is the only kind a session record gets: never signin.success nor activity of root', () => {
    const kinds = (event: AuditEvent) =>
      detect(event, rootRegistry())
        .findings.map((f) => f.kind)
        .sort();
    expect(kinds(R.assumeRoot222())).toEqual(['root.privileged-task']);
    expect(kinds(R.unlockBucket222())).toEqual(['root.privileged-task']);
    // Root credentials coming back: account.change on the root entry, in the same session.
    expect(kinds(R.createLoginProfile333())).toEqual(['account.change', 'root.privileged-task']);
  });
});
