import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GCP_PUSH_DETAIL_TYPE, GCP_PUSH_SOURCE } from '../../../shared/runtime/pollers/gcp-push-events.js';
import { readTemplate, type Template } from './cloudformation-yaml.js';

/**
 * Who may write what, read from the template: each role writes only its own key prefixes of the
 * incident table (dynamodb:LeadingKeys), only the act-stage roles read vendor secrets and the ledger
 * key, only this stack's publishers may put on the incident bus, and the GCP push role can put nothing
 * but Google audit entries on the ingest bus.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const template = readTemplate(join(ROOT, 'infra/template.yaml'));
type Resource = Template['Resources'][string];
type Statement = {
  Sid?: string;
  Effect: string;
  Action: unknown;
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};

const WRITES = new Set(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']);

/** Key prefixes each principal may write (from the adapters: shared/adapters/dynamodb/*, publication-ledger, event-hub-checkpoints). */
const EXPECTED_PREFIXES: Record<string, string[]> = {
  EventBridgeIngestFunction: ['INC#', 'KEY#', 'PUB#', 'SRC#'],
  S3LogFilesFunction: ['INC#', 'KEY#', 'PUB#', 'SRC#'],
  BackfillFunction: ['INC#', 'KEY#', 'PUB#', 'SRC#'],
  SweeperFunction: ['INC#', 'KEY#', 'PUB#'],
  CloseSessionsFunction: ['INC#', 'KEY#', 'PUB#'],
  RespondersFunction: ['DLV#', 'ROT#'],
  DrillFunction: ['DLV#', 'DRILL#', 'INC#', 'KEY#', 'PUB#'],
  HeartbeatCheckFunction: ['ALERT#', 'DLV#'],
  VerifyFunctionRole: ['ALERT#', 'CHECK#', 'DLV#'],
  ComplianceCheckFunction: ['DLV#', 'DRILL#'],
  GcpLoggingPollerRole: ['CURSOR#', 'INC#', 'KEY#', 'PUB#', 'SRC#'],
  AzureLogAnalyticsPollerFunction: ['CURSOR#', 'INC#', 'KEY#', 'PUB#', 'SRC#'],
  EventHubConsumerFunction: ['EVENTHUB#', 'INC#', 'KEY#', 'PUB#', 'SRC#'],
  GcpPushFunctionRole: [],
};
/** The act stage: the functions that page (through the responders' drivers) and keep the delivery ledger. */
const ACT_STAGE = [
  'ComplianceCheckFunction',
  'DrillFunction',
  'HeartbeatCheckFunction',
  'RespondersFunction',
  'VerifyFunctionRole',
];

/** Every statement a principal's policies hold (both branches of an `!If`). */
function statementsOf(id: string): Statement[] {
  const resource = template.Resources[id] as Resource;
  const policies = (resource.Properties?.Policies ?? []) as unknown[];
  const out: Statement[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) for (const v of value) walk(v);
    else if (value && typeof value === 'object') {
      const object = value as Record<string, unknown>;
      if ('Effect' in object && 'Action' in object) out.push(object as unknown as Statement);
      else for (const v of Object.values(object)) walk(v);
    }
  };
  walk(policies);
  return out;
}

const actions = (s: Statement) => [s.Action].flat() as string[];
const onTable = (s: Statement) => JSON.stringify(s.Resource).includes('IncidentTable');

/** The key prefixes a principal can write, failing on any write to the table without a LeadingKeys condition. */
function writablePrefixes(id: string): string[] {
  const prefixes = new Set<string>();
  for (const statement of statementsOf(id)) {
    if (statement.Effect !== 'Allow' || !onTable(statement) || !actions(statement).some((a) => WRITES.has(a))) continue;
    const leading = statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] as string[] | undefined;
    expect(leading, `${id} ${statement.Sid}: table writes without dynamodb:LeadingKeys`).toBeDefined();
    // ForAllValues is true for a request without the key: the Null condition closes that gap.
    expect(statement.Condition?.Null, `${id} ${statement.Sid}`).toEqual({ 'dynamodb:LeadingKeys': 'false' });
    expect(JSON.stringify(statement.Resource), `${id} ${statement.Sid}: writes only the table itself`).not.toMatch(
      /index/,
    );
    for (const prefix of leading ?? []) {
      expect(prefix, `${id}: a prefix, then *`).toMatch(/^[A-Z]+#\*$/);
      prefixes.add(prefix.slice(0, -1));
    }
  }
  return [...prefixes].sort();
}

