import { describe, expect, it } from 'vitest';
import { parseRegistry } from '../../../../shared/core/registry/index.js';
import { AWS_TAMPER_EVENTS, sweepPlan } from '../../../../shared/runtime/aws/sweep-plan.js';

describe('sweepPlan', () => {
  it('asks event history for each break-glass name once and for every tamper action, one attribute per query', () => {
    const registry = parseRegistry(
      `accounts:
  - { id: root-a, cloud: aws, match: { arn: "arn:aws:iam::111122223333:root" } }
  - { id: root-b, cloud: aws, match: { arn: "arn:aws:iam::*:root" } }
  - { id: user, cloud: aws, match: { arn: "arn:aws:iam::111122223333:user/ops/break-glass" } }
  - { id: named, cloud: aws, match: { userName: emergency, accountId: "111122223333" } }
  - { id: role, cloud: aws, match: { arn: "arn:aws:sts::111122223333:assumed-role/BreakGlass/*" } }
  - { id: google, cloud: gcp, match: { email: admin@example.com } }`,
      'r.yaml',
    );
    const plan = sweepPlan(registry);
    expect(plan.queries.filter((q) => q.attribute === 'Username').map((q) => q.value)).toEqual([
      'break-glass',
      'emergency',
      'root',
    ]);
    // The tamper actions, AssumeRoot, 4 root-access switches, RegisterDelegatedAdministrator and 4
    // Identity Center group-membership calls.
    expect(plan.queries.filter((q) => q.attribute === 'EventName')).toHaveLength(
      Object.values(AWS_TAMPER_EVENTS).flat().length + 10,
    );
    expect(plan.unsearchable).toEqual([
      expect.stringMatching(
        /^role: event history cannot be searched by arn:aws:sts::111122223333:assumed-role\/BreakGlass\/\*/,
      ),
    ]);
  });
});
