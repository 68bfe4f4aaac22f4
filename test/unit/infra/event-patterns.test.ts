import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { INCIDENT_DETAIL_TYPES, INCIDENT_EVENT_SOURCE } from '../../../shared/adapters/aws/eventbridge-publisher.js';
import { detect } from '../../../shared/core/detect/engine.js';
import { CLOUDTRAIL_DETAIL_TYPES, DETAIL_TYPES } from '../../../shared/core/normalize/aws/detail-types.js';
import { parseRegistry, RegistryMatcher } from '../../../shared/core/registry/index.js';
import {
  ASSUME_ROLE_EVENTS,
  ASSUME_ROOT_EVENT,
  AWS_CREDENTIAL_EVENTS,
  AWS_TAMPER_EVENTS,
  AWS_WATCHED_EVENTS,
  forwarderParameters,
  sweepPlan,
} from '../../../shared/runtime/aws/sweep-plan.js';
import { auditEvent } from '../../support/audit-events.js';
import { readFixtureJson, readFixtureJsonl } from '../../support/fixtures.js';
import { IDENTITY_REGISTRY, identityRecord } from '../../support/identity-shapes.js';
import { readTemplate } from './cloudformation-yaml.js';
import { matches, type Pattern } from './eventbridge-pattern.js';

/**
 * The EventBridge rules against real events: what the regional forwarder sends to the ingest bus,
 * what the ingest function takes from it, what the responders' queue receives from the incident bus.
 * The forwarder's tamper list, the sweeper's and the audit-tamper rule must agree.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const forwarder = readTemplate(join(ROOT, 'infra/regional-forwarder.yaml'));
const template = readTemplate(join(ROOT, 'infra/template.yaml'));
const BREAK_GLASS_USER = 'bg-admin';

/**
 * The forwarding pattern with its parameters generated from the identity registry (IAM users by ARN and
 * name, roles, Identity Center), plus one more user.
 */
const identityRegistry = parseRegistry(IDENTITY_REGISTRY, 'identity.yaml');
const { notes: _notes, ...parameters } = forwarderParameters(identityRegistry);
parameters.BreakGlassIamUserNames.push(BREAK_GLASS_USER);
const forwardPattern = JSON.parse(
  Object.entries(parameters).reduce(
    (text, [name, values]) => text.replaceAll(`{"Ref":"${name}"}`, JSON.stringify(values)),
    JSON.stringify(forwarder.Resources.ForwardRule?.Properties?.EventPattern),
  ),
) as Pattern;
const tamperPattern = forwarder.Resources.TamperForwardRule?.Properties?.EventPattern as Pattern;
const ingestEvents = (template.Resources.EventBridgeIngestFunction?.Properties?.Events ?? {}) as Record<
  string,
  { Properties: { Pattern: Pattern } }
>;
const ingestPattern = ingestEvents.ForwardedCloudTrailEvents?.Properties.Pattern as Pattern;
const incidentPattern = template.Resources.IncidentChangeRule?.Properties?.EventPattern as Pattern;

type Record_ = Record<string, unknown>;
const docs = readFixtureJsonl<{ event: Record_ }>('aws/aws-docs-cc-by-sa/eventbridge_cloudtrail_examples.jsonl').map(
  (r) => r.event,
);
/** The first record of a Stratus detonation (of `eventName`, when given). */
const stratus = (name: string, eventName?: string) => {
  const value = readFixtureJson<Record_[] | { Records: Record_[] }>(`aws/stratus-red-team/${name}.json`);
  const records = Array.isArray(value) ? value : value.Records;
  return records.find((r) => !eventName || r.eventName === eventName) as Record_;
};
/** A CloudTrail record as EventBridge delivers it (the API-call envelope). */
const asEvent = (record: Record_, source = 'aws.cloudtrail') => ({
  version: '0',
  id: 'test',
  source,
  'detail-type': 'AWS API Call via CloudTrail',
  account: '123456789012',
  region: 'us-east-1',
  time: '2024-08-01T00:00:00Z',
  resources: [],
  detail: record,
});

