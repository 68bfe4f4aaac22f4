import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../../shared/core/model/audit-event.js';
import { normalizeCloudTrail } from '../../../../shared/core/normalize/aws/cloudtrail.js';
import { fixturePath, readFixtureJson, readFixtureJsonl } from '../../../support/fixtures.js';
import { docsSamples, expectFaithful, normalizeAws, type Raw } from './harness.js';

describe('AWS documentation samples (CC-BY-SA-4.0)', () => {
  const files = [
    ['cloudtrail_console_signin_examples.jsonl', 10],
    ['eventbridge_cloudtrail_examples.jsonl', 2],
    ['iam_cloudtrail_integration_examples.jsonl', 8],
    ['identity_center_signin_examples.jsonl', 14],
  ] as const;

  it.each(files)('%s: every sample normalizes faithfully', (file, count) => {
    const events = docsSamples(file).flatMap((s) => normalizeAws(s.event, s.origin));
    expect(events).toHaveLength(count);
    for (const event of events) {
      expectFaithful(event);
      expect(event.time).toBe(new Date((event.raw as Raw).eventTime as string).toISOString());
      const isSignIn = [
        'ConsoleLogin',
        'CheckMfa',
        'CredentialChallenge',
        'CredentialVerification',
        'UserAuthentication',
        'AssumeRole',
        'AssumeRoleWithSAML',
        'AssumeRoleWithWebIdentity',
      ];
      expect(event.category).toBe(isSignIn.includes(event.action) ? 'authentication' : 'api');
      expect(event.mfa === undefined).toBe(
        event.category === 'api' || !['ConsoleLogin', 'UserAuthentication', 'AssumeRole'].includes(event.action),
      );
    }
  });

  it('log file examples: records without eventID get content ids; Insights records are named', () => {
    const expected = [
      'StartInstances',
      'StopInstances',
      'CreateKeyPair',
      'CreateUser',
      'AddUserToGroup',
      'UpdateTrail',
    ];
    const actions = expected.map((_, i) => {
      const location = `aws/aws-docs-cc-by-sa/cloudtrail-log-file-examples/example0${i + 1}.json`;
      const events = normalizeAws(readFixtureJson(location), { location });
      for (const event of events) expectFaithful(event);
      expect(events[0]?.origin).toEqual({ location, index: 0 });
      return events.map((e) => e.action);
    });
    expect(actions.flat()).toEqual(expected);
    const createUser = normalizeAws(
      readFixtureJson('aws/aws-docs-cc-by-sa/cloudtrail-log-file-examples/example04.json'),
      {
        location: 'example04',
      },
    )[0];
    expect(createUser?.targets).toEqual([{ userName: 'Bob', accountId: '123456789012' }]);
    expect(createUser?.actor.display).toBe('Alice');

    // Called directly, the normalizer names an Insights record; `normalize` skips it first (skipped.test.ts).
    const location = 'aws/aws-docs-cc-by-sa/cloudtrail-log-file-examples/example07_insights.json';
    expect(() => normalizeAws(readFixtureJson(location), { location })).toThrow(/#0: .*field eventType/);
  });
});

describe('cloud-custodian captures (EventBridge envelopes and bare records)', () => {
  const load = (name: string) => {
    const location = `aws/cloud-custodian/${name}.json`;
    const events = normalizeAws(readFixtureJson(location), { location });
    expect(events).toHaveLength(1);
    expectFaithful(events[0] as AuditEvent);
    return events[0] as AuditEvent;
  };

  it('root CreateBucket via EventBridge: a person acting as root', () => {
    const event = load('event-cloud-trail-create-bucket');
    expect(event).toMatchObject({
      id: 'aws:c4fa3db1-2303-40e4-bde0-3b7246bdbf0b',
      providerGenerated: false,
      actor: { type: 'Root', arn: 'arn:aws:iam::619193117841:root', display: 'root (619193117841)' },
      resources: ['custodian-create-bucket-v4'],
      origin: { location: 'aws/cloud-custodian/event-cloud-trail-create-bucket.json' },
    });
  });

  it('root RunInstances invoked by autoscaling: provider-generated', () => {
    const event = load('event-cloud-trail-run-instances');
    expect(event.actor).toMatchObject({ type: 'Root', invokedBy: 'autoscaling.amazonaws.com' });
    expect(event.providerGenerated).toBe(true);
  });

  it('CloudFormation-invoked calls are provider-generated; console-relayed ones are not', () => {
    expect(load('event-cloud-trail-create-db').providerGenerated).toBe(true);
    const console = load('event-cloud-trail-run-instance-creator');
    expect(console.actor.invokedBy).toBe('signin.amazonaws.com');
    expect(console.providerGenerated).toBe(false);
  });

  it('all other captures normalize', () => {
    const names = [
      'event-cloud-trail-appelb-add-tags',
      'event-cloud-trail-catalog-put-resource-policy',
      'event-cloud-trail-catalog-set-encryption',
      'event-cloud-trail-create-distribution',
      'event-cloud-trail-create-efs-mount-target',
      'event-cloud-trail-create-load-balancer-policy',
      'event-cloud-trail-create-rest-stage',
      'event-cloud-trail-create-volume',
      'event-cloud-trail-hsm-create-cluster',
      'event-cloud-trail-run-instance-creator-assumed',
      'event-cloud-trail-s3',
      'event-cloud-trail-tag-distribution',
      'event-cloud-trail-tag-rest-stage',
      'event-cloud-trail-update-distribution',
      'event-cloud-trail-update-efs-mount-target-security-group',
      'event-transit-gateway-delete-vpc-attachment',
    ];
    for (const name of names) expect(load(name).category).toBe('api');
  });
});

describe('Stratus Red Team detonations (IPs and regions deliberately perturbed, kept as data)', () => {
  const technique = (name: string) => {
    const location = `aws/stratus-red-team/aws.${name}.json`;
    return readFixtureJson<unknown[]>(location).map((record, index) => {
      const event = normalizeCloudTrail(record, { location, index });
      expectFaithful(event);
      return event;
    });
  };

  it('console login without MFA', () => {
    const [event] = technique('initial-access.console-login-without-mfa');
    expect(event).toMatchObject({
      category: 'authentication',
      outcome: 'success',
      mfa: { used: false },
      region: 'eu-west-2r',
      src: { ip: '225.01.00.16' },
      actor: { type: 'IAMUser', userName: 'stratus-red-team-nmfalu-jfzdtsvchl' },
    });
  });

  it('CloudTrail tampering names the trail', () => {
    expect(technique('defense-evasion.cloudtrail-stop')[0]).toMatchObject({
      action: 'StopLogging',
      resources: ['stratus-red-team-ct-stop-trail-buykxbqejv'],
      providerGenerated: false,
    });
    expect(technique('defense-evasion.cloudtrail-delete')[0]?.resources).toEqual([
      'stratus-red-team-cloudtraild-trail-kvrwohmiai',
    ]);
    expect(technique('defense-evasion.cloudtrail-event-selectors')[0]?.action).toBe('PutEventSelectors');
  });

  it('login profile and access key changes target the named user', () => {
    const [update] = technique('privilege-escalation.iam-update-user-login-profile');
    expect(update?.targets).toEqual([
      { userName: 'stratus-red-team-update-login-profile-user', accountId: '763751499319' },
    ]);
    const [, deleted, created] = technique('persistence.iam-create-user-login-profile');
    expect(deleted).toMatchObject({ outcome: 'failure', failureReason: expect.stringMatching(/^EntityTemporarily/) });
    expect(created?.targets[0]?.userName).toBe('stratus-red-team-login-profile-user');
    const [attach, key, user] = technique('persistence.iam-create-admin-user');
    for (const event of [attach, key, user])
      expect(event?.targets).toEqual([{ userName: 'malicious-iam-user', accountId: '229654561268' }]);
    expect(attach?.resources).toEqual(['malicious-iam-user', 'arn:aws:iam::aws:policy/AdministratorAccess']);
  });

  it('without userName, self-scoped IAM calls target the caller (variants of the real records)', () => {
    const location = 'aws/stratus-red-team/aws.privilege-escalation.iam-update-user-login-profile.json';
    const [update] = readFixtureJson<Raw[]>(location);
    const [, key] = readFixtureJson<Raw[]>('aws/stratus-red-team/aws.persistence.iam-create-admin-user.json');
    for (const record of [update, key]) {
      const variant = structuredClone(record) as Raw;
      variant.requestParameters = {};
      const event = normalizeCloudTrail(variant, { location });
      expect(event.targets).toEqual([
        { arn: event.actor.arn, userName: 'christophe', accountId: event.actor.accountId },
      ]);
      expect(event.targets[0]?.arn).toMatch(/^arn:aws:iam::\d{12}:user\/christophe$/);
    }
  });

  it('federation token and a refused LeaveOrganization', () => {
    const [token, federated] = technique('persistence.sts-federation-token');
    expect(token?.actor.display).toBe('stratus-red-team-user-federation-user');
    expect(federated?.actor).toMatchObject({
      type: 'FederatedUser',
      display: expect.stringContaining('federated-user'),
    });
    const leave = technique('defense-evasion.organizations-leave')[1];
    expect(leave).toMatchObject({ action: 'LeaveOrganization', outcome: 'failure', actor: { type: 'AssumedRole' } });
    expect(leave?.failureReason).toMatch(/^AccessDenied/);
  });

  it('all 310 records of the packed S3 log file normalize', () => {
    const location = 'aws/stratus-red-team/stratus_all_detonations.Records.json.gz';
    const doc = JSON.parse(gunzipSync(readFileSync(fixturePath(location))).toString('utf8'));
    const events = normalizeAws(doc, { location });
    expect(events).toHaveLength(310);
    events.forEach((event, i) => {
      expectFaithful(event);
      expect(event.origin.index).toBe(i);
    });
    expect(events.filter((e) => e.outcome === 'failure')).toHaveLength(52);
    // One console sign-in; every other authentication is an AssumeRole opening a role session.
    const signIns = events.filter((e) => e.category === 'authentication');
    expect(signIns.filter((e) => e.action === 'ConsoleLogin')).toHaveLength(1);
    expect(signIns.filter((e) => e.action !== 'ConsoleLogin').map((e) => e.action)).toEqual(
      Array(signIns.length - 1).fill('AssumeRole'),
    );
    expect(new Set(events.map((e) => e.id)).size).toBe(310);
    expect(events.some((e) => e.region === 'apiso-centralnorth-2r')).toBe(true);
  });
});

describe('OTRF EC2 proxy exfiltration (Logstash-shipped, @timestamp instead of eventTime)', () => {
  it('all 103 records normalize; the EC2 service records are provider-generated', () => {
    const location = 'aws/otrf/ec2_proxy_s3_exfiltration_2020-09-14011940.ndjson';
    const rows = readFixtureJsonl<Raw>(location);
    const events = rows.flatMap((row, i) => normalizeAws(row, { location, line: i + 1 }));
    expect(events).toHaveLength(103);
    for (const event of events) {
      expectFaithful(event);
      expect(event.time).toBe((event.raw as Raw)['@timestamp']);
    }
    const byService = events.filter((e) => e.providerGenerated);
    expect(byService).toHaveLength(5);
    for (const event of byService)
      expect(event.actor).toMatchObject({ type: 'AWSService', display: 'ec2.amazonaws.com' });
    expect(events.filter((e) => e.actor.type === 'IAMUser').every((e) => e.actor.display === 'pedro')).toBe(true);
  });
});