describe('infra/template.yaml: each writer touches only its own records', () => {
  it('proves, per role, which key prefixes of the incident table it can write', () => {
    const principals = Object.entries(template.Resources)
      .filter(
        ([, r]) => statementsOf.length > 0 && (r.Type === 'AWS::Serverless::Function' || r.Type === 'AWS::IAM::Role'),
      )
      .filter(
        ([id]) => statementsOf(id).some((s) => JSON.stringify(s).includes('IncidentTable')) || id in EXPECTED_PREFIXES,
      )
      .map(([id]) => id);
    expect(principals.sort()).toEqual(Object.keys(EXPECTED_PREFIXES).sort());
    for (const id of principals) expect(writablePrefixes(id), id).toEqual(EXPECTED_PREFIXES[id]);
  });

  it('lets only the act stage write the delivery ledger, only the responders the rotation watches', () => {
    const writers = (prefix: string) =>
      Object.keys(EXPECTED_PREFIXES)
        .filter((id) => writablePrefixes(id).includes(prefix))
        .sort();
    expect(writers('DLV#')).toEqual(ACT_STAGE);
    expect(writers('ROT#')).toEqual(['RespondersFunction']);
    expect(writers('ALERT#')).toEqual(['HeartbeatCheckFunction', 'VerifyFunctionRole']);
    expect(writers('CHECK#')).toEqual(['VerifyFunctionRole']);
  });

  it('uses BatchWriteItem only for the pollers’ cursor dedup records', () => {
    for (const id of Object.keys(EXPECTED_PREFIXES)) {
      for (const statement of statementsOf(id).filter((s) => actions(s).includes('dynamodb:BatchWriteItem'))) {
        expect(actions(statement), id).toEqual(['dynamodb:BatchWriteItem']);
        expect(statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'], id).toEqual(['CURSOR#*']);
      }
    }
  });

  it('lets only the act stage read vendor secrets and the ledger key, only the pollers and verify the cloud credentials', () => {
    const readers = (sid: string) =>
      Object.keys(EXPECTED_PREFIXES)
        .filter((id) => statementsOf(id).some((s) => s.Sid === sid))
        .sort();
    expect(readers('VendorSecrets')).toEqual(ACT_STAGE);
    expect(readers('VendorParameters')).toEqual(ACT_STAGE);
    expect(readers('LedgerKey')).toEqual(ACT_STAGE);
    // The pollers' cloud credentials: each poller, and the verify function that reads the same clouds back.
    const secretReaders = (secret: string) =>
      Object.keys(EXPECTED_PREFIXES)
        .filter((id) => statementsOf(id).some((s) => JSON.stringify(s.Resource) === JSON.stringify({ Ref: secret })))
        .sort();
    expect(secretReaders('GcpCredentialsSecret')).toEqual(['GcpLoggingPollerRole', 'VerifyFunctionRole']);
    expect(secretReaders('AzureCredentialsSecret')).toEqual(['AzureLogAnalyticsPollerFunction', 'VerifyFunctionRole']);
    for (const id of ACT_STAGE) {
      // A function with a role of its own (VerifyFunctionRole) is the role's id without "Role".
      const env = (template.Resources[id.replace(/Role$/, '')] as Resource).Properties?.Environment as {
        Variables: Record<string, unknown>;
      };
      expect(env.Variables.GLASSWATCH_LEDGER_KEY_SECRET_REF, id).toEqual({ Ref: 'LedgerKeySecret' });
    }
  });
});

describe('infra/template.yaml: nothing forged reaches the responders', () => {
  const publishers = Object.keys(EXPECTED_PREFIXES).filter((id) =>
    statementsOf(id).some(
      (s) => JSON.stringify(s.Resource).includes('IncidentBus') && actions(s).includes('events:PutEvents'),
    ),
  );

  it('lets only this stack’s ingest, correlation and drill roles put on the incident bus, and only `source: glasswatch`', () => {
    const policy = template.Resources.IncidentBusPublishersOnly?.Properties?.Statement as Statement;
    expect(policy).toMatchObject({ Effect: 'Deny', Principal: '*', Action: 'events:PutEvents' });
    const allowed = JSON.stringify(policy.Condition?.ArnNotEquals?.['aws:PrincipalArn']);
    const roleOf = (id: string) => ((template.Resources[id] as Resource).Type === 'AWS::IAM::Role' ? id : `${id}Role`);
    expect(publishers.length).toBeGreaterThanOrEqual(7);
    for (const id of publishers) expect(allowed, id).toContain(`"${roleOf(id)}"`);
    expect((allowed.match(/Role"/g) ?? []).length).toBe(publishers.length);
    expect(publishers).not.toContain('GcpPushFunctionRole');
    expect(publishers).not.toContain('RespondersFunction');
    for (const id of publishers) {
      const publish = statementsOf(id).filter((s) => JSON.stringify(s.Resource).includes('IncidentBus'));
      for (const s of publish) expect(s.Condition, id).toEqual({ StringEquals: { 'events:source': 'glasswatch' } });
    }
  });

  it('lets the GCP push role put Google audit entries on the ingest bus and nothing else', () => {
    const statements = statementsOf('GcpPushFunctionRole');
    expect(statements).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Resource: { 'Fn::GetAtt': ['IngestBus', 'Arn'] },
        Condition: { StringEquals: { 'events:source': GCP_PUSH_SOURCE, 'events:detailType': GCP_PUSH_DETAIL_TYPE } },
      }),
    ]);
    const guard = template.Resources.IngestBusGcpPushSourceGuard?.Properties?.Statement as Statement;
    expect(guard).toMatchObject({
      Effect: 'Deny',
      Condition: { StringEquals: { 'events:source': GCP_PUSH_SOURCE } },
    });
    const rule = (template.Resources.EventBridgeIngestFunction as Resource).Properties?.Events as Record<
      string,
      { Properties: { Pattern: unknown } }
    >;
    expect(rule.GcpPushedEntries?.Properties.Pattern).toEqual({
      source: [GCP_PUSH_SOURCE],
      'detail-type': [GCP_PUSH_DETAIL_TYPE],
      account: [{ Ref: 'AWS::AccountId' }],
    });
  });

  it('scopes key cleanup to the break-glass IAM users, never user/*', () => {
    const text = JSON.stringify(
      statementsOf('RespondersFunction').filter((s) => actions(s).includes('iam:UpdateAccessKey')),
    );
    expect(text).toContain('BreakGlassIamUserNames');
    expect(text).not.toMatch(/user\/\*"/);
  });
});
