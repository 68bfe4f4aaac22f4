import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountFacts } from '../../../shared/core/assure/compliance.js';
import { parseRegistry } from '../../../shared/core/registry/index.js';
import {
  type LocalStack,
  lambdaContext,
  s3Notification,
  sqsEvent,
  sqsRecord,
  startLocalStack,
} from './support/stack.js';
import { logFile, noise, recordsOf } from './support/trail-records.js';

/**
 * The backfill's Lambda steps against s3rver, driven as the state machine drives them: `plan` lists the
 * organization trail's accounts and Regions and writes the day prefixes of the range; each prefix is
 * listed (as the Distributed Map's ItemReader does, ListObjectsV2) and handed over in batches (its
 * ItemBatcher). Real-shaped (Stratus Red Team) log files over four days, one unreadable object, and a file
 * the live path already read: its events count once.
 */

const SESSION_ARN = 'arn:aws:iam::056392974792:user/christophe';
const OTHER_ARN = 'arn:aws:iam::017622104382:user/christophe';
const REGISTRY = `
accounts:
  - { id: bg-session, cloud: aws, match: { arn: "${SESSION_ARN}" } }
  - { id: bg-other, cloud: aws, match: { arn: "${OTHER_ARN}" } }
`;
const ORG = 'AWSLogs/o-exampleorg1';
const RESULTS = 'glasswatch-backfill';
const key = (account: string, region: string, date: string, name: string) =>
  `${ORG}/${account}/CloudTrail/${region}/${date}/${account}_CloudTrail_${region}_${date.replaceAll('/', '')}T1200Z_${name}.json.gz`;

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;
type SqsHandler = (event: SQSEvent, context: ReturnType<typeof lambdaContext>) => Promise<SQSBatchResponse>;

let stack: LocalStack;
const session = recordsOf(SESSION_ARN);
const other = recordsOf(OTHER_ARN);
const filler = noise(30, [SESSION_ARN, OTHER_ARN]);

beforeAll(async () => {
  stack = await startLocalStack(REGISTRY, {
    GLASSWATCH_TRAIL_BUCKET: 'org-trail',
    GLASSWATCH_BACKFILL_BUCKET: RESULTS,
  });
  await stack.s3.createBucket(RESULTS);
  await stack.useFreshTables();
  const put = (k: string, body: Buffer | string) => stack.s3.put(stack.bucket, k, body);
  await put(key('056392974792', 'us-east-1', '2024/07/31', 'before'), logFile([...filler, ...other.slice(0, 5)]));
  await put(key('056392974792', 'us-east-1', '2024/08/01', 'a'), logFile([...filler, ...session.slice(0, 20)]));
  await put(key('056392974792', 'us-east-1', '2024/08/01', 'b'), logFile(session.slice(15, 40)));
  await put(key('056392974792', 'eu-west-1', '2024/08/02', 'c'), logFile([...session.slice(40), ...filler]));
  await put(key('017622104382', 'us-east-1', '2024/08/02', 'd'), logFile(other.slice(5)));
  await put(key('017622104382', 'us-east-1', '2024/08/02', 'broken'), Buffer.from([0x1f, 0x8b, 0x08, 0, 1, 2, 3]));
  await put(`${ORG}/017622104382/CloudTrail-Digest/us-east-1/2024/08/02/digest.json.gz`, 'not a log');
  await put(key('017622104382', 'us-east-1', '2024/08/03', 'after'), logFile(other.slice(0, 5)));
});

afterAll(async () => {
  await stack?.close();
});

/** What Step Functions hands a child execution: ListObjectsV2 items, batched, with the BatchInput. */
async function batchesOf(prefix: string, size: number) {
  const listed = await stack.s3.client.send(new ListObjectsV2Command({ Bucket: stack.bucket, Prefix: prefix }));
  const items = (listed.Contents ?? []).map((o) => ({
    Key: o.Key,
    Etag: o.ETag,
    Size: o.Size,
    LastModified: o.LastModified?.toISOString(),
    StorageClass: o.StorageClass,
  }));
  const batches = [];
  for (let i = 0; i < items.length; i += size) {
    batches.push({ Items: items.slice(i, i + size), BatchInput: { bucket: stack.bucket } });
  }
  return batches;
}

