import { describe, expect, it } from 'vitest';
import { CLOUDTRAIL_DETAIL_TYPES } from '../../../../shared/core/normalize/aws/detail-types.js';
import {
  awsEnvelopes,
  cloudTrailLogFileEnvelope,
  cloudTrailRecordEnvelope,
  eventBridgeCloudTrailEnvelope,
} from '../../../../shared/core/normalize/aws/envelopes.js';
import { EnvelopeError } from '../../../../shared/core/normalize/errors.js';
import { Skipped } from '../../../../shared/core/normalize/skips.js';
import { readFixtureJson, readFixtureJsonl } from '../../../support/fixtures.js';
import { opened } from '../../../support/normalize.js';
import { docsSamples, openAws } from './harness.js';

const origin = { location: 's3://trail-bucket/AWSLogs/o-1/123456789012/CloudTrail/us-east-1/file.json.gz' };
const ebSamples = docsSamples('eventbridge_cloudtrail_examples.jsonl');
const ebSignIn = () => structuredClone(ebSamples[0]?.event) as Record<string, unknown>;

function envelopeErrorOf(run: () => unknown): EnvelopeError {
  try {
    run();
  } catch (error) {
    if (error instanceof EnvelopeError) return error;
    throw error;
  }
  throw new Error('expected an EnvelopeError');
}

describe('cloudtrail-log-file', () => {
  it('hands out each record with its index', () => {
    const doc = readFixtureJson<Record<string, unknown>>(
      'aws/aws-docs-cc-by-sa/cloudtrail-log-file-examples/example07_insights.json',
    );
    expect(cloudTrailLogFileEnvelope.matches(doc)).toBe(true);
    const records = opened(cloudTrailLogFileEnvelope.open(doc, origin));
    expect(records.map((r) => [r.format, r.origin])).toEqual([
      ['aws.cloudtrail', { ...origin, index: 0 }],
      ['aws.cloudtrail', { ...origin, index: 1 }],
    ]);
    expect(records[1]?.value).toBe((doc.Records as unknown[])[1]);
  });

  it('an empty file and a digest file hold no records', () => {
    expect(openAws({ Records: [] }, origin)).toEqual([]);
    const digest = {
      awsAccountId: '123456789012',
      digestStartTime: '2024-01-01T00:00:00Z',
      digestEndTime: '2024-01-01T01:00:00Z',
      digestPublicKeyFingerprint: 'abc',
      logFiles: [{ s3Bucket: 'b', s3Object: 'k', hashValue: 'h' }],
    };
    expect(cloudTrailLogFileEnvelope.matches(digest)).toBe(true);
    expect(openAws(digest, origin)).toEqual([]);
  });

  it('a non-array Records is an EnvelopeError naming the location', () => {
    const error = envelopeErrorOf(() => openAws({ Records: { eventName: 'x' } }, origin));
    expect(error.message).toContain(origin.location);
    expect(error.reason).toMatch(/Records is an object, expected an array/);
  });

  it('leaves S3/SQS notification batches to other envelopes', () => {
    const s3Notification = {
      Records: [{ eventVersion: '2.1', eventSource: 'aws:s3', eventName: 'ObjectCreated:Put' }],
    };
    const sqsBatch = { Records: [{ messageId: '1', body: '{}', eventSource: 'aws:sqs' }] };
    for (const doc of [s3Notification, sqsBatch]) {
      expect(awsEnvelopes.some((e) => e.matches(doc))).toBe(false);
    }
  });
});

describe('cloudtrail-lookup-events', () => {
  const page = readFixtureJson<{ Events: Record<string, unknown>[] }>('aws/written-from-docs/lookup_events.json');

  it('opens each CloudTrailEvent text to its record, with its index', () => {
    const records = openAws(page, origin);
    expect(records.map((r) => [r.format, r.origin.index, (r.value as { eventName: string }).eventName])).toEqual([
      ['aws.cloudtrail', 0, 'ConsoleLogin'],
      ['aws.cloudtrail', 1, 'CreateAccessKey'],
      ['aws.cloudtrail', 2, 'ConsoleLogin'],
      ['aws.cloudtrail', 3, 'ConsoleLogin'],
    ]);
    expect(openAws({ Events: [], NextToken: 'x' }, origin)).toEqual([]);
  });

  it('opens one element on its own (lookup-events --query Events prints an array of them)', () => {
    const records = openAws(page.Events[1], origin);
    expect(records.map((r) => [r.origin.index, (r.value as { eventName: string }).eventName])).toEqual([
      [undefined, 'CreateAccessKey'],
    ]);
  });

  it('a CloudTrailEvent that is not a JSON record is an EnvelopeError naming the element', () => {
    const broken = { Events: [page.Events[0], { ...page.Events[1], CloudTrailEvent: '{"eventVersion":' }] };
    expect(envelopeErrorOf(() => openAws(broken, origin)).reason).toBe(
      'LookupEvents Events[1].CloudTrailEvent is not JSON',
    );
    const array = { Events: [{ ...page.Events[0], CloudTrailEvent: '[]' }] };
    expect(envelopeErrorOf(() => openAws(array, origin)).reason).toMatch(/Events\[0\]\.CloudTrailEvent holds an array/);
  });
});

