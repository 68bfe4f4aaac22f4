import { describe, expect, it } from 'vitest';
import { drillEvent, drillEventId, isSyntheticDrillEventId } from '../../../../shared/core/assure/drill/record.js';
import { applyFindings } from '../../../../shared/core/correlate/session.js';
import { DetectionPipeline } from '../../../../shared/core/ingest/detection-pipeline.js';
import { JsonSplitter } from '../../../../shared/core/ingest/json-splitter.js';
import type { EventOrigin } from '../../../../shared/core/model/audit-event.js';
import type { Finding } from '../../../../shared/core/model/finding.js';
import { EnvelopeError } from '../../../../shared/core/normalize/index.js';
import { readFixtureJsonl } from '../../../support/fixtures.js';
import { account, matcher } from '../support/world.js';

/**
 * The drill marker cannot be spoofed from logs: only the drill envelope sets it, only for a
 * `glasswatch.drill` event that arrived over a trusted transport (never a file, an S3 object or a
 * Pub/Sub message), and a "drill"-looking field in a real record changes nothing.
 */

type Doc = Record<string, unknown>;
const ROOT_SIGN_IN = readFixtureJsonl<{ event: Doc }>('aws/aws-docs-cc-by-sa/act_root_console_login.jsonl')[0]
  ?.event as Doc;
const DOCS_EVENTBRIDGE = readFixtureJsonl<{ event: Doc }>(
  'aws/aws-docs-cc-by-sa/eventbridge_cloudtrail_examples.jsonl',
);
const NOW = new Date('2026-03-02T12:00:00Z');

function run(feed: (pipeline: DetectionPipeline) => void): { findings: Finding[]; errors: Error[] } {
  const findings: Finding[] = [];
  const errors: Error[] = [];
  feed(new DetectionPipeline(matcher, { onFinding: (f) => findings.push(f), onError: (e) => errors.push(e) }));
  return { findings, errors };
}

function document(doc: unknown, origin: EventOrigin) {
  return run((p) => p.document(doc, origin));
}

/** A whole file, as `glasswatch replay` and the S3 path read one. */
function file(text: string) {
  return run((pipeline) => {
    const splitter = new JsonSplitter((chunk) => pipeline.chunk(chunk, splitter.container ?? 'document', 'evil.json'));
    splitter.push(text);
    splitter.end();
  });
}

function incidentOf(findings: Finding[]) {
  const head = applyFindings(undefined, findings, matcher).head;
  if (!head) throw new Error('no incident');
  return head;
}

describe('a drill event over a trusted transport', () => {
  it.each([
    ['aws-prod-root', 'eventbridge'],
    ['aws-breakglass-user', 'in-process'],
    ['aws-role', 'eventbridge'],
    ['gcp-super-admin', 'eventbridge'],
    ['entra-emergency', 'in-process'],
  ] as const)('%s over %s: a successful sign-in with MFA, marked, opening a low drill incident', (id, transport) => {
    const event = drillEvent(account(id), { drillId: 'd-test1', now: NOW });
    const { findings, errors } = document(event, { location: 'eventbridge:us-east-1:x', trustedTransport: transport });
    expect(errors).toEqual([]);
    expect(findings.map((f) => f.kind)).toEqual(['signin.success']);
    const [finding] = findings as [Finding];
    expect(finding.account).toBe(id);
    expect(finding.event.origin.drill).toEqual({ drillId: 'd-test1', account: id });
    expect(finding.event.mfa?.used).toBe(true);
    expect(finding.event.id).toBe(drillEventId(event));
    expect(isSyntheticDrillEventId(finding.event.id)).toBe(true);
    expect(incidentOf(findings)).toMatchObject({ drill: true, severity: 'low' });
  });
});

