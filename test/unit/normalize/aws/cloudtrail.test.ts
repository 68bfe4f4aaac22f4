import { describe, expect, it } from 'vitest';
import { normalizeCloudTrail } from '../../../../shared/core/normalize/aws/cloudtrail.js';
import { readFixtureJsonl } from '../../../support/fixtures.js';
import { docsEvent, docsRecord } from './harness.js';

const CONSOLE = 'cloudtrail_console_signin_examples.jsonl';
const IDC = 'identity_center_signin_examples.jsonl';
const EVENTBRIDGE = 'eventbridge_cloudtrail_examples.jsonl';
const IAM = 'iam_cloudtrail_integration_examples.jsonl';

describe('console sign-in (AWS CloudTrail user guide samples)', () => {
  it('maps an IAM user sign-in without MFA, delivered inside a log file', () => {
    const event = docsEvent(CONSOLE, 1);
    expect(event).toMatchObject({
      id: 'aws:3fcfb182-98f8-4744-bd45-10a395ab61cb',
      nativeId: '3fcfb182-98f8-4744-bd45-10a395ab61cb',
      cloud: 'aws',
      source: 'aws.cloudtrail',
      time: '2022-11-10T16:24:34.000Z',
      timeMs: Date.parse('2022-11-10T16:24:34Z'),
      category: 'authentication',
      service: 'signin.amazonaws.com',
      action: 'ConsoleLogin',
      outcome: 'success',
      providerGenerated: false,
      account: '111122223333',
      region: 'us-east-2',
      src: { ip: '192.0.2.0', userAgent: expect.stringContaining('Firefox/62.0') },
      actor: { type: 'IAMUser', userName: 'anaya', arn: 'arn:aws:iam::111122223333:user/anaya', display: 'anaya' },
      mfa: { used: false, methods: [] },
      targets: [],
      origin: { location: `aws/aws-docs-cc-by-sa/${CONSOLE}`, line: 1, index: 0 },
    });
    expect(event.failureReason).toBeUndefined();
    expect((event.raw as { eventID: string }).eventID).toBe(event.nativeId);
  });

  it('reads MFAUsed "Yes" with the device as the method, a u2f device as phishing-resistant', () => {
    expect(docsEvent(CONSOLE, 2).mfa).toEqual({
      used: true,
      methods: ['arn:aws:iam::111122223333:u2f/user/anaya/default-AAAAAAAABBBBBBBBCCCCCCCCDD'],
      strength: 'phishing-resistant',
    });
  });

  it('keeps the MFA of a failed sign-in as recorded and gives the failure reason', () => {
    const event = docsEvent(CONSOLE, 3);
    expect(event.outcome).toBe('failure');
    expect(event.failureReason).toBe('Failed authentication');
    expect(event.mfa?.used).toBe(true);
    // The failed sign-in record has no ARN: the user name and account identify the user.
    expect(event.actor).toMatchObject({ userName: 'anaya', accountId: '111122223333' });
    expect(event.actor.arn).toBeUndefined();
  });

  it('treats CheckMfa as a sign-in step without a final MFA verdict or outcome ("Success" is the step)', () => {
    const event = docsEvent(CONSOLE, 4);
    expect(event).toMatchObject({ category: 'authentication', action: 'CheckMfa', outcome: 'unknown' });
    expect(event.mfa).toBeUndefined();
  });

  it('maps root sign-ins: "No" is false, "YES" is true, Failure is a failure', () => {
    const noMfa = docsEvent(CONSOLE, 6);
    expect(noMfa.actor).toMatchObject({
      type: 'Root',
      arn: 'arn:aws:iam::111122223333:root',
      display: 'root (111122223333)',
    });
    expect(noMfa.mfa).toEqual({ used: false, methods: [], strength: 'single-factor' });
    expect(noMfa.outcome).toBe('success');

    const withMfa = docsEvent(CONSOLE, 7);
    expect(withMfa.mfa).toEqual({
      used: true,
      methods: ['arn:aws:iam::111122223333:mfa/root-account-mfa-device'],
      strength: 'mfa',
    });

    const failed = docsEvent(CONSOLE, 8);
    expect(failed).toMatchObject({ outcome: 'failure', failureReason: 'Failed authentication', mfa: { used: false } });
    expect(failed.actor.type).toBe('Root');
  });

  it('targets root itself when root changes its MFA ("AWS ROOT USER")', () => {
    const event = docsEvent(CONSOLE, 9);
    expect(event).toMatchObject({ category: 'api', action: 'EnableMFADevice', service: 'iam.amazonaws.com' });
    expect(event.targets).toEqual([{ arn: 'arn:aws:iam::111122223333:root', accountId: '111122223333' }]);
    expect(event.mfa).toBeUndefined();
  });

  it('treats PasswordUpdated as an account change done to the actor', () => {
    const event = docsEvent(CONSOLE, 10);
    expect(event).toMatchObject({ category: 'api', outcome: 'success', providerGenerated: false });
    expect(event.targets).toEqual([{ arn: 'arn:aws:iam::111122223333:root', accountId: '111122223333' }]);
  });

  it('reads an unknown user name (HIDDEN_DUE_TO_SECURITY_REASONS) as no user name', () => {
    const event = docsEvent(IAM, 8);
    expect(event).toMatchObject({ outcome: 'failure', failureReason: 'No username found in supplied account' });
    expect(event.actor.userName).toBeUndefined();
    expect(event.actor).toMatchObject({ type: 'IAMUser', accountId: '123456789012' });
    expect(event.actor.display).toBe('unknown user (name hidden by AWS)');
  });
});