describe('eventbridge-cloudtrail', () => {
  it('opens every CloudTrail detail-type of the table to its detail (both sign-in spellings, console actions, network activity)', () => {
    expect(CLOUDTRAIL_DETAIL_TYPES).toEqual([
      'AWS API Call via CloudTrail',
      'AWS Console Sign In via CloudTrail',
      'AWS Console Signin via CloudTrail',
      'AWS Console Action via CloudTrail',
      'AWS Service Event via CloudTrail',
      'AWS Network Activity Event via CloudTrail',
    ]);
    for (const detailType of CLOUDTRAIL_DETAIL_TYPES) {
      const doc: Record<string, unknown> = { ...ebSignIn(), 'detail-type': detailType };
      expect(awsEnvelopes.find((e) => e.matches(doc))).toBe(eventBridgeCloudTrailEnvelope);
      const [record] = opened(eventBridgeCloudTrailEnvelope.open(doc, origin));
      expect(record).toEqual({ format: 'aws.cloudtrail', value: doc.detail, origin });
    }
  });

  it('the cloud-custodian envelopes open to their detail', () => {
    const doc = readFixtureJson<Record<string, unknown>>(
      'aws/cloud-custodian/event-transit-gateway-delete-vpc-attachment.json',
    );
    expect(openAws(doc, origin)[0]?.value).toBe(doc.detail);
  });

  it('skips Insights, sign-in anomaly alerts and every other detail-type, naming it (not an error)', () => {
    const skipOf = (doc: Record<string, unknown>) => {
      const result = eventBridgeCloudTrailEnvelope.open(doc, origin);
      if (!(result instanceof Skipped)) throw new Error('expected a skip');
      return [result.kind, result.reason, result.origin];
    };
    expect(skipOf({ ...ebSignIn(), 'detail-type': 'AWS Insight via CloudTrail', source: 'aws.cloudtrail' })).toEqual([
      'aws.insight',
      'EventBridge detail-type "AWS Insight via CloudTrail" from aws.cloudtrail',
      origin,
    ]);
    expect(skipOf({ ...ebSignIn(), 'detail-type': 'Sign-in Anomaly Alert', source: 'aws.signin' })[0]).toBe(
      'aws.signin-anomaly-alert',
    );
    const ec2 = { ...ebSignIn(), 'detail-type': 'EC2 Instance State-change Notification', source: 'aws.ec2' };
    expect(skipOf(ec2)).toEqual([
      'aws.other-event',
      'EventBridge detail-type "EC2 Instance State-change Notification" from aws.ec2',
      origin,
    ]);
    // The anomaly alert's detail-type from another source is not what the table describes.
    expect(skipOf({ ...ebSignIn(), 'detail-type': 'Sign-in Anomaly Alert', source: 'aws.ec2' })[0]).toBe(
      'aws.other-event',
    );
  });

  it('a detail-type that is not a string is an EnvelopeError', () => {
    const doc = { ...ebSignIn(), 'detail-type': 42 };
    expect(envelopeErrorOf(() => openAws(doc, origin)).reason).toBe(
      'EventBridge detail-type is number 42, expected a string',
    );
  });

  it('a non-AWS source or a detail that is not an object is an EnvelopeError', () => {
    expect(envelopeErrorOf(() => openAws({ ...ebSignIn(), source: 'com.example.app' }, origin)).reason).toMatch(
      /source "com.example.app", expected aws\.\*/,
    );
    expect(envelopeErrorOf(() => openAws({ ...ebSignIn(), detail: 'oops' }, origin)).reason).toMatch(
      /detail is "oops", expected an object/,
    );
  });
});

describe('cloudtrail-record', () => {
  it('matches a bare record by eventVersion, eventSource + userIdentity, or @timestamp + eventSource', () => {
    const bare = readFixtureJsonl<Record<string, unknown>>(
      'aws/otrf/ec2_proxy_s3_exfiltration_2020-09-14011940.ndjson',
    )[0];
    if (!bare) throw new Error('fixture is empty');
    expect(cloudTrailRecordEnvelope.matches(bare)).toBe(true);
    const { eventVersion: _v, ...noVersion } = bare;
    expect(cloudTrailRecordEnvelope.matches(noVersion)).toBe(true);
    const { userIdentity: _u, ...logstashOnly } = noVersion;
    expect(cloudTrailRecordEnvelope.matches(logstashOnly)).toBe(true);
    const { '@timestamp': _t, ...neither } = logstashOnly;
    expect(cloudTrailRecordEnvelope.matches(neither)).toBe(false);
    expect(cloudTrailRecordEnvelope.open(bare, { location: 'x', line: 1 })).toEqual([
      { format: 'aws.cloudtrail', value: bare, origin: { location: 'x', line: 1 } },
    ]);
  });

  it('does not claim GCP or Entra documents', () => {
    const gcp = { insertId: '1', logName: 'projects/p/logs/cloudaudit.googleapis.com%2Factivity', protoPayload: {} };
    const entra = { records: [{ time: '2024-01-01T00:00:00Z', category: 'SignInLogs', properties: {} }] };
    for (const doc of [gcp, entra]) expect(awsEnvelopes.some((e) => e.matches(doc))).toBe(false);
  });
});
