import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { daySegments, regionPrefixes } from '../../adapters/aws/trail-layout.js';
import { settingsReader } from '../settings.js';
import { s3Client } from './clients.js';
import { ConfigError } from './errors.js';
import { createTrailObjects, type ObjectSummary, type TrailObjects } from './trail-objects.js';

/**
 * The backfill of an organization trail (Step Functions, infra/template.yaml `BackfillStateMachine`):
 * `plan` lists the accounts and Regions the bucket holds logs of and writes one `{bucket, prefix}` per
 * day of the range to a manifest the outer Distributed Map reads; each inner Distributed Map lists one
 * day prefix (ItemReader ListObjectsV2) and hands batches of objects to `readBatch`, which is the
 * s3-log-files code (same idempotency, correlator and publication): an event the live path already saw
 * counts once, by its event id.
 */

/** The backfill's own variables (kept out of config.ts: every other bundle would carry them). */
const readBackfillSettings = settingsReader({
  /** The organization trail's bucket (empty: no trail bucket, only the event-history sweep). */
  GLASSWATCH_TRAIL_BUCKET: z.string().trim().default(''),
  /** The trail's key prefix, ending in AWSLogs/. */
  GLASSWATCH_TRAIL_PREFIX: z.string().trim().default('AWSLogs/'),
  /** Where the day manifests go (and Step Functions writes its results). */
  GLASSWATCH_BACKFILL_BUCKET: z.string().trim().min(1, 'must be set'),
});

const DATE = z.string().regex(/^\d{4}-\d\d-\d\d$/, 'a date YYYY-MM-DD');
const ACCOUNT = z.string().regex(/^\d{12}$/, 'a 12-digit account id');
const REGION = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'a Region such as eu-west-1');

/** What `glasswatch backfill` (or the console) starts an execution with. */
export const backfillPlanInput = z
  .object({
    since: DATE,
    until: DATE.optional(),
    accounts: z.array(ACCOUNT).optional(),
    regions: z.array(REGION).optional(),
  })
  .strict();

/** One batch of the inner Distributed Map: ItemReader ListObjectsV2 items, ItemBatcher's BatchInput. */
export const backfillBatchInput = z.object({
  Items: z.array(z.object({ Key: z.string().min(1), Etag: z.string().optional() }).loose()).min(1),
  BatchInput: z.object({ bucket: z.string().min(1) }),
});

export type BackfillPlanInput = z.output<typeof backfillPlanInput>;
export type BackfillBatchInput = z.output<typeof backfillBatchInput>;

export interface BackfillPlan {
  bucket: string;
  manifestKey: string;
  /** Day prefixes in the manifest (accounts × Regions × days). */
  prefixes: number;
  since: string;
  until: string;
}

export interface BatchSummary {
  objects: number;
  records: number;
  findings: number;
  changes: number;
}

/** Objects of a batch that could not be read, each named with its reason; the readable ones were recorded. */
export class UnreadableObjectsError extends Error {
  override readonly name = 'UnreadableObjectsError';
  constructor(readonly failures: readonly string[]) {
    super(
      `${failures.length} object(s) of this batch could not be read:\n${failures.map((f) => `  - ${f}`).join('\n')}`,
    );
  }
}

export interface Backfill {
  objects: TrailObjects;
  plan(input: BackfillPlanInput, nowMs?: number): Promise<BackfillPlan>;
  readBatch(input: BackfillBatchInput, context: Context): Promise<BatchSummary>;
}

export function createBackfill(
  env: Readonly<Record<string, string | undefined>> = process.env,
  objects: TrailObjects = createTrailObjects(env),
  s3: S3Client = s3Client(objects.runtime.observability),
): Backfill {
  const settings = readBackfillSettings(env, [
    'GLASSWATCH_TRAIL_BUCKET',
    'GLASSWATCH_TRAIL_PREFIX',
    'GLASSWATCH_BACKFILL_BUCKET',
  ]);
  return {
    objects,
    async plan(input, nowMs = Date.now()) {
      const bucket = settings.GLASSWATCH_TRAIL_BUCKET;
      if (!bucket) {
        throw new ConfigError([
          'GLASSWATCH_TRAIL_BUCKET: no organization trail bucket (TrailBucketName); start the backfill with {"lookupEvents": true} instead',
        ]);
      }
      const today = new Date(nowMs).toISOString().slice(0, 10);
      const until = input.until ?? today;
      if (input.since > until) throw new RangeError(`since ${input.since} is after until ${until}`);
      const regions = await regionPrefixes(s3, bucket, settings.GLASSWATCH_TRAIL_PREFIX, {
        ...(input.accounts ? { accounts: input.accounts } : {}),
        ...(input.regions ? { regions: input.regions } : {}),
      });
      const days = daySegments(input.since, until);
      const items = regions.flatMap((region) => days.map((day) => ({ bucket, prefix: `${region}${day}` })));
      const manifestKey = `backfill/manifests/${input.since}_${until}_${nowMs}.json`;
      await s3.send(
        new PutObjectCommand({
          Bucket: settings.GLASSWATCH_BACKFILL_BUCKET,
          Key: manifestKey,
          Body: JSON.stringify(items),
          ContentType: 'application/json',
        }),
      );
      objects.runtime.observability.logger.info('backfill planned', { regions: regions.length, days: days.length });
      return {
        bucket: settings.GLASSWATCH_BACKFILL_BUCKET,
        manifestKey,
        prefixes: items.length,
        since: input.since,
        until,
      };
    },
    async readBatch(input, context) {
      const writes = input.Items.map((item) => ({
        bucket: input.BatchInput.bucket,
        key: item.Key,
        ...(item.Etag ? { eTag: item.Etag.replaceAll('"', '') } : {}),
      }));
      const { read, unreadable } = await objects.readObjects(writes, context);
      if (unreadable.length > 0) throw new UnreadableObjectsError(unreadable);
      return summarize(read);
    },
  };
}

function summarize(read: readonly ObjectSummary[]): BatchSummary {
  return {
    objects: read.length,
    records: read.reduce((n, s) => n + s.records, 0),
    findings: read.reduce((n, s) => n + s.findings, 0),
    changes: read.reduce((n, s) => n + s.changes, 0),
  };
}
