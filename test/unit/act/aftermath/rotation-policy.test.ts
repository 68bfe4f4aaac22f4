import { describe, expect, it } from 'vitest';
import { rotationSchema } from '../../../../shared/core/act/aftermath/config.js';
import {
  executorsFor,
  expectedEvidence,
  immediateTrigger,
} from '../../../../shared/core/act/aftermath/rotation-policy.js';
import type { DetectionKind } from '../../../../shared/core/model/finding.js';
import type { IncidentEvent } from '../../../../shared/core/model/incident.js';
import { RegistryMatcher } from '../../../../shared/core/registry/index.js';
import { registrySchema } from '../../../../shared/core/registry/schema.js';
import { awsActivity, awsRootSignIn, incident } from '../support/incidents.js';
import { REGISTRY_INPUT, ROOT_SECRET, registry } from './support.js';

function accountIn(matcher: RegistryMatcher, id: string) {
  const account = matcher.account(id);
  if (!account) throw new Error(`no account ${id} in the test registry`);
  return account;
}
const matcher = new RegistryMatcher(registry());
const must = (id: string) => accountIn(matcher, id);

describe('expectedEvidence', () => {
  it('reads what proves a rotation from the registry entry of each cloud', () => {
    expect(expectedEvidence(must('aws-root-prod'))).toEqual([
      { kind: 'aws.root-password', accountId: '111122223333' },
      { kind: 'aws.secret', secretId: ROOT_SECRET },
    ]);
    expect(expectedEvidence(must('aws-breakglass-user'))).toEqual([
      { kind: 'aws.iam-user-password', userName: 'breakglass', accountId: '111122223333' },
    ]);
    expect(expectedEvidence(must('entra-emergency'))).toEqual([
      { kind: 'azure.password', upn: 'emergency@contoso.com' },
    ]);
    expect(expectedEvidence(must('gws-superadmin'))).toEqual([
      { kind: 'gcp.password', email: 'breakglass@example.com' },
    ]);
  });

  it('IAM user ARNs (with a path) name the user; wildcard role patterns name nothing', () => {
    const other = new RegistryMatcher(
      registrySchema.parse({
        accounts: [
          ...(REGISTRY_INPUT.accounts ?? []),
          { id: 'pathed', cloud: 'aws', match: { arn: 'arn:aws:iam::111122223333:user/emergency/bg-admin' } },
          {
            id: 'sso',
            cloud: 'aws',
            match: { arn: 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_BreakGlass_*' },
          },
        ],
      }),
    );
    expect(expectedEvidence(accountIn(other, 'pathed'))).toEqual([
      { kind: 'aws.iam-user-password', userName: 'bg-admin', accountId: '111122223333' },
    ]);
    expect(expectedEvidence(accountIn(other, 'sso'))).toEqual([]);
  });
});

describe('immediateTrigger', () => {
  const at = (seconds: number) => new Date(Date.parse('2022-11-10T16:00:00Z') + seconds * 1000).toISOString();
  const signin = (kind: DetectionKind, seconds: number): IncidentEvent => ({
    ...awsRootSignIn(),
    id: `aws:s${seconds}`,
    time: at(seconds),
    kinds: [kind],
  });

  it('the first tamper event, or the first success after a failure, decides', () => {
    expect(immediateTrigger({ events: [signin('signin.success', 0)] })).toBeUndefined();
    expect(immediateTrigger({ events: [signin('signin.success', 0), signin('signin.failure', 5)] })).toBeUndefined();
    expect(
      immediateTrigger({
        events: [signin('signin.failure', 0), signin('signin.failure', 5), signin('signin.success', 9)],
      }),
    ).toEqual({ reason: 'failed-then-successful sign-in', immediate: true, atMs: Date.parse(at(9)) });
    const tamper = awsActivity({ action: 'StopLogging', kinds: ['audit.tamper'], time: at(3) });
    expect(immediateTrigger({ events: [signin('signin.failure', 0), tamper] })?.reason).toBe('audit.tamper');
  });
});

describe('executorsFor', () => {
  const aws = rotationSchema.parse({ aws: {} });
  const keyFor = (user?: string) =>
    awsActivity({
      service: 'iam.amazonaws.com',
      action: 'CreateAccessKey',
      resources: user ? [user] : [],
      kinds: ['account.change'],
    });

  it('nothing without AWS executors configured, or outside AWS', () => {
    expect(executorsFor(incident([keyFor('x')]), must('aws-root-prod'), rotationSchema.parse({}))).toEqual({});
    expect(executorsFor(incident([awsRootSignIn()], { cloud: 'azure' }), must('entra-emergency'), aws)).toEqual({});
  });

  it('the secret, and keys of the users named; a key root made for itself needs a person', () => {
    const session = incident([awsRootSignIn(), keyFor('backdoor'), keyFor(), keyFor('evil name; rm -rf')]);
    const executors = executorsFor(session, must('aws-root-prod'), aws);
    expect(executors.secretId).toBe(ROOT_SECRET);
    expect(executors.accessKeys?.users).toEqual(['backdoor']);
    expect(executors.rootAccessKey).toBe(true);
    expect(Date.parse(executors.accessKeys?.from ?? '')).toBe(Date.parse(session.firstSeen) - 60_000);
    expect(executors.accessKeys?.eventIds).toHaveLength(3);
  });

  it('key ids in the resources (AKIA…) are keys, not users', () => {
    const executors = executorsFor(
      incident([keyFor('backdoor'), keyFor('AKIAIOSFODNN7EXAMPLE')]),
      must('aws-root-prod'),
      aws,
    );
    expect(executors.accessKeys).toMatchObject({ users: ['backdoor'], keyIds: ['AKIAIOSFODNN7EXAMPLE'] });
  });

  it("an IAM break-glass user's own CreateAccessKey deactivates that user's new key", () => {
    const executors = executorsFor(
      incident([keyFor()], { account: 'aws-breakglass-user' }),
      must('aws-breakglass-user'),
      aws,
    );
    expect(executors).toMatchObject({ accessKeys: { users: ['breakglass'] } });
    expect(executors.secretId).toBeUndefined();
  });

  it('keys created in another account than the one the registry names are not this incident to clean up', () => {
    const elsewhere = { ...keyFor('backdoor'), id: 'aws:elsewhere', where: '999999999999' };
    const executors = executorsFor(incident([awsRootSignIn(), elsewhere]), must('aws-root-prod'), aws);
    expect(executors.accessKeys).toBeUndefined();
    expect(executors.rootAccessKey).toBeUndefined();
  });
});