describe('IAM Identity Center sign-in (AWS IAM Identity Center user guide samples)', () => {
  it('challenge and verification are authentication steps without MFA verdict; a passed step is no sign-in yet', () => {
    for (const line of [1, 2, 5, 6, 7, 8]) {
      const event = docsEvent(IDC, line);
      expect(event.category).toBe('authentication');
      // "Success" says the challenge was issued or the factor passed: UserAuthentication says the rest.
      expect(event.outcome).toBe('unknown');
      expect(event.mfa).toBeUndefined();
      // AwsServiceEvent, yet a person signing in.
      expect(event.providerGenerated).toBe(false);
      expect(event.actor).toMatchObject({ type: 'Unknown', userName: 'user1', display: 'user1' });
      expect(event.actor.arn).toBeUndefined();
    }
  });

  it('UserAuthentication: PASSWORD is no MFA, PASSWORD,TOTP is MFA, EXTERNAL_IDP cannot tell', () => {
    expect(docsEvent(IDC, 3).mfa).toEqual({ used: false, methods: ['PASSWORD'], strength: 'single-factor' });
    expect(docsEvent(IDC, 9).mfa).toEqual({ used: true, methods: ['PASSWORD', 'TOTP'], strength: 'mfa' });
    expect(docsEvent(IDC, 4).mfa).toEqual({ used: undefined, methods: ['EXTERNAL_IDP'] });
    // Password, with MFA registration still pending: no second factor yet.
    expect(docsEvent(IDC, 12).mfa).toEqual({ used: false, methods: ['PASSWORD'], strength: 'single-factor' });
    expect(docsEvent(IDC, 9).outcome).toBe('success');
  });

  it('a root ConsoleLogin without its verdict but with the failure text is a failure, not a success', () => {
    const record = docsRecord(CONSOLE, 8) as Record<string, unknown>;
    expect(record.errorMessage).toBe('Failed authentication');
    delete record.responseElements;
    expect(normalizeCloudTrail(record, { location: 'trimmed.json' }).outcome).toBe('failure');
  });

  it('a failed CredentialVerification is a failure', () => {
    const event = docsEvent(IDC, 14);
    expect(event).toMatchObject({ action: 'CredentialVerification', outcome: 'failure', account: '111122223333' });
  });
});

