import { describe, expect, it } from 'vitest';
import { normalizeCloudTrail } from '../../../../shared/core/normalize/aws/cloudtrail.js';
import { NormalizeError } from '../../../../shared/core/normalize/errors.js';
import { readFixtureJson } from '../../../support/fixtures.js';
import { docsRecord, normalizeAws } from './harness.js';

/** A real record to break: the root console sign-in of the AWS docs. */
const rootLogin = () => docsRecord('cloudtrail_console_signin_examples.jsonl', 6);
const origin = { location: 's3://trail/AWSLogs/111122223333/file.json.gz', index: 7 };

function errorOf(value: unknown): NormalizeError {
  try {
    normalizeCloudTrail(value, origin);
  } catch (error) {
    if (error instanceof NormalizeError) return error;
    throw error;
  }
  throw new Error('expected a NormalizeError, got an event');
}

describe('malformed CloudTrail records', () => {
  it.each([
    ['missing eventTime', (r: Record<string, unknown>) => delete r.eventTime, 'eventTime', /missing/],
    ['garbage eventTime', (r: Record<string, unknown>) => (r.eventTime = 'yesterday-ish'), 'eventTime', /not an ISO/],
    ['bare digit eventTime', (r: Record<string, unknown>) => (r.eventTime = '7'), 'eventTime', /not an ISO/],
    ['impossible date', (r: Record<string, unknown>) => (r.eventTime = '2022-13-45T99:00:00Z'), 'eventTime', /not a/],
    ['numeric eventTime', (r: Record<string, unknown>) => (r.eventTime = 1668097474), 'eventTime', /ISO 8601 string/],
    ['userIdentity a string', (r: Record<string, unknown>) => (r.userIdentity = 'root'), 'userIdentity', /object/],
    ['missing userIdentity', (r: Record<string, unknown>) => delete r.userIdentity, 'userIdentity', /missing/],
    ['missing eventName', (r: Record<string, unknown>) => delete r.eventName, 'eventName', /missing/],
    ['eventSource an object', (r: Record<string, unknown>) => (r.eventSource = {}), 'eventSource', /string/],
    [
      'userName an array',
      (r: Record<string, unknown>) => ((r.userIdentity as Record<string, unknown>).userName = []),
      'userIdentity.userName',
      /string/,
    ],
    ['resources not a list', (r: Record<string, unknown>) => (r.resources = 'all'), 'resources', /array/],
  ])('%s → NormalizeError naming the field and origin', (_name, breakIt, field, reason) => {
    const record = rootLogin();
    breakIt(record);
    const error = errorOf(record);
    expect(error.field).toBe(field);
    expect(error.reason).toMatch(reason);
    expect(error.format).toBe('aws.cloudtrail');
    expect(error.origin).toEqual(origin);
    expect(error.message).toContain('s3://trail/AWSLogs/111122223333/file.json.gz#7');
    expect(error.message).toContain(`field ${field}`);
  });

  it('rejects a non-object record', () => {
    expect(errorOf('ConsoleLogin').field).toBe('(record)');
    expect(errorOf([rootLogin()]).field).toBe('(record)');
  });

  it('caps hostile text quoted in the message', () => {
    const record = rootLogin();
    record.eventTime = `x${'A'.repeat(100_000)}`;
    expect(errorOf(record).message.length).toBeLessThan(400);
  });

  it('names a CloudTrail Insights record instead of complaining about its missing principal', () => {
    const file = readFixtureJson<{ Records: unknown[] }>(
      'aws/aws-docs-cc-by-sa/cloudtrail-log-file-examples/example07_insights.json',
    );
    const error = errorOf(file.Records[0]);
    expect(error.field).toBe('eventType');
    expect(error.reason).toMatch(/Insights/);
  });

  it('a trimmed real record without eventTime fails on eventTime (cloud-custodian bedrock sample)', () => {
    const location = 'aws/cloud-custodian/event-cloud-trail-bedrock-create-customization-jobs.json';
    let caught: unknown;
    try {
      normalizeAws(readFixtureJson(location), { location });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(NormalizeError);
    expect((caught as NormalizeError).field).toBe('eventTime');
    expect((caught as NormalizeError).message).toContain(location);
  });
});

describe('records without eventID', () => {
  it('get a deterministic content id, independent of key order', () => {
    const record = rootLogin();
    delete record.eventID;
    const first = normalizeCloudTrail(record, origin);
    const reordered = Object.fromEntries(Object.entries(structuredClone(record)).reverse());
    const second = normalizeCloudTrail(reordered, { location: 'elsewhere' });
    expect(first.nativeId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(first.id).toBe(`aws:${first.nativeId}`);
    expect(second.id).toBe(first.id);
  });

  it('different records get different ids', () => {
    const a = rootLogin();
    const b = rootLogin();
    delete a.eventID;
    delete b.eventID;
    b.sourceIPAddress = '198.51.100.7';
    expect(normalizeCloudTrail(a, origin).id).not.toBe(normalizeCloudTrail(b, origin).id);
  });

  it('a pathologically deep record is a NormalizeError, not a stack overflow', () => {
    const record = rootLogin();
    delete record.eventID;
    let deep: unknown = 'bottom';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    record.requestParameters = { deep };
    const error = errorOf(record);
    expect(error.field).toBe('eventID');
  });
});
