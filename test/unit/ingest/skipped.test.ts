import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DetectionPipeline } from '../../../shared/core/ingest/detection-pipeline.js';
import { JsonSplitter } from '../../../shared/core/ingest/json-splitter.js';
import { SKIP_KINDS, type Skipped } from '../../../shared/core/normalize/index.js';
import { parseRegistry, RegistryMatcher } from '../../../shared/core/registry/index.js';
import { readFixtureJson, readFixtureJsonl, readFixtureText } from '../../support/fixtures.js';

/**
 * "Skipped and counted" as an outcome of its own: a well-formed record of a kind not read is counted per
 * kind and reported through `onSkip`, never through `onError`; a malformed one still is an error that
 * names where it was.
 */

const matcher = new RegistryMatcher(
  parseRegistry('accounts: [{ id: r, cloud: aws, match: { arn: "arn:aws:iam::123456789012:root" } }]', 'r.yaml'),
);

function run(feed: (pipeline: DetectionPipeline) => void) {
  const errors: Error[] = [];
  const skips: Skipped[] = [];
  const pipeline = new DetectionPipeline(matcher, {
    onFinding: () => {},
    onError: (error) => errors.push(error),
    onSkip: (skip) => skips.push(skip),
  });
  feed(pipeline);
  return { counts: pipeline.counts, kinds: Object.fromEntries(pipeline.skipped), errors, skips };
}

/** A whole file through the splitter, as replay and the S3 path read it. */
function file(text: string, location: string) {
  return run((pipeline) => {
    const splitter = new JsonSplitter((chunk) => pipeline.chunk(chunk, splitter.container ?? 'document', location));
    splitter.push(text);
    splitter.end();
  });
}

type Json = Record<string, unknown>;
const DOCS_EVENTS = readFixtureJsonl<{ event: Json }>('aws/aws-docs-cc-by-sa/eventbridge_cloudtrail_examples.jsonl');
const SIGN_IN = DOCS_EVENTS[0]?.event as Json;
const INSIGHTS = 'aws/aws-docs-cc-by-sa/cloudtrail-log-file-examples/example07_insights.json';