describe('root API activity and who generated it', () => {
  it('root CreateBucket via EventBridge is a person acting as root', () => {
    const event = docsEvent(EVENTBRIDGE, 2);
    expect(event).toMatchObject({
      id: 'aws:24ba271e-d595-4e66-a7fd-9c16cbf8abae',
      category: 'api',
      service: 's3.amazonaws.com',
      action: 'CreateBucket',
      outcome: 'success',
      providerGenerated: false,
      actor: { type: 'Root', arn: 'arn:aws:iam::123456789012:root', accountId: '123456789012' },
      account: '123456789012',
      resources: ['bucket-test-iad'],
      targets: [],
    });
    expect(event.mfa).toBeUndefined();
  });

  // Variants of the real EventBridge root CreateBucket record, crafted in the test.
  const rootCreateBucket = () => docsRecord(EVENTBRIDGE, 2);
  const withIdentity = (patch: Record<string, unknown>) => {
    const record = rootCreateBucket();
    Object.assign(record.userIdentity as object, patch);
    return record;
  };

  it('a root record invoked by an AWS service is provider-generated', () => {
    const event = normalizeCloudTrail(withIdentity({ invokedBy: 'ec2.amazonaws.com' }), { location: 'variant' });
    expect(event.providerGenerated).toBe(true);
    expect(event.actor.invokedBy).toBe('ec2.amazonaws.com');
    expect(normalizeCloudTrail(withIdentity({ invokedBy: 'AWS Internal' }), { location: 'v' }).providerGenerated).toBe(
      true,
    );
  });

  it('a root record of eventType AwsServiceEvent is provider-generated', () => {
    const record = rootCreateBucket();
    record.eventType = 'AwsServiceEvent';
    expect(normalizeCloudTrail(record, { location: 'variant' }).providerGenerated).toBe(true);
  });

  it('root console actions (invokedBy signin.amazonaws.com) are a person', () => {
    const event = normalizeCloudTrail(withIdentity({ invokedBy: 'signin.amazonaws.com' }), { location: 'variant' });
    expect(event.providerGenerated).toBe(false);
  });

  it('a root identity without an ARN gets the canonical root ARN', () => {
    const event = normalizeCloudTrail(withIdentity({ arn: '' }), { location: 'variant' });
    expect(event.actor.arn).toBe('arn:aws:iam::123456789012:root');
  });
});

