import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  IAMClient,
  ListAccessKeysCommand,
  NoSuchEntityException,
  ServiceFailureException,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { InvalidRequestException, RotateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requestToken } from '../../../shared/core/act/aftermath/plan.js';
import type { RespondersInput } from '../../../shared/core/act/config-schema.js';
import { ROOT_SECRET, SESSION_DAY } from '../../unit/act/aftermath/support.js';
import { awsActivity, awsRootSignIn, closed, incident, opened } from '../../unit/act/support/incidents.js';
import { aftermathHarness } from './support/harness.js';

/**
 * The AWS rotation executors. Secrets Manager and IAM have no local server: they are stubbed at SDK
 * level (aws-sdk-client-mock), behind the real drivers built by `createAftermathDrivers`.
 */
const secrets = mockClient(SecretsManagerClient);
const iam = mockClient(IAMClient);
afterAll(() => {
  for (const stub of [secrets, iam]) stub.restore();
});

let dir: string;
beforeEach(async () => {
  for (const stub of [secrets, iam]) stub.reset();
  dir = await mkdtemp(join(tmpdir(), 'glasswatch-aftermath-aws-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What the SDK puts on a service error: its message (both spellings, as Scheduler models it) and the status. */
const answer = (message: string, httpStatusCode: number) => ({
  message,
  Message: message,
  $metadata: { httpStatusCode },
});
const config = (extra: RespondersInput = {}): RespondersInput => ({
  outbox: { dir },
  rotation: { aws: {} },
  ...extra,
});

/** A root session in which a key was created for "backdoor", then CloudTrail was stopped. */
function tamperedSession(id: string) {
  return incident(
    [
      awsRootSignIn(),
      awsActivity({
        service: 'iam.amazonaws.com',
        action: 'CreateAccessKey',
        resources: ['backdoor'],
        kinds: ['account.change'],
      }),
      awsActivity({ service: 'cloudtrail.amazonaws.com', action: 'StopLogging', kinds: ['audit.tamper'] }),
    ],
    { id },
  );
}

describe('Secrets Manager RotateSecret', () => {
  it('rotates the break-glass secret at once after tampering, with the same ClientRequestToken on retry', async () => {
    secrets
      .on(RotateSecretCommand)
      // A network error (no HTTP answer): the answer may be lost after Secrets Manager acted.
      .rejectsOnce(new Error('socket hang up'))
      .resolves({ ARN: ROOT_SECRET, VersionId: 'v-2' });
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [] });
    const { responders, store } = aftermathHarness(config(), {}, SESSION_DAY);
    const report = await responders.handle([opened(tamperedSession('inc-r1'))]);
    expect(report.complete).toBe(true);
    const calls = secrets.commandCalls(RotateSecretCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toEqual({
      SecretId: ROOT_SECRET,
      ClientRequestToken: requestToken('inc-r1'),
      RotateImmediately: true,
    });
    expect(calls[1]).toEqual(calls[0]);
    expect(report.incidents[0]?.actions.find((a) => a.key === 'rotation:secretsmanager')?.ref).toMatchObject({
      versionId: 'v-2',
    });
    expect(store.all()[0]?.requestedAt).toBeDefined();
  });

  it('a secret without rotation configured fails permanently, saying what to configure', async () => {
    secrets
      .on(RotateSecretCommand)
      .rejects(
        new InvalidRequestException(answer('No Lambda rotation function ARN is associated with this secret.', 400)),
      );
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [] });
    const { responders, store } = aftermathHarness(config(), {}, SESSION_DAY);
    const report = await responders.handle([opened(tamperedSession('inc-r2'))]);
    expect(report.incidents[0]?.actions.find((a) => a.key === 'rotation:secretsmanager')).toMatchObject({
      status: 'failed',
      attempts: 1,
      detail: expect.stringContaining('configure rotation on the secret'),
    });
    expect(secrets.commandCalls(RotateSecretCommand)).toHaveLength(1);
    expect(store.all()[0]?.requestedAt).toBeUndefined();
  });

  it('a rotation already running counts as requested', async () => {
    secrets
      .on(RotateSecretCommand)
      .rejects(
        new InvalidRequestException(
          answer("A previous rotation isn't complete. That rotation will be continued.", 400),
        ),
      );
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [] });
    const { responders } = aftermathHarness(config(), {}, SESSION_DAY);
    const report = await responders.handle([opened(tamperedSession('inc-r3'))]);
    expect(report.incidents[0]?.actions.find((a) => a.key === 'rotation:secretsmanager')).toMatchObject({
      status: 'delivered',
      ref: { how: 'rotation already running' },
    });
  });
});