describe('regional forwarder rule', () => {
  it('forwards every console sign-in and a root session’s API calls (the AWS docs examples)', () => {
    for (const event of docs) expect(matches(forwardPattern, event), String(event['detail-type'])).toBe(true);
    expect(
      matches(forwardPattern, asEvent(stratus('aws.initial-access.console-login-without-mfa'), 'aws.signin')),
    ).toBe(true);
  });

  it('forwards every CloudTrail detail-type of the detail-type table for root and break-glass users, and no skipped one', () => {
    const root = docs.find((e) => e['detail-type'] === 'AWS Console Sign In via CloudTrail') as Record_;
    const byUser = { userIdentity: { type: 'IAMUser', userName: BREAK_GLASS_USER }, eventSource: 'ec2.amazonaws.com' };
    for (const { detailType, read, source } of DETAIL_TYPES) {
      const forwarded = read === 'cloudtrail';
      const asType = (event: Record_) => ({ ...event, 'detail-type': detailType, source: source ?? 'aws.ec2' });
      expect(matches(forwardPattern, asType(root)), `root: ${detailType}`).toBe(forwarded);
      expect(matches(forwardPattern, asType({ ...root, detail: byUser })), `user: ${detailType}`).toBe(forwarded);
      const signinSource = { ...asType({ ...root, detail: { userIdentity: { type: 'IAMUser', userName: 'x' } } }) };
      expect(matches(forwardPattern, { ...signinSource, source: 'aws.signin' }), `aws.signin: ${detailType}`).toBe(
        forwarded,
      );
    }
    const alternatives = forwardPattern.$or as { source?: unknown; 'detail-type'?: string[]; detail?: Record_ }[];
    // Sign-ins and the break-glass principals' own events; tamper calls and changes to users are API calls.
    const principalAlternatives = alternatives.filter((a) => a.source !== undefined || a.detail?.userIdentity);
    expect(principalAlternatives.length).toBeGreaterThanOrEqual(3);
    for (const alternative of principalAlternatives)
      expect(alternative['detail-type']).toEqual(CLOUDTRAIL_DETAIL_TYPES);
  });

  it('forwards a break-glass user’s console actions (AWS Console Action via CloudTrail)', () => {
    const action = {
      source: 'aws.s3',
      'detail-type': 'AWS Console Action via CloudTrail',
      detail: { eventType: 'AwsConsoleAction', userIdentity: { type: 'IAMUser', userName: BREAK_GLASS_USER } },
    };
    expect(matches(forwardPattern, action)).toBe(true);
    expect(
      matches(forwardPattern, { ...action, detail: { userIdentity: { type: 'IAMUser', userName: 'other' } } }),
    ).toBe(false);
  });

  it('forwards tampering by anyone (Stratus: StopLogging, DeleteTrail, PutEventSelectors, LeaveOrganization)', () => {
    for (const name of ['cloudtrail-stop', 'cloudtrail-delete', 'cloudtrail-event-selectors']) {
      expect(matches(tamperPattern, asEvent(stratus(`aws.defense-evasion.${name}`))), name).toBe(true);
    }
    expect(
      matches(
        tamperPattern,
        asEvent(stratus('aws.defense-evasion.organizations-leave', 'LeaveOrganization'), 'aws.organizations'),
      ),
    ).toBe(true);
  });

  it('forwards every AWS action of the tamper table, and the ingest function takes it', () => {
    for (const [service, actions] of Object.entries(AWS_TAMPER_EVENTS)) {
      for (const action of actions) {
        const event = asEvent({ eventSource: service, eventName: action }, `aws.${service.split('.')[0]}`);
        expect(matches(tamperPattern, event), `${service} ${action}`).toBe(true);
        expect(matches(ingestPattern, event), `${service} ${action}`).toBe(true);
      }
    }
    expect(
      matches(tamperPattern, asEvent({ eventSource: 'cloudtrail.amazonaws.com', eventName: 'StartLogging' })),
    ).toBe(false);
  });

  it('keeps the tamper pattern within EventBridge’s 2,048-character quota', () => {
    expect(JSON.stringify(tamperPattern).length).toBeLessThanOrEqual(2048);
  });

  it('forwards a break-glass IAM user’s calls and an administrator’s changes to that user, nothing else of IAM users', () => {
    const update = stratus('aws.privilege-escalation.iam-update-user-login-profile');
    expect(matches(forwardPattern, asEvent(update, 'aws.iam'))).toBe(false);
    const onBreakGlass = { ...update, requestParameters: { userName: BREAK_GLASS_USER } };
    expect(matches(forwardPattern, asEvent(onBreakGlass, 'aws.iam'))).toBe(true);
    const byBreakGlass = {
      ...update,
      userIdentity: { ...(update.userIdentity as object), userName: BREAK_GLASS_USER },
    };
    expect(matches(forwardPattern, asEvent(byBreakGlass, 'aws.iam'))).toBe(true);
  });

  it('forwards what registered roles’ sessions do and the AssumeRole* calls that open them, by generated parameters', () => {
    expect(JSON.stringify(forwardPattern)).not.toContain('"Ref"');
    for (const name of [
      'role-session-activity',
      'assume-role-mfa',
      'assume-role-denied',
      'saml',
      'web-identity',
    ] as const) {
      expect(matches(forwardPattern, asEvent(identityRecord(name), 'aws.sts')), name).toBe(true);
    }
    const console = {
      ...asEvent(identityRecord('role-session-activity')),
      'detail-type': 'AWS Console Action via CloudTrail',
    };
    expect(matches(forwardPattern, console)).toBe(true);
    const otherRole = identityRecord('assume-role-mfa');
    (otherRole.requestParameters as Record_).roleArn = 'arn:aws:iam::111122223333:role/Developer';
    expect(matches(forwardPattern, asEvent(otherRole, 'aws.sts'))).toBe(false);
    const otherSession = identityRecord('role-session-activity');
    const issuer = (otherSession.userIdentity as { sessionContext: { sessionIssuer: Record_ } }).sessionContext
      .sessionIssuer;
    issuer.userName = 'Developer';
    expect(matches(forwardPattern, asEvent(otherSession, 'aws.iam'))).toBe(false);
  });

  it('forwards a change to an IAM user registered by ARN, named only by userName in the record', () => {
    expect(matches(forwardPattern, asEvent(identityRecord('create-access-key-for-user'), 'aws.iam'))).toBe(true);
    const roleChange: Record_ = {
      ...identityRecord('create-access-key-for-user'),
      eventName: 'UpdateAssumeRolePolicy',
    };
    roleChange.requestParameters = { roleName: 'BreakGlass' };
    expect(matches(forwardPattern, asEvent(roleChange, 'aws.iam'))).toBe(true);
    roleChange.requestParameters = { roleName: 'Developer' };
    expect(matches(forwardPattern, asEvent(roleChange, 'aws.iam'))).toBe(false);
  });

  it('leaves ordinary activity on the default bus (cloud-custodian captures of assumed roles)', () => {
    const assumed = readFixtureJson<Record_>('aws/cloud-custodian/event-cloud-trail-s3.json');
    expect(matches(forwardPattern, assumed)).toBe(false);
    const runInstances = readFixtureJson<Record_>(
      'aws/cloud-custodian/event-cloud-trail-run-instance-creator-assumed.json',
    );
    expect(matches(forwardPattern, asEvent(runInstances, 'aws.ec2'))).toBe(false);
  });

  it('lists the same watched calls (tamper, AssumeRoot, root-access switches) as the sweeper, service by service', () => {
    const alternatives = forwardPattern.$or as { detail?: { eventSource?: string[]; eventName?: string[] } }[];
    const sts = alternatives.flatMap((a) =>
      a.detail?.eventSource?.[0] === 'sts.amazonaws.com' ? (a.detail.eventName ?? []) : [],
    );
    expect(sts.sort()).toEqual([ASSUME_ROOT_EVENT, ...ASSUME_ROLE_EVENTS].sort());
    const byService: Record<string, string[]> = {};
    for (const alternative of alternatives) {
      const [service] = alternative.detail?.eventSource ?? [];
      if (service && alternative.detail?.eventName) byService[service] = alternative.detail.eventName;
    }
    delete byService['sts.amazonaws.com'];
    for (const service of Object.keys(AWS_CREDENTIAL_EVENTS)) delete byService[service];
    // The tamper actions travel in TamperForwardRule (two sets: sources and names); the rest here.
    const { 'sts.amazonaws.com': _sts, ...watchedElsewhere } = AWS_WATCHED_EVENTS;
    const notTamper = Object.fromEntries(
      Object.entries(watchedElsewhere)
        .map(
          ([service, names]) =>
            [service, (names ?? []).filter((n) => !AWS_TAMPER_EVENTS[service]?.includes(n))] as const,
        )
        .filter(([, names]) => names.length > 0),
    );
    expect(byService).toEqual(notTamper);
    const detail = tamperPattern.detail as { eventSource: string[]; eventName: string[] };
    expect(detail.eventSource).toEqual(Object.keys(AWS_TAMPER_EVENTS));
    expect(detail.eventName).toEqual([...new Set(Object.values(AWS_TAMPER_EVENTS).flat())]);
    const sweptNames = sweepPlan(
      parseRegistry('accounts: [{ id: r, cloud: aws, match: { arn: "arn:aws:iam::111122223333:root" } }]', 'r.yaml'),
    )
      .queries.filter((q) => q.attribute === 'EventName')
      .map((q) => q.value);
    expect(sweptNames.sort()).toEqual(Object.values(AWS_WATCHED_EVENTS).flat().sort());
  });

  it('forwards every credential-store call of the credential table, and a real GetSecretValue (Stratus)', () => {
    const alternatives = forwardPattern.$or as {
      detail?: { eventSource?: string[]; eventName?: string[]; requestParameters?: unknown };
    }[];
    const byService: Record<string, string[]> = {};
    for (const alternative of alternatives) {
      const [service] = alternative.detail?.eventSource ?? [];
      if (service && service in AWS_CREDENTIAL_EVENTS)
        byService[service] = [...(byService[service] ?? []), ...(alternative.detail?.eventName ?? [])];
    }
    expect(Object.fromEntries(Object.entries(byService).map(([k, v]) => [k, [...v].sort()]))).toEqual(
      Object.fromEntries(Object.entries(AWS_CREDENTIAL_EVENTS).map(([k, v]) => [k, [...v].sort()])),
    );
    const read = stratus('aws.credential-access.secretsmanager-retrieve-secrets', 'GetSecretValue');
    expect(matches(forwardPattern, asEvent(read, 'aws.secretsmanager'))).toBe(true);
    const plainRead = {
      ...read,
      eventSource: 'ssm.amazonaws.com',
      eventName: 'GetParameter',
      requestParameters: { name: '/x' },
    };
    expect(matches(forwardPattern, asEvent(plainRead, 'aws.ssm'))).toBe(false);
    const decrypting = { ...plainRead, requestParameters: { name: '/x', withDecryption: true } };
    expect(matches(forwardPattern, asEvent(decrypting, 'aws.ssm'))).toBe(true);
  });

  it('sweeps credential-store calls only when an account keeps its credential in an AWS store', () => {
    const names = (yaml: string) =>
      sweepPlan(parseRegistry(yaml, 'r.yaml'))
        .queries.filter((q) => q.attribute === 'EventName')
        .map((q) => q.value);
    const root = 'accounts: [{ id: r, cloud: aws, match: { arn: "arn:aws:iam::111122223333:root" }';
    expect(names(`${root} }]`)).not.toContain('GetSecretValue');
    const withStore = names(`${root}, rotation: { secretId: prod/bg } }]`);
    for (const name of Object.values(AWS_CREDENTIAL_EVENTS).flat()) expect(withStore).toContain(name);
  });

  it('lists only actions the audit-tamper rule fires on', () => {
    const matcher = new RegistryMatcher(
      parseRegistry('accounts: [{ id: r, cloud: aws, match: { arn: "arn:aws:iam::111122223333:root" } }]', 'r.yaml'),
    );
    for (const [service, actions] of Object.entries(AWS_TAMPER_EVENTS)) {
      for (const action of actions) {
        const { findings } = detect(auditEvent({ service, action }), matcher);
        expect(
          findings.map((f) => f.kind),
          `${service} ${action}`,
        ).toEqual(['audit.tamper']);
      }
    }
  });
});

describe('ingest and incident bus rules', () => {
  it('the ingest function takes every forwarded AWS event and nothing Glasswatch publishes', () => {
    for (const event of docs) expect(matches(ingestPattern, event)).toBe(true);
    expect(matches(ingestPattern, { source: INCIDENT_EVENT_SOURCE, 'detail-type': INCIDENT_DETAIL_TYPES.opened })).toBe(
      false,
    );
  });

  it('the responders’ queue receives every kind of incident change the publisher emits, and nothing else', () => {
    for (const detailType of Object.values(INCIDENT_DETAIL_TYPES)) {
      expect(matches(incidentPattern, { source: INCIDENT_EVENT_SOURCE, 'detail-type': detailType, detail: {} })).toBe(
        true,
      );
    }
    expect(matches(incidentPattern, docs[0])).toBe(false);
  });
});
