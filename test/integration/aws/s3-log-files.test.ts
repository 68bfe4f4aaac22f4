import { gzipSync } from 'node:zlib';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoAssuranceStore } from '../../../shared/adapters/dynamodb/assurance-store.js';
import { readFixtureText } from '../../support/fixtures.js';
import {
  type LocalStack,
  lambdaContext,
  s3Notification,
  sqsEvent,
  sqsRecord,
  startLocalStack,
} from './support/stack.js';
import { logFile, noise, recordsOf, trailKey } from './support/trail-records.js';

/**
 * The S3 path end to end, in process: SQS event (real shape) → handler → s3rver object (gzip) →
 * detection → correlator on dynalite → PutEvents (stubbed). Registry principals are Stratus Red Team
 * operators whose recorded CloudTrail records are in the fixture.
 */

const SESSION_ARN = 'arn:aws:iam::056392974792:user/christophe'; // 56 API calls within one minute
const REDELIVERY_ARN = 'arn:aws:iam::017622104382:user/christophe';
const POISON_ARN = 'arn:aws:iam::309303190113:user/christophe';
const WATCHED = [SESSION_ARN, REDELIVERY_ARN, POISON_ARN];

const REGISTRY = `
accounts:
  - { id: bg-session, cloud: aws, match: { arn: "${SESSION_ARN}" } }
  - { id: bg-redelivery, cloud: aws, match: { arn: "${REDELIVERY_ARN}" } }
  - { id: bg-poison, cloud: aws, match: { arn: "${POISON_ARN}" } }
`;

type Handler = (event: SQSEvent, context: ReturnType<typeof lambdaContext>) => Promise<SQSBatchResponse>;

let stack: LocalStack;
let handler: Handler;

beforeAll(async () => {
  stack = await startLocalStack(REGISTRY);
});
afterAll(async () => {
  await stack?.close();
});
beforeEach(async () => {
  await stack.useFreshTables();
  ({ handler } = (await import('../../../functions/ingest/s3-log-files.js')) as unknown as { handler: Handler });
});

async function putObject(name: string, account: string, body: Buffer): Promise<string> {
  const key = trailKey(account, name);
  await stack.s3.put(stack.bucket, key, body);
  return key;
}

function message(key: string, id: string, sequencer = id) {
  return sqsRecord(s3Notification(stack.bucket, key, sequencer), id);
}