describe('IAM access keys created during the session', () => {
  const key = (id: string, created: string, status: 'Active' | 'Inactive' = 'Active') => ({
    UserName: 'backdoor',
    AccessKeyId: id,
    Status: status,
    CreateDate: new Date(created),
  });

  it('sets Inactive only the Active keys created within the session window', async () => {
    secrets.on(RotateSecretCommand).resolves({});
    iam.on(ListAccessKeysCommand, { UserName: 'backdoor' }).resolves({
      AccessKeyMetadata: [
        key('AKIAIOSFODNN7NEWKEY1', '2022-11-10T16:30:00Z'),
        key('AKIAIOSFODNN7OLDKEY1', '2022-01-05T09:00:00Z'),
        key('AKIAIOSFODNN7NEWKEY2', '2022-11-10T16:30:01Z', 'Inactive'),
      ],
      IsTruncated: false,
    });
    iam.on(UpdateAccessKeyCommand).resolves({});
    const { responders } = aftermathHarness(config(), {}, SESSION_DAY);
    const changes = [opened(tamperedSession('inc-k1'))];
    const report = await responders.handle(changes);
    expect(report.complete).toBe(true);
    expect(iam.commandCalls(UpdateAccessKeyCommand).map((c) => c.args[0].input)).toEqual([
      { UserName: 'backdoor', AccessKeyId: 'AKIAIOSFODNN7NEWKEY1', Status: 'Inactive' },
    ]);
    const action = report.incidents[0]?.actions.find((a) => a.key.startsWith('rotation:iam:'));
    expect(action?.ref).toEqual({ users: 'backdoor', deactivated: 'AKIAIOSFODNN7NEWKEY1' });

    // The session closes later: the same keys are not touched again.
    await responders.handle([closed(changes[0]?.incident ?? tamperedSession('x'))]);
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(1);
  });

  it("touches no key of a user outside the registry's break-glass users, and says so", async () => {
    secrets.on(RotateSecretCommand).resolves({});
    iam
      .on(ListAccessKeysCommand)
      .resolves({ AccessKeyMetadata: [key('AKIAIOSFODNN7NEWKEY1', '2022-11-10T16:30:00Z')] });
    const { responders } = aftermathHarness(config(), { iamUsers: ['breakglass'] }, SESSION_DAY);
    const report = await responders.handle([opened(tamperedSession('inc-k0'))]);
    expect(iam.commandCalls(ListAccessKeysCommand)).toEqual([]);
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toEqual([]);
    const action = report.incidents[0]?.actions.find((a) => a.key.startsWith('rotation:iam:'));
    expect(action?.ref).toMatchObject({ deactivated: 'none', notTouched: 'backdoor' });
  });

  it('a key the incident names is deactivated even when its CreateDate falls outside the window', async () => {
    secrets.on(RotateSecretCommand).resolves({});
    iam.on(ListAccessKeysCommand, { UserName: 'backdoor' }).resolves({
      AccessKeyMetadata: [
        key('AKIAIOSFODNN7NAMEDKY', '2022-11-10T18:00:00Z'),
        key('AKIAIOSFODNN7OTHERKY', '2022-11-10T18:00:00Z'),
      ],
    });
    iam.on(UpdateAccessKeyCommand).resolves({});
    const { responders } = aftermathHarness(config(), {}, SESSION_DAY);
    const named = incident(
      [
        awsRootSignIn(),
        awsActivity({
          service: 'iam.amazonaws.com',
          action: 'CreateAccessKey',
          resources: ['backdoor', 'AKIAIOSFODNN7NAMEDKY'],
          kinds: ['account.change'],
        }),
        awsActivity({ service: 'cloudtrail.amazonaws.com', action: 'StopLogging', kinds: ['audit.tamper'] }),
      ],
      { id: 'inc-k3' },
    );
    expect((await responders.handle([opened(named)])).complete).toBe(true);
    expect(iam.commandCalls(UpdateAccessKeyCommand).map((c) => c.args[0].input.AccessKeyId)).toEqual([
      'AKIAIOSFODNN7NAMEDKY',
    ]);
  });

  it('follows ListAccessKeys pages; a user deleted meanwhile has no key left; a 500 is retried', async () => {
    secrets.on(RotateSecretCommand).resolves({});
    iam.on(ListAccessKeysCommand, { UserName: 'backdoor' }).callsFake((input: { Marker?: string }) =>
      input.Marker === 'm1'
        ? { AccessKeyMetadata: [key('AKIAIOSFODNN7PAGE2KY', '2022-11-10T16:30:00Z')], IsTruncated: false }
        : {
            AccessKeyMetadata: [key('AKIAIOSFODNN7PAGE1KY', '2022-11-10T16:30:00Z')],
            IsTruncated: true,
            Marker: 'm1',
          },
    );
    iam
      .on(ListAccessKeysCommand, { UserName: 'gone' })
      .rejects(new NoSuchEntityException(answer('The user with name gone cannot be found.', 404)));
    iam
      .on(UpdateAccessKeyCommand)
      .rejectsOnce(new ServiceFailureException(answer('internal', 500)))
      .resolves({});
    const { responders } = aftermathHarness(config(), {}, SESSION_DAY);
    const session = incident(
      [
        awsRootSignIn(),
        awsActivity({
          service: 'iam.amazonaws.com',
          action: 'CreateAccessKey',
          resources: ['backdoor'],
          kinds: ['account.change'],
        }),
        awsActivity({
          service: 'iam.amazonaws.com',
          action: 'CreateAccessKey',
          resources: ['gone'],
          kinds: ['account.change'],
        }),
        awsActivity({ service: 'cloudtrail.amazonaws.com', action: 'StopLogging', kinds: ['audit.tamper'] }),
      ],
      { id: 'inc-k2' },
    );
    const report = await responders.handle([opened(session)]);
    expect(report.complete).toBe(true);
    const action = report.incidents[0]?.actions.find((a) => a.key.startsWith('rotation:iam:'));
    expect(action?.ref).toEqual({
      users: 'backdoor,gone',
      deactivated: 'AKIAIOSFODNN7PAGE1KY,AKIAIOSFODNN7PAGE2KY',
      usersGone: 'gone',
    });
    expect(action?.attempts).toBe(2);
  });
});
