import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Context, SQSRecord } from 'aws-lambda';
import { readS3LogObject, s3Uri } from '../../adapters/aws/s3-log-object.js';
import { cloudTrailObjectKind, parseS3Notification, type S3ObjectNotice } from '../../adapters/aws/s3-notification.js';
import { s3Client } from './clients.js';
import { readSettings } from './config.js';
import { UnreadableInputError } from './errors.js';
import { createIngestRuntime, detect, type IngestRuntime, recordDetection, recordHealth } from './ingest-runtime.js';
import { COUNT, createObservability, METRIC } from './observability.js';

/**
 * CloudTrail log files from the organization trail's bucket: S3 ObjectCreated → SQS → this code, one
 * SQS message at a time so a bad message never blocks the others (partial batch response). Each object
 * is read once per write (Powertools idempotency on bucket, key, version and sequencer, records expire
 * by TTL): a duplicate notification or a whole-batch retry does not read 50 MB again.
 */

/** What one object yielded; stored as the idempotency record's result. */
export interface ObjectSummary {
  location: string;
  records: number;
  findings: number;
  /** Well-formed records of a kind not read (CloudTrail Insights): counted, not errors. */
  skipped: number;
  errors: number;
  changes: number;
}

/** An object is not started with less time left than this: it is handed back to the queue instead. */
export const OBJECT_START_MARGIN_MS = 120_000;

export class NotEnoughTimeError extends Error {
  override readonly name = 'NotEnoughTimeError';
  constructor(location: string, remainingMs: number) {
    super(
      `${location}: not started, ${Math.round(remainingMs / 1000)} s left in this invocation; the message returns to the queue`,
    );
  }
}

export interface TrailObjects {
  runtime: IngestRuntime;
  idempotency: IdempotencyConfig;
  /** Handles one SQS message; throws to report it in batchItemFailures. */
  handleMessage(record: SQSRecord, context: Context): Promise<void>;
  /**
   * Reads objects one after another (the backfill's batches): every readable one is recorded, each
   * unreadable one is returned by its error message (which names it); throws only when out of time.
   */
  readObjects(
    objects: readonly ObjectWrite[],
    context: Context,
  ): Promise<{ read: ObjectSummary[]; unreadable: string[] }>;
}

/** Object identity for idempotency: the same write notified twice hashes the same; an overwrite does not. */
export type ObjectWrite = Pick<S3ObjectNotice, 'bucket' | 'key' | 'versionId' | 'sequencer' | 'eTag'>;

export function createTrailObjects(
  env: Readonly<Record<string, string | undefined>> = process.env,
  runtime: IngestRuntime = createIngestRuntime(env, createObservability()),
  s3: S3Client = s3Client(runtime.observability),
): TrailObjects {
  const settings = readSettings(env, ['GLASSWATCH_IDEMPOTENCY_TABLE', 'GLASSWATCH_IDEMPOTENCY_HOURS']);
  const { logger, metrics } = runtime.observability;
  const idempotency = new IdempotencyConfig({ expiresAfterSeconds: settings.GLASSWATCH_IDEMPOTENCY_HOURS * 3600 });

  const readObject = async (write: ObjectWrite): Promise<ObjectSummary> => {
    const location = s3Uri(write);
    const detection = await detect(runtime, async (pipeline) => {
      const { compressedBytes } = await readS3LogObject(
        s3,
        write,
        (chunk, container) => pipeline.chunk(chunk, container, location),
        undefined,
        pipeline.screen,
      );
      metrics.addMetric(METRIC.bytesRead, COUNT, compressedBytes);
    });
    // The heartbeat and coverage (never throws) are written while the incidents are: neither waits for the other.
    const health = recordHealth(runtime, 'aws.s3', { lastSeen: detection.lastSeen, errors: detection.errors.kept });
    let changes: Awaited<ReturnType<typeof recordDetection>>;
    try {
      // Damage inside a readable file is logged per record; a file with nothing readable at all fails.
      if (detection.counts.events === 0 && detection.errors.count > 0) {
        throw new UnreadableInputError(location, detection.errors.count, detection.errors.first);
      }
      changes = await recordDetection(runtime, detection);
    } finally {
      await health;
    }
    return {
      location,
      records: detection.counts.records,
      findings: detection.findings.length,
      skipped: detection.counts.skipped,
      errors: detection.errors.count,
      changes: changes.length,
    };
  };
  const readOnce = makeIdempotent(readObject, {
    persistenceStore: new DynamoDBPersistenceLayer({
      tableName: settings.GLASSWATCH_IDEMPOTENCY_TABLE,
      awsSdkV3Client: runtime.clients.dynamo,
    }),
    config: idempotency,
  });

  /** One object of the trail: skipped unless a log file, not started without time left, read once per write. */
  const readOne = async (object: ObjectWrite, context: Context): Promise<ObjectSummary | undefined> => {
    const location = s3Uri(object);
    const kind = cloudTrailObjectKind(object.key);
    if (kind !== 'log') {
      metrics.addMetric(METRIC.objectsSkipped, COUNT, 1);
      logger.debug('object skipped', { location, kind });
      return undefined;
    }
    const remaining = context.getRemainingTimeInMillis();
    if (remaining < OBJECT_START_MARGIN_MS) throw new NotEnoughTimeError(location, remaining);
    try {
      const summary = await readOnce(object);
      metrics.addMetric(METRIC.objectsRead, COUNT, 1);
      logger.info('object read', { ...summary });
      return summary;
    } catch (error) {
      metrics.addMetric(METRIC.objectsFailed, COUNT, 1);
      logger.error('object failed', { location, error: (error as Error).message });
      throw error;
    }
  };

  return {
    runtime,
    idempotency,
    async handleMessage(record, context) {
      const notification = parseS3Notification(record.body, record.messageId);
      if (notification.kind === 'test') {
        logger.info('S3 test event: the bucket notification reaches this queue', { bucket: notification.bucket });
        return;
      }
      for (const line of notification.ignored) logger.debug('notification ignored', { notification: line });
      for (const object of notification.objects) {
        await readOne(
          {
            bucket: object.bucket,
            key: object.key,
            versionId: object.versionId,
            sequencer: object.sequencer,
            eTag: object.eTag,
          },
          context,
        );
      }
    },
    async readObjects(objects, context) {
      const read: ObjectSummary[] = [];
      const unreadable: string[] = [];
      for (const object of objects) {
        try {
          const summary = await readOne(object, context);
          if (summary) read.push(summary);
        } catch (error) {
          // Out of time: the whole batch is retried, and the objects already read are not read again.
          if (error instanceof NotEnoughTimeError) throw error;
          unreadable.push((error as Error).message);
        }
      }
      return { read, unreadable };
    },
  };
}