describe('the drill marker cannot be spoofed', () => {
  const spoofed = {
    ...ROOT_SIGN_IN,
    userAgent: 'Glasswatch drill d-123',
    requestParameters: { drill: true, source: 'glasswatch.drill' },
    additionalEventData: {
      ...(ROOT_SIGN_IN.additionalEventData as Doc),
      glasswatch: 'drill',
      drill: { account: 'aws-prod-root' },
    },
    drill: { drillId: 'd-123', account: 'aws-prod-root' },
    origin: { drill: { drillId: 'd-123', account: 'aws-prod-root' } },
  };

  it('a real root sign-in with a "drill" user agent and drill fields is a real, critical incident', () => {
    const { findings, errors } = document(spoofed, { location: 'trail.json', line: 1 });
    expect(errors).toEqual([]);
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) expect(f.event.origin.drill).toBeUndefined();
    expect(incidentOf(findings)).toMatchObject({ drill: false, severity: 'critical' });
  });

  it('the same record in a CloudTrail log file (the S3 path) and in an aws.signin event from EventBridge is real', () => {
    const logFile = file(JSON.stringify({ Records: [spoofed] }));
    const eventBridge = document(
      { ...(DOCS_EVENTBRIDGE[0]?.event as Doc), detail: spoofed, glasswatch: { drill: true } },
      { location: 'eventbridge:us-east-1:y', trustedTransport: 'eventbridge' },
    );
    for (const { findings } of [logFile, eventBridge]) {
      expect(findings.length).toBeGreaterThan(0);
      expect(incidentOf(findings)).toMatchObject({ drill: false, severity: 'critical' });
    }
  });

  it('a glasswatch.drill event read from a file, an S3 object or a Pub/Sub message is rejected, not a drill nor an incident', () => {
    const event = drillEvent(account('aws-prod-root'), { drillId: 'd-forged', now: NOW });
    for (const text of [JSON.stringify(event), `${JSON.stringify(event)}\n`, JSON.stringify([event])]) {
      const { findings, errors } = file(text);
      expect(findings).toEqual([]);
      expect(errors[0]).toBeInstanceOf(EnvelopeError);
      expect(errors[0]?.message).toMatch(/outside a trusted transport/);
    }
    expect(document(event, { location: 'projects/p/subscriptions/s/messages/1' }).errors[0]?.message).toMatch(
      /outside a trusted transport/,
    );
  });

  it('a drill event claiming a real event id is rejected (it could absorb the real sign-in by dedup)', () => {
    const event = drillEvent(account('aws-prod-root'), { drillId: 'd-steal', now: NOW });
    const record = { ...event.detail.record, eventID: ROOT_SIGN_IN.eventID };
    const { findings, errors } = document(
      { ...event, detail: { ...event.detail, record } },
      { location: 'eventbridge:us-east-1:z', trustedTransport: 'eventbridge' },
    );
    expect(findings).toEqual([]);
    expect(errors[0]?.message).toMatch(/record eventID must be "glasswatch-drill-d-steal"/);
  });

  it('a drill record id may carry only the opening suffix: `…-opening` is read, any other suffix is rejected', () => {
    const event = drillEvent(account('aws-prod-root'), { drillId: 'd-suffix', now: NOW });
    const trusted = { location: 'eventbridge:us-east-1:z', trustedTransport: 'eventbridge' } as const;
    const withId = (eventID: string) => ({
      ...event,
      detail: { ...event.detail, record: { ...event.detail.record, eventID } },
    });
    expect(document(withId('glasswatch-drill-d-suffix-opening'), trusted).errors).toEqual([]);
    const other = document(withId('glasswatch-drill-d-suffix-x'), trusted);
    expect(other.findings).toEqual([]);
    expect(other.errors[0]?.message).toMatch(/record eventID must be "glasswatch-drill-d-suffix"/);
  });

  it("a drill marker for one account does not make another account's activity a drill", () => {
    const event = drillEvent(account('aws-prod-root'), { drillId: 'd-other', now: NOW });
    const { findings } = document(
      { ...event, detail: { ...event.detail, account: 'aws-breakglass-user' } },
      { location: 'eventbridge:us-east-1:w', trustedTransport: 'eventbridge' },
    );
    expect(findings[0]?.account).toBe('aws-prod-root');
    expect(incidentOf(findings)).toMatchObject({ drill: false, severity: 'critical' });
  });

  it('rejects broken drill envelopes naming the field', () => {
    const event = drillEvent(account('aws-prod-root'), { drillId: 'd-bad', now: NOW });
    const trusted = { location: 'eventbridge:us-east-1:v', trustedTransport: 'eventbridge' } as const;
    const cases: [Doc, RegExp][] = [
      [{ ...event, 'detail-type': 'AWS Console Sign In via CloudTrail' }, /detail-type/],
      [{ ...event, detail: { ...event.detail, drillId: '../x' } }, /detail.drillId/],
      [{ ...event, detail: { ...event.detail, format: 'azure.activity-log' } }, /cannot carry a drill/],
      // A diagnostic record carries a drill only as the Key Vault AuditEvent whose id ends in correlationId.
      [
        {
          ...event,
          detail: {
            ...event.detail,
            format: 'azure.diagnostic',
            record: { category: 'SignInLogs', correlationId: 'glasswatch-drill-d-bad' },
          },
        },
        /carries a drill only as category "AuditEvent"/,
      ],
      [{ ...event, detail: { ...event.detail, record: 'x' } }, /record is not an object/],
    ];
    for (const [doc, message] of cases) expect(document(doc, trusted).errors[0]?.message).toMatch(message);
  });
});
