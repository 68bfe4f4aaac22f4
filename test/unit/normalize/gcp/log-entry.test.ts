import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../../shared/core/normalize/fields.js';
import { normalizeGcpLogEntry } from '../../../../shared/core/normalize/gcp/index.js';
import { readFixtureJsonl } from '../../../support/fixtures.js';
import {
  custodianEntry,
  custodianFiles,
  normalizeEntry,
  normalizeErrorOf,
  PANTHER_FILE,
  pantherLog,
  pantherRows,
} from './harness.js';

describe('cloud-custodian Cloud Audit Log entries (recorded)', () => {
  const files = custodianFiles();

  it('has every copied sample', () => {
    expect(files).toHaveLength(46);
  });

  it.each(files)('%s normalizes', (file) => {
    const entry = custodianEntry(file);
    const event = normalizeEntry(entry, { location: `gcp/cloud-custodian/${file}` });
    const payload = entry.protoPayload as JsonObject;
    expect(event.cloud).toBe('gcp');
    expect(event.source).toBe('gcp.audit');
    expect(event.category).toBe('api');
    expect(event.id).toBe(`gcp:${event.nativeId}`);
    expect(event.nativeId).toBe(`${entry.logName}|${event.time}|${entry.insertId}`);
    expect(event.service).toBe(payload.serviceName);
    expect(event.action).toBe(payload.methodName);
    expect(event.outcome).toBe('success');
    expect(event.time).toBe(new Date(Date.parse(String(entry.timestamp))).toISOString());
    expect(event.receivedTime).toBeDefined();
    expect(event.account).toMatch(/^[a-z][a-z0-9-]+$/);
    expect(event.resources).toEqual(payload.resourceName === undefined ? [] : [payload.resourceName]);
    expect(event.raw).toBe(entry);
  });

  it('reads the CreateSink call: who, from where, on what', () => {
    const event = normalizeEntry(custodianEntry('log-create-project-sink.json'));
    expect(event).toMatchObject({
      id: 'gcp:projects/test-project-232910/logs/cloudaudit.googleapis.com%2Factivity|2019-05-21T14:47:36.982Z|dbqgimd358e',
      time: '2019-05-21T14:47:36.982Z',
      receivedTime: '2019-05-21T14:47:38.927Z',
      service: 'logging.googleapis.com',
      action: 'google.logging.v2.ConfigServiceV2.CreateSink',
      actor: { type: 'user', email: 'dkhanas@gmail.com', display: 'dkhanas@gmail.com' },
      providerGenerated: false,
      account: 'test-project-232910',
      resources: ['projects/test-project-232910/sinks/testqqqqqqqqqqqqqqqqq'],
      targets: [],
    });
    expect(event.src.ip).toBe('217.20.186.33');
    expect(event.src.userAgent).toMatch(/^Mozilla\/5\.0 \(Windows NT 10\.0/);
    expect(event.mfa).toBeUndefined();
  });

  it('keeps a Kubernetes principal as display only (not an e-mail)', () => {
    const event = normalizeEntry(custodianEntry('k8s_create_pool.json'));
    expect(event.actor).toEqual({
      type: 'unknown',
      display: 'system:node:gke-standard-cluster-1-pool-1-c733eefe-xtbq',
    });
    expect(event.service).toBe('k8s.io');
  });

  it('gives the same id to the same entry read twice, and a different id in another log', () => {
    const entry = custodianEntry('iam-role-create.json');
    expect(normalizeEntry(structuredClone(entry)).id).toBe(normalizeEntry(entry).id);
    const elsewhere = { ...entry, logName: 'projects/other/logs/cloudaudit.googleapis.com%2Factivity' };
    expect(normalizeEntry(elsewhere).id).not.toBe(normalizeEntry(entry).id);
  });
});

/** Panther rows whose LogEntry is damaged in the test data itself; each must be rejected by name. */
const PANTHER_REJECTED: Record<string, string> = {
  'GCP No methodName found': 'protoPayload.serviceName',
  'GCP Run Service Not Created': 'resource',
  'GCP Run IAM Policy Not Set': 'resource',
  'No method provided': 'resource',
  // receiveTimestamp, resource and serviceName were nested inside protoPayload by the fixture author.
  'Manual Change': 'protoPayload.serviceName',
};

describe(`Panther GCP.AuditLog test events (${PANTHER_FILE})`, () => {
  const rows = pantherRows();

  it('has every copied row', () => {
    expect(rows).toHaveLength(68);
  });

  it.each(rows.map((r, i) => [i, r.test_name, r] as const))('#%i %s', (index, name, row) => {
    const origin = { location: PANTHER_FILE, line: index + 1 };
    const field = PANTHER_REJECTED[name];
    if (field !== undefined) {
      const error = normalizeErrorOf(row.log, origin);
      expect(error.field).toBe(field);
      expect(error.message).toContain(`${PANTHER_FILE}:${index + 1}`);
      return;
    }
    const event = normalizeEntry(row.log, origin);
    expect(event.id.startsWith('gcp:')).toBe(true);
    expect(Number.isFinite(event.timeMs)).toBe(true);
    expect(event.actor.display.length).toBeGreaterThan(0);
  });

  it('rejects exactly the damaged rows', () => {
    const names = rows.map((r) => r.test_name);
    for (const name of Object.keys(PANTHER_REJECTED)) expect(names).toContain(name);
  });

  it('reads Panther spellings: at_sign_type, space-separated nanosecond times, callerIP', () => {
    const event = normalizeEntry(pantherLog('Terraform User Agent'));
    expect(event.time).toBe('2022-05-05T14:00:48.814Z');
    expect(event.receivedTime).toBe('2022-05-05T14:00:49.450Z');
    expect(event.src).toEqual({
      ip: '100.100.100.100',
      userAgent: 'Terraform/0.13.2 terraform-provider-google/3.90.1',
    });
  });

  it('takes the account from an organization logName when no project label exists', () => {
    expect(normalizeEntry(pantherLog('Terraform User Agent')).account).toBe('organizations/888888888888');
    expect(normalizeEntry(pantherLog('User Added to Privileged Group')).account).toBe('organizations/123');
  });

  it('names the users of SetIamPolicy binding deltas as targets (user: members only)', () => {
    expect(normalizeEntry(pantherLog('Gmail account added')).targets).toEqual([{ email: 'username@gmail.com' }]);
    expect(normalizeEntry(pantherLog('Terraform User Agent')).targets).toEqual([{ email: 'backdoor@example.com' }]);
    // Members are serviceAccount:… only: no person changed.
    expect(normalizeEntry(pantherLog('service account match')).targets).toEqual([]);
  });

  it('marks a Google-managed service agent as provider generated, a customer service account not', () => {
    const agent = normalizeEntry(pantherLog('Expected GCP service account added by Service Agent Manager'));
    expect(agent.actor).toMatchObject({
      type: 'serviceAccount',
      email: 'service-agent-manager@system.gserviceaccount.com',
    });
    expect(agent.providerGenerated).toBe(true);
    const terraform = normalizeEntry(pantherLog('Terraform User Agent'));
    expect(terraform.actor.type).toBe('serviceAccount');
    expect(terraform.providerGenerated).toBe(false);
  });

  it('names the service account whose key was created', () => {
    const event = normalizeEntry(pantherLog('Created Service Account Key'));
    expect(event.action).toBe('google.iam.admin.v1.CreateServiceAccountKey');
    expect(event.targets).toEqual([{ email: 'created-service-account@gcp-project1.iam.gserviceaccount.com' }]);
    expect(event.actor).toMatchObject({ type: 'user', email: 'staging@company.io' });
  });

  it('names the user of a Workspace admin event (USER_EMAIL parameter)', () => {
    const event = normalizeEntry(pantherLog('User Added to Privileged Group'));
    expect(event).toMatchObject({
      source: 'gcp.audit',
      service: 'admin.googleapis.com',
      action: 'google.admin.AdminService.addGroupMember',
      targets: [{ email: 'test-user@example.com' }],
      actor: { email: 'admin@example.com' },
    });
  });

  it('reads a denied call as a failure with the status text', () => {
    const event = normalizeEntry(pantherLog('VPC control violation'));
    expect(event.outcome).toBe('failure');
    expect(event.failureReason).toMatch(/^code 7: Request is prohibited by organization's policy/);
  });
});

describe('malformed LogEntries', () => {
  const origin = { location: 'projects/p/subscriptions/audit', index: 4 };
  const sink = () => custodianEntry('log-create-project-sink.json');
  const payloadOf = (e: JsonObject) => e.protoPayload as JsonObject;

  it.each([
    ['missing insertId', (e: JsonObject) => delete e.insertId, 'insertId', /missing/],
    ['missing logName', (e: JsonObject) => delete e.logName, 'logName', /missing/],
    ['missing timestamp', (e: JsonObject) => delete e.timestamp, 'timestamp', /missing/],
    ['bare digit timestamp', (e: JsonObject) => (e.timestamp = '7'), 'timestamp', /not a timestamp/],
    ['impossible date', (e: JsonObject) => (e.timestamp = '2019-13-45T99:00:00Z'), 'timestamp', /not a timestamp/],
    ['bad receiveTimestamp', (e: JsonObject) => (e.receiveTimestamp = 'soon'), 'receiveTimestamp', /not a timestamp/],
    ['no protoPayload', (e: JsonObject) => delete e.protoPayload, 'protoPayload', /not a Cloud Audit Log entry/],
    ['protoPayload a string', (e: JsonObject) => (e.protoPayload = 'x'), 'protoPayload', /object/],
    ['methodName an object', (e: JsonObject) => (payloadOf(e).methodName = {}), 'protoPayload.methodName', /string/],
    [
      'status.code an array',
      (e: JsonObject) => (payloadOf(e).status = { code: [7] }),
      'protoPayload.status.code',
      /string/,
    ],
    [
      'bindingDeltas not a list',
      (e: JsonObject) => (payloadOf(e).serviceData = { policyDelta: { bindingDeltas: 'all' } }),
      'protoPayload.serviceData.policyDelta.bindingDeltas',
      /array/,
    ],
    [
      'metadata parameter without a name',
      (e: JsonObject) =>
        (payloadOf(e).metadata = {
          '@type': 'type.googleapis.com/ccc_hosted_reporting.ActivityProto',
          event: [{ eventName: 'x', parameter: [{ value: 'a' }] }],
        }),
      'protoPayload.metadata.event[0].parameter[0].name',
      /missing/,
    ],
  ])('%s → NormalizeError naming the field and origin', (_name, breakIt, field, reason) => {
    const entry = sink();
    breakIt(entry);
    const error = normalizeErrorOf(entry, origin);
    expect(error.field).toBe(field);
    expect(error.reason).toMatch(reason);
    expect(error.format).toBe('gcp.log-entry');
    expect(error.message).toContain('projects/p/subscriptions/audit#4');
  });

  it('leaves the metadata of non-Workspace services unread (its shape is theirs)', () => {
    const entry = sink();
    payloadOf(entry).metadata = { '@type': 'type.googleapis.com/google.cloud.audit.BigQueryAuditMetadata', event: 'x' };
    expect(normalizeEntry(entry).targets).toEqual([]);
  });

  it('rejects a non-object record', () => {
    expect(normalizeErrorOf('entry').field).toBe('(record)');
    expect(normalizeErrorOf([sink()]).field).toBe('(record)');
  });

  it('caps hostile strings, in the event and in messages', () => {
    const entry = sink();
    payloadOf(entry).resourceName = 'R'.repeat(100_000);
    expect(normalizeEntry(entry).resources[0]?.length).toBeLessThanOrEqual(2048);
    entry.timestamp = `x${'A'.repeat(100_000)}`;
    expect(normalizeErrorOf(entry).message.length).toBeLessThan(300);
  });

  it('reads a record whose keys are hostile names without touching prototypes', () => {
    const entry = JSON.parse(
      JSON.stringify(sink()).replace('"status":{}', '"status":{},"__proto__":{"polluted":true}'),
    ) as JsonObject;
    const event = normalizeEntry(entry);
    expect(event.outcome).toBe('success');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('service account delegation (written from the AuditLog reference)', () => {
  const FILE = 'gcp/written-from-docs/service_account_delegation.jsonl';
  const [byBreakGlass] = readFixtureJsonl<Record<string, unknown>>(FILE);

  it('names the first party of serviceAccountDelegationInfo as who acted through the service account', () => {
    const event = normalizeGcpLogEntry(byBreakGlass, { location: FILE, line: 1 });
    expect(event.actor).toEqual({
      type: 'serviceAccount',
      email: 'deployer@prod-project-123.iam.gserviceaccount.com',
      display: 'breakglass@example.com via deployer@prod-project-123.iam.gserviceaccount.com',
      delegatedBy: { email: 'breakglass@example.com' },
    });
    expect(event.providerGenerated).toBe(false);
  });

  it('a principalSubject "user:…" names the account when principalEmail is absent', () => {
    const entry = structuredClone(byBreakGlass) as { protoPayload: { authenticationInfo: Record<string, unknown> } };
    entry.protoPayload.authenticationInfo = { principalSubject: 'user:breakglass@example.com' };
    expect(normalizeGcpLogEntry(entry, { location: FILE }).actor).toEqual({
      type: 'user',
      email: 'breakglass@example.com',
      display: 'breakglass@example.com',
    });
  });

  it('an entry without delegation, or delegated by the principal itself, has no delegatedBy', () => {
    const plain = structuredClone(byBreakGlass) as { protoPayload: { authenticationInfo: Record<string, unknown> } };
    plain.protoPayload.authenticationInfo.serviceAccountDelegationInfo = [
      { firstPartyPrincipal: { principalEmail: 'deployer@prod-project-123.iam.gserviceaccount.com' } },
    ];
    expect(normalizeGcpLogEntry(plain, { location: FILE }).actor.delegatedBy).toBeUndefined();
    delete plain.protoPayload.authenticationInfo.serviceAccountDelegationInfo;
    expect(normalizeGcpLogEntry(plain, { location: FILE }).actor.delegatedBy).toBeUndefined();
  });
});