describe('sts:AssumeRoot', () => {
  // Built from the documented event in the IAM User Guide, "Track privileged tasks in AWS CloudTrail"
  // (docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-track-privileged-tasks.html): requestParameters
  // carry targetPrincipal (the member account) and taskPolicyArn {arn}.
  const assumeRoot = (targetPrincipal: unknown, mfaAuthenticated = 'false') => ({
    eventVersion: '1.08',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AIDACKCEVSQ6C2EXAMPLE:JohnRole1',
      arn: 'arn:aws:sts::111111111111:assumed-role/John/JohnRole1',
      accountId: '111111111111',
      accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: 'AIDACKCEVSQ6C2EXAMPLE',
          arn: 'arn:aws:iam::111111111111:role/John',
          accountId: '111111111111',
          userName: 'Admin2',
        },
        webIdFederationData: {},
        attributes: { creationDate: '2024-10-25T20:45:28Z', mfaAuthenticated },
        assumedRoot: 'true',
      },
    },
    eventTime: '2024-10-25T20:52:11Z',
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRoot',
    awsRegion: 'us-west-2',
    sourceIPAddress: '192.0.2.1',
    requestParameters: {
      targetPrincipal,
      taskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy' },
    },
    responseElements: { credentials: { accessKeyId: 'ASIAIOSFODNN7EXAMPLE', expiration: 'Oct 25, 2024, 9:07:11 PM' } },
    eventID: 'example-assume-root',
    eventType: 'AwsApiCall',
    recipientAccountId: '111111111111',
  });

  it('is an API call of the caller on the member account root, not a sign-in', () => {
    const event = normalizeCloudTrail(assumeRoot('222222222222'), { location: 'assume-root' });
    expect(event).toMatchObject({
      category: 'api',
      outcome: 'success',
      providerGenerated: false,
      actor: { type: 'AssumedRole', arn: 'arn:aws:sts::111111111111:assumed-role/John/JohnRole1' },
      targets: [{ arn: 'arn:aws:iam::222222222222:root', accountId: '222222222222' }],
      rootSession: {
        phase: 'issued',
        memberAccount: '222222222222',
        taskPolicy: 'S3UnlockBucketPolicy',
        accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
      },
    });
    // sessionIssuer.userName is the role, never the actor's user name; the caller's own assumedRoot flag
    // (present in the documented example) does not make it a root session.
    expect(event.actor.userName).toBeUndefined();
    expect(event.authenticatedAs).toBeUndefined();
    expect(event.mfa).toBeUndefined();
  });

  it('accepts the target as a principal ARN, in its partition', () => {
    const event = normalizeCloudTrail(
      { ...assumeRoot('arn:aws:iam::333333333333:root'), awsRegion: 'cn-north-1' },
      { location: 'x' },
    );
    expect(event.targets).toEqual([{ arn: 'arn:aws-cn:iam::333333333333:root', accountId: '333333333333' }]);
    expect(event.rootSession?.memberAccount).toBe('333333333333');
  });

  it('keeps a denied call with no parameters as an issued session of an unknown member', () => {
    const failed = {
      ...assumeRoot('x'),
      requestParameters: null,
      responseElements: null,
      errorCode: 'AccessDenied',
      errorMessage: 'no',
    };
    const event = normalizeCloudTrail(failed, { location: 'x' });
    expect(event).toMatchObject({ category: 'api', outcome: 'failure', failureReason: 'AccessDenied: no' });
    expect(event.rootSession).toEqual({ phase: 'issued' });
    expect(event.targets).toEqual([]);
    expect(
      normalizeCloudTrail(assumeRoot('not-an-account'), { location: 'x' }).rootSession?.memberAccount,
    ).toBeUndefined();
  });

  it('reads the member-account record of the session (type Root, assumedRoot "true") as used, keyed by its access key', () => {
    const [, used] = readFixtureJsonl<{ event: Record<string, unknown> }>(
      'aws/aws-docs-cc-by-sa/centralized_root_access.jsonl',
    );
    const event = normalizeCloudTrail(used?.event, { location: 'x' });
    expect(event).toMatchObject({
      category: 'api',
      action: 'DeleteBucketPolicy',
      actor: { type: 'Root', arn: 'arn:aws:iam::222222222222:root' },
      rootSession: { phase: 'used', accessKeyId: 'ASIAIOSFODNN7EXAMPLE', memberAccount: '222222222222' },
    });
  });

  it('leaves a root record without assumedRoot (the root user itself) outside any privileged session', () => {
    const event = normalizeCloudTrail(docsRecord(EVENTBRIDGE, 2), { location: 'x' });
    expect(event.actor.type).toBe('Root');
    expect(event.rootSession).toBeUndefined();
  });
});

describe('targets and resources', () => {
  it('reads requestParameters.userName in the record account', () => {
    const event = docsEvent(IAM, 1);
    expect(event.targets).toEqual([{ userName: 'JaneDoe', accountId: '444455556666' }]);
    expect(event.resources).toEqual(['JaneDoe']);
    // Console-relayed IAM read by a person.
    expect(event.providerGenerated).toBe(false);
  });

  it('resources combine resources[].ARN and well-known parameters', () => {
    const event = docsEvent(IAM, 2);
    expect(event.resources).toEqual(['arn:aws:iam::111122223333:role/EC2-dev']);
    expect(event.targets).toEqual([]);
    expect(event.account).toBe('111122223333');
  });
});
