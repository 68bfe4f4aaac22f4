import type { AuditEvent } from '../../shared/core/model/audit-event.js';
import { normalizeCloudTrail } from '../../shared/core/normalize/aws/cloudtrail.js';
import { parseRegistry, RegistryMatcher } from '../../shared/core/registry/index.js';
import { readFixtureJsonl } from './fixtures.js';

/**
 * The centralized-root-access records written from the AWS documentation
 * (test/fixtures/aws/aws-docs-cc-by-sa/centralized_root_access.jsonl), normalized, by role in the story:
 * John (role session in 111111111111) opens root sessions on 222222222222 (S3UnlockBucketPolicy) and
 * 333333333333 (IAMCreateRootUserPassword); the sessions unlock a bucket, create a root login profile and
 * are denied an access key; the organization switches root sessions on and delegates IAM.
 */
const rows = readFixtureJsonl<{ event: unknown }>('aws/aws-docs-cc-by-sa/centralized_root_access.jsonl');
const event = (index: number): AuditEvent =>
  normalizeCloudTrail(rows[index]?.event, { location: 'centralized_root_access.jsonl', line: index + 1 });

export const ROOT_ACCESS_EVENTS = {
  assumeRoot222: () => event(0),
  unlockBucket222: () => event(1),
  assumeRoot333: () => event(2),
  createLoginProfile333: () => event(3),
  deniedAccessKey333: () => event(4),
  enableRootSessions: () => event(5),
  registerIamDelegatedAdmin: () => event(6),
  registerOtherDelegatedAdmin: () => event(7),
  passwordRecoveryRequested: () => event(8),
};

/** Member roots by wildcard; `privilegedTasks` appended when given (YAML flow mapping). */
export function rootRegistry(privilegedTasks?: string): RegistryMatcher {
  const extra = privilegedTasks ? `, privilegedTasks: ${privilegedTasks}` : '';
  return new RegistryMatcher(
    parseRegistry(
      `accounts:
  - { id: member-roots, cloud: aws, match: { arn: "arn:aws:iam::*:root" }${extra} }
  - { id: ops-user, cloud: aws, match: { userName: breakglass, accountId: "111111111111" } }
# The trail bucket is named, so unlocking another bucket's policy is not tampering with the trail.
pipeline: { aws: { trailBucket: org-trail-logs-111111111111 } }`,
      'root-access.yaml',
    ),
  );
}

/** Only 222222222222's root is break-glass: 333333333333 is an ordinary member account. */
export const ONE_MEMBER_ROOT = new RegistryMatcher(
  parseRegistry(
    'accounts: [{ id: member-222, cloud: aws, match: { arn: "arn:aws:iam::222222222222:root" } }]',
    'one-member.yaml',
  ),
);