describe('backfill steps', () => {
  it('reads every object of the date range once, names the unreadable one, and counts events the live path saw once', async () => {
    // The live path read one of the files first.
    const live = (await import('../../../functions/ingest/s3-log-files.js')) as unknown as { handler: SqsHandler };
    const liveKey = key('056392974792', 'us-east-1', '2024/08/01', 'b');
    const liveRun = await live.handler(
      sqsEvent([sqsRecord(s3Notification(stack.bucket, liveKey, 'live-1'), 'live-1')]),
      lambdaContext(),
    );
    expect(liveRun.batchItemFailures).toEqual([]);

    const { handler } = (await import('../../../functions/ingest/backfill.js')) as unknown as { handler: Handler };
    const plan = (await handler({ plan: { since: '2024-08-01', until: '2024-08-02' } }, lambdaContext())) as {
      bucket: string;
      manifestKey: string;
      prefixes: number;
    };
    const manifest = JSON.parse(
      (await (
        await stack.s3.client.send(new GetObjectCommand({ Bucket: plan.bucket, Key: plan.manifestKey }))
      ).Body?.transformToString()) ?? 'null',
    ) as { bucket: string; prefix: string }[];
    expect(plan.bucket).toBe(RESULTS);
    // Two accounts × their Regions (us-east-1, eu-west-1 for one; us-east-1 for the other) × two days.
    expect(manifest.map((m) => m.prefix).sort()).toEqual(
      [
        `${ORG}/017622104382/CloudTrail/us-east-1/2024/08/01/`,
        `${ORG}/017622104382/CloudTrail/us-east-1/2024/08/02/`,
        `${ORG}/056392974792/CloudTrail/eu-west-1/2024/08/01/`,
        `${ORG}/056392974792/CloudTrail/eu-west-1/2024/08/02/`,
        `${ORG}/056392974792/CloudTrail/us-east-1/2024/08/01/`,
        `${ORG}/056392974792/CloudTrail/us-east-1/2024/08/02/`,
      ].sort(),
    );
    expect(plan.prefixes).toBe(6);

    const failures: string[] = [];
    let objects = 0;
    for (const { prefix } of manifest) {
      for (const batch of await batchesOf(prefix, 1)) {
        try {
          objects += ((await handler(batch, lambdaContext())) as { objects: number }).objects;
        } catch (error) {
          expect((error as Error).name).toBe('UnreadableObjectsError');
          failures.push((error as Error).message);
        }
      }
    }
    expect(objects).toBe(4);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain(`s3://org-trail/${key('017622104382', 'us-east-1', '2024/08/02', 'broken')}`);

    const incidents = await stack.repository().listIncidents();
    const sessionIncident = incidents.filter((i) => i.account === 'bg-session');
    expect(sessionIncident).toHaveLength(1);
    expect(new Set(sessionIncident[0]?.events.map((e) => e.id))).toEqual(
      new Set(session.map((r) => `aws:${r.eventID}`)),
    );
    expect(sessionIncident[0]?.events).toHaveLength(session.length);
    // Assurance reads the store: after the backfill, last use comes from the history.
    const account = parseRegistry(REGISTRY, 'registry.yaml').accounts.find((a) => a.id === 'bg-session');
    if (!account) throw new Error('registry lost bg-session');
    const lastUse = Math.max(...session.map((r) => Date.parse(String(r.eventTime))));
    expect(accountFacts(account, incidents, []).lastRealUseMs).toBe(lastUse);
    // Days outside the range were not read: only file d's events of the other principal.
    const otherEvents = incidents.filter((i) => i.account === 'bg-other').flatMap((i) => i.events.map((e) => e.id));
    expect(new Set(otherEvents)).toEqual(new Set(other.slice(5).map((r) => `aws:${r.eventID}`)));
  });

  it('refuses a plan whose range ends before it starts, and a batch of another shape', async () => {
    const { handler } = (await import('../../../functions/ingest/backfill.js')) as unknown as { handler: Handler };
    await expect(handler({ plan: { since: '2024-08-03', until: '2024-08-01' } }, lambdaContext())).rejects.toThrow(
      /since 2024-08-03 is after until 2024-08-01/,
    );
    await expect(handler({ Items: [], BatchInput: { bucket: 'b' } }, lambdaContext())).rejects.toThrow();
  });
});