describe('skipped records', () => {
  it('every skip kind names the page that documents it', () => {
    for (const [kind, doc] of Object.entries(SKIP_KINDS)) {
      expect(doc, kind).toMatch(
        /^https:\/\/(docs\.aws\.amazon\.com|learn\.microsoft\.com|developer\.hashicorp\.com)\//,
      );
    }
  });

  it('counts the CloudTrail Insights records of a log file (AWS docs example) as skipped, not errors', () => {
    const result = file(readFixtureText(INSIGHTS), INSIGHTS);
    expect(result.errors).toEqual([]);
    expect(result.counts).toMatchObject({ documents: 2, records: 2, events: 0, skipped: 2, errors: 0 });
    expect(result.kinds).toEqual({ 'aws.insight': 2 });
    expect(result.skips[1]?.reason).toBe('CloudTrail Insights record ApiCallRateInsight');
    expect(result.skips[1]?.origin).toEqual({ location: INSIGHTS, index: 1 });
  });

  it('skips an Insights record that carries only eventCategory or insightDetails (CloudTrail Lake rows)', () => {
    const [record] = readFixtureJson<{ Records: Json[] }>(INSIGHTS).Records;
    const { eventType: _t, ...byCategory } = record as Json;
    const { eventCategory: _c, ...byDetails } = byCategory;
    const result = run((p) => {
      p.document(byCategory, { location: 'lake', index: 0 });
      p.document(byDetails, { location: 'lake', index: 1 });
    });
    expect(result.kinds).toEqual({ 'aws.insight': 2 });
    expect(result.errors).toEqual([]);
  });

  it('skips an EventBridge Insight, a sign-in anomaly alert and an EC2 state change, each by kind', () => {
    const event = (detailType: string, source: string) => ({ ...SIGN_IN, 'detail-type': detailType, source });
    const result = run((p) => {
      p.document(event('AWS Insight via CloudTrail', 'aws.cloudtrail'), { location: 'eb:1' });
      p.document(event('Sign-in Anomaly Alert', 'aws.signin'), { location: 'eb:2' });
      p.document(event('EC2 Instance State-change Notification', 'aws.ec2'), { location: 'eb:3' });
      p.document(SIGN_IN, { location: 'eb:4' });
    });
    expect(result.errors).toEqual([]);
    expect(result.kinds).toEqual({ 'aws.insight': 1, 'aws.signin-anomaly-alert': 1, 'aws.other-event': 1 });
    expect(result.counts).toMatchObject({ documents: 0, records: 1, events: 1, skipped: 3, errors: 0 });
    expect(result.skips.map((s) => s.origin.location)).toEqual(['eb:1', 'eb:2', 'eb:3']);
  });

  it('reads the "Signin" spelling of the sign-in detail-type (EventBridge user guide) like "Sign In"', () => {
    const result = run((p) =>
      p.document({ ...SIGN_IN, 'detail-type': 'AWS Console Signin via CloudTrail' }, { location: 'eb' }),
    );
    expect(result.counts).toMatchObject({ events: 1, skipped: 0, errors: 0 });
    expect(result.counts.findings).toBeGreaterThan(0);
  });

  it('still reports a malformed EventBridge event or record as an error, with where', () => {
    const result = run((p) => {
      p.document({ ...SIGN_IN, 'detail-type': 7 }, { location: 'eb', index: 4 });
      p.document({ ...SIGN_IN, detail: 'oops' }, { location: 'eb', index: 5 });
      p.record({ format: 'aws.cloudtrail', value: 'not a record', origin: { location: 'f.json', index: 6 } });
    });
    expect(result.counts).toMatchObject({ skipped: 0, errors: 3 });
    expect(result.errors.map((e) => e.message)).toEqual([
      'eb#4: EventBridge detail-type is number 7, expected a string',
      'eb#5: EventBridge "AWS Console Sign In via CloudTrail": detail is "oops", expected an object',
      'f.json#6: aws.cloudtrail record, field (record): expected a JSON object, got string "not a record"',
    ]);
  });

  it('skips Azure resource-log categories and other Log Analytics tables, not mislabelled records of ours', () => {
    const storageRead = { time: '2024-01-01T00:00:00Z', category: 'StorageRead', operationName: 'GetBlob' };
    const entraAudit = {
      time: '2024-01-01T00:00:00Z',
      category: 'ApplicationManagement',
      operationName: 'Add service principal',
      properties: { activityDisplayName: 'Add service principal' },
    };
    const heartbeat = { Type: 'Heartbeat', TimeGenerated: '2024-01-01T00:00:00Z', TenantId: 't' };
    const retyped = { Type: 'Application', TimeGenerated: '2024-01-01T00:00:00Z', ActivityDisplayName: 'x' };
    const result = run((p) => {
      p.record({ format: 'azure.diagnostic', value: storageRead, origin: { location: 'hub', index: 0 } });
      p.record({ format: 'azure.diagnostic', value: entraAudit, origin: { location: 'hub', index: 1 } });
      p.record({ format: 'azure.log-analytics', value: heartbeat, origin: { location: 'la', index: 0 } });
      p.record({ format: 'azure.log-analytics', value: retyped, origin: { location: 'la', index: 1 } });
    });
    expect(result.kinds).toEqual({ 'azure.other-category': 1, 'azure.other-table': 1 });
    expect(result.skips.map((s) => s.reason)).toEqual([
      'diagnostic category "StorageRead"',
      'Log Analytics table "Heartbeat"',
    ]);
    expect(result.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^hub#1: azure\.diagnostic record, field category: "ApplicationManagement" is not/),
      expect.stringMatching(/^la#1: azure\.log-analytics record, field Type: table "Application" is not/),
    ]);
  });
});

describe('README', () => {
  it('lists every skip kind in the "Skipped, not failed" table', () => {
    const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../../README.md'), 'utf8');
    for (const kind of Object.keys(SKIP_KINDS)) expect(readme, kind).toContain(`| \`${kind}\` |`);
  });
});