describe('s3-log-files handler', () => {
  it('opens exactly one incident, every event counted once, when many invocations carry overlapping parts of one session', async () => {
    const session = recordsOf(SESSION_ARN);
    expect(session).toHaveLength(56);
    const filler = noise(40, WATCHED);
    // 12 log files, each a different overlapping slice of the session among unrelated records.
    const keys = await Promise.all(
      Array.from({ length: 12 }, (_, w) => {
        const slice = session.filter((_, i) => (i + w) % 3 !== 0 || i % 7 === w % 7);
        return putObject(`part${w}`, '056392974792', logFile([...filler.slice(w, w + 10), ...slice]));
      }),
    );
    const results = await Promise.all(
      keys.map((key, w) => handler(sqsEvent([message(key, `msg-${w}`)]), lambdaContext())),
    );

    expect(results.flatMap((r) => r.batchItemFailures)).toEqual([]);
    const incidents = (await stack.repository().listIncidents()).filter((i) => i.account === 'bg-session');
    expect(incidents).toHaveLength(1);
    const ids = incidents[0]?.events.map((e) => e.id) ?? [];
    expect(ids).toHaveLength(56);
    expect(new Set(ids)).toEqual(new Set(session.map((r) => `aws:${r.eventID}`)));

    const changes = (await stack.published()).filter((p) => p.detail.incident.account === 'bg-session');
    expect(changes.filter((c) => c.detailType === 'Glasswatch Incident Opened')).toHaveLength(1);
    // Each event was announced exactly once across all the changes the writers published.
    const announced = changes.flatMap((c) => c.detail.newEvents.map((e) => e.id));
    expect(announced.sort()).toEqual([...ids].sort());
  });

  it('records the heartbeat and the coverage of what an object held beside its incidents', async () => {
    const records = recordsOf(SESSION_ARN);
    const key = await putObject('health', '056392974792', logFile(records));
    const result = await handler(sqsEvent([message(key, 'health')]), lambdaContext());
    expect(result.batchItemFailures).toEqual([]);
    expect((await stack.repository().listIncidents()).filter((i) => i.account === 'bg-session')).toHaveLength(1);
    const store = new DynamoAssuranceStore(stack.dynamo.client, stack.tableName);
    const times = records.map((r) => Date.parse(String(r.eventTime)));
    const coverage = (await store.listCoverage()).filter((c) => c.path === 'aws.s3');
    expect(coverage.length).toBeGreaterThan(0);
    expect(Math.max(...coverage.map((c) => c.lastSeenMs))).toBe(Math.max(...times));
    expect(Math.min(...coverage.map((c) => c.firstSeenMs))).toBe(Math.min(...times));
    expect(coverage.map((c) => c.scope)).toContain('056392974792');
    const heartbeats = await store.listHeartbeats();
    expect(Math.max(...heartbeats.map((h) => h.lastSeenMs))).toBe(Math.max(...times));
  });

  it('changes nothing when the same SQS batch is delivered twice', async () => {
    const records = recordsOf(REDELIVERY_ARN);
    const keys = await Promise.all([
      putObject('a', '017622104382', logFile(records.slice(0, 20))),
      putObject('b', '017622104382', logFile(records.slice(15))),
      putObject('c', '017622104382', logFile(noise(30, WATCHED))),
    ]);
    const batch = sqsEvent(keys.map((key, i) => message(key, `redeliver-${i}`)));

    const first = await handler(batch, lambdaContext());
    const afterFirst = await stack.repository().listIncidents();
    const publishedFirst = (await stack.published()).length;
    const second = await handler(batch, lambdaContext());

    expect(first.batchItemFailures).toEqual([]);
    expect(second.batchItemFailures).toEqual([]);
    expect(publishedFirst).toBeGreaterThan(0);
    expect(await stack.published()).toHaveLength(publishedFirst);
    expect(await stack.repository().listIncidents()).toEqual(afterFirst);
    const incident = afterFirst.find((i) => i.account === 'bg-redelivery');
    expect(incident?.events).toHaveLength(records.length);
  });

  it('changes nothing on redelivery even after the idempotency record expired (the correlator dedups per event)', async () => {
    const records = recordsOf(REDELIVERY_ARN);
    const key = await putObject('expired', '017622104382', logFile(records));
    await handler(sqsEvent([message(key, 'once')]), lambdaContext());
    const before = (await stack.published()).length;
    // Another write of the same object (a new sequencer) is read again: same events, no change.
    const again = await handler(sqsEvent([message(key, 'twice', 'newer-sequencer')]), lambdaContext());
    expect(again.batchItemFailures).toEqual([]);
    expect(await stack.published()).toHaveLength(before);
  });

  it('reports poisoned messages in batchItemFailures and processes the others', async () => {
    const good = await putObject('good', '309303190113', logFile([...noise(5, WATCHED), ...recordsOf(POISON_ARN)]));
    const corrupt = await putObject(
      'corrupt',
      '309303190113',
      Buffer.concat([gzipSync('{"Records":[').subarray(0, 12), Buffer.from('not gzip at all')]),
    );
    const notJson = await putObject('garbage', '309303190113', gzipSync('this is not a CloudTrail log file\n'));
    const missing = trailKey('309303190113', 'never-written');
    const digest = 'AWSLogs/o-exampleorg1/309303190113/CloudTrail-Digest/us-east-1/2024/08/02/digest.json.gz';

    const result = await handler(
      sqsEvent([
        message(corrupt, 'corrupt-gzip'),
        message(good, 'good'),
        message(missing, 'missing-object'),
        message(notJson, 'not-json'),
        sqsRecord('{"definitely": "not an S3 notification"}', 'not-a-notification'),
        sqsRecord(readFixtureText('aws-events/aws-docs-cc-by-sa/s3-test-event.json'), 's3-test-event'),
        message(digest, 'digest-skipped'),
      ]),
      lambdaContext(),
    );

    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(
      ['corrupt-gzip', 'missing-object', 'not-a-notification', 'not-json'].sort(),
    );
    const incident = (await stack.repository().listIncidents()).find((i) => i.account === 'bg-poison');
    expect(incident?.events).toHaveLength(recordsOf(POISON_ARN).length);
  });

  it('reads a file with some damaged records and counts the readable ones', async () => {
    const records = recordsOf(POISON_ARN);
    const key = await putObject(
      'damaged',
      '309303190113',
      logFile([{ eventVersion: '1.08', eventName: 7 }, ...records, 'scalar']),
    );
    const result = await handler(sqsEvent([message(key, 'damaged')]), lambdaContext());
    expect(result.batchItemFailures).toEqual([]);
    const incident = (await stack.repository().listIncidents()).find((i) => i.account === 'bg-poison');
    expect(incident?.events).toHaveLength(records.length);
  });

  it('skips and counts the CloudTrail Insights records of a log file (AWS docs example): no batch failure', async () => {
    const insights = JSON.parse(
      readFixtureText('aws/aws-docs-cc-by-sa/cloudtrail-log-file-examples/example07_insights.json'),
    ) as { Records: unknown[] };
    const records = recordsOf(POISON_ARN);
    const key = await putObject('insights', '309303190113', logFile([...insights.Records, ...records]));
    const addMetric = vi.spyOn(Metrics.prototype, 'addMetric');
    try {
      const result = await handler(sqsEvent([message(key, 'insights')]), lambdaContext());
      expect(result.batchItemFailures).toEqual([]);
      const counted = addMetric.mock.calls.filter(([name]) => name === 'RecordsSkipped').map(([, , n]) => n);
      expect(counted).toEqual([insights.Records.length]);
      expect(addMetric.mock.calls.some(([name]) => name === 'RecordErrors')).toBe(false);
    } finally {
      addMetric.mockRestore();
    }
    const incident = (await stack.repository().listIncidents()).find((i) => i.account === 'bg-poison');
    expect(incident?.events).toHaveLength(records.length);
  });

  it('does not fail an object holding only Insights records (nothing to read is not unreadable)', async () => {
    const text = readFixtureText('aws/aws-docs-cc-by-sa/cloudtrail-log-file-examples/example07_insights.json');
    const key = await putObject('only-insights', '309303190113', gzipSync(text));
    const result = await handler(sqsEvent([message(key, 'only-insights')]), lambdaContext());
    expect(result.batchItemFailures).toEqual([]);
    expect(await stack.repository().listIncidents()).toEqual([]);
  });

  it('hands a message back to the queue instead of starting an object without enough time left', async () => {
    const key = await putObject('late', '309303190113', logFile(recordsOf(POISON_ARN)));
    const result = await handler(sqsEvent([message(key, 'late')]), lambdaContext(30_000));
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'late' }]);
    expect(await stack.repository().listIncidents()).toEqual([]);
  });

  it('reads a key S3 URL-encoded in the notification (spaces as +)', async () => {
    const key = await putObject('with space', '309303190113', logFile(recordsOf(POISON_ARN)));
    expect(key).toContain(' ');
    const result = await handler(sqsEvent([message(key, 'spaced')]), lambdaContext());
    expect(result.batchItemFailures).toEqual([]);
    expect((await stack.repository().listIncidents()).some((i) => i.account === 'bg-poison')).toBe(true);
  });
});
