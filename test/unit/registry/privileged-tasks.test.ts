import { describe, expect, it } from 'vitest';
import { parseRegistry, RegistryError } from '../../../shared/core/registry/index.js';

/** `privilegedTasks` on a root entry: who may open privileged root sessions, under which task policies. */

const withTasks = (tasks: string, arn = 'arn:aws:iam::*:root') => `
accounts:
  - id: member-roots
    cloud: aws
    match: { arn: "${arn}" }
    privilegedTasks: ${tasks}
`;

function messageOf(text: string): string {
  try {
    parseRegistry(text, 'registry.yaml');
  } catch (error) {
    if (error instanceof RegistryError) return error.message;
    throw error;
  }
  throw new Error('expected a RegistryError');
}

describe('registry privilegedTasks', () => {
  it('accepts declared callers (wildcards allowed) and the documented task policies', () => {
    const registry = parseRegistry(
      withTasks(
        '{ allowedCallers: ["arn:aws:iam::111111111111:role/RootTasks", "arn:aws:sts::111111111111:assumed-role/RootTasks/*"], taskPolicies: [S3UnlockBucketPolicy, IAMAuditRootUserCredentials] }',
      ),
      'registry.yaml',
    );
    const [entry] = registry.accounts;
    expect(entry?.cloud === 'aws' && entry.privilegedTasks?.taskPolicies).toEqual([
      'S3UnlockBucketPolicy',
      'IAMAuditRootUserCredentials',
    ]);
  });

  it.each([
    [
      'an unknown task policy, naming entry and field',
      withTasks('{ allowedCallers: ["arn:aws:iam::1:role/R"], taskPolicies: [S3UnlockEverything] }'),
      /accounts\[0\] \(id member-roots\) field privilegedTasks\.taskPolicies\.0: one of IAMAuditRootUserCredentials, /,
    ],
    [
      'a caller that is not an IAM or STS ARN',
      withTasks('{ allowedCallers: ["john"], taskPolicies: [S3UnlockBucketPolicy] }'),
      /accounts\[0\] \(id member-roots\) field privilegedTasks\.allowedCallers\.0: an IAM or STS ARN/,
    ],
    [
      'an empty caller list',
      withTasks('{ allowedCallers: [], taskPolicies: [S3UnlockBucketPolicy] }'),
      /accounts\[0\] \(id member-roots\) field privilegedTasks\.allowedCallers/,
    ],
    [
      'an unknown key',
      withTasks('{ allowedCallers: ["arn:aws:iam::1:role/R"], taskPolicies: [S3UnlockBucketPolicy], policies: [] }'),
      /accounts\[0\] \(id member-roots\) field privilegedTasks: unknown key\(s\) "policies"/,
    ],
    [
      'privilegedTasks on an entry that is not a root',
      withTasks(
        '{ allowedCallers: ["arn:aws:iam::1:role/R"], taskPolicies: [S3UnlockBucketPolicy] }',
        'arn:aws:iam::111122223333:user/breakglass',
      ),
      /accounts\[0\] \(id member-roots\) field privilegedTasks: only a root entry/,
    ],
  ])('refuses %s', (_label, text, message) => {
    expect(messageOf(text)).toMatch(message);
  });
});
