import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsCommandOutput,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { type AwsStub, mockClient } from 'aws-sdk-client-mock';
import { vi } from 'vitest';
import type { IncidentChangeDetail } from '../../../../shared/adapters/aws/eventbridge-publisher.js';
import { DynamoIncidentRepository } from '../../../../shared/adapters/dynamodb/incident-repository.js';
import {
  createIdempotencyTable,
  ensureTable,
  type LocalDynamo,
  startLocalDynamo,
} from '../../../../shared/adapters/dynamodb/local-dynalite.js';
import { ruleInfoOf } from '../../../../shared/core/act/render/ticket.js';
import { RULES } from '../../../../shared/core/detect/rules/index.js';
import { parseRegistry } from '../../../../shared/core/registry/index.js';
import { putEventsAsDocumented } from '../../../support/eventbridge-contract.js';
import { readFixtureJson } from '../../../support/fixtures.js';
import { type LocalS3, startLocalS3 } from './local-s3.js';

/**
 * The local stand-in for the stack: dynalite (incident and idempotency tables), s3rver (the trail
 * bucket), the registry as the build writes it (registry.json), the environment the template sets,
 * and an SDK-level stub of EventBridge PutEvents (no local server exists) that records every entry.
 * Handlers are imported AFTER `useFreshTables`, exactly as Lambda imports them after setting the environment.
 */
export interface LocalStack {
  dynamo: LocalDynamo;
  s3: LocalS3;
  eventBridge: EventBridgeStub;
  bucket: string;
  tableName: string;
  repository(): DynamoIncidentRepository;
  /** Every incident change EventBridge accepted so far, in order. */
  published(): Promise<{ detailType: string; detail: IncidentChangeDetail }[]>;
  /** Creates new tables, points the environment at them and re-imports nothing: call before importing a handler. */
  useFreshTables(): Promise<void>;
  close(): Promise<void>;
}

type EventBridgeStub = AwsStub<object, PutEventsCommandOutput, unknown>;

let tableCounter = 0;

export async function startLocalStack(registryYaml: string, env: Record<string, string> = {}): Promise<LocalStack> {
  const dynamo = await startLocalDynamo({ tableName: 'incidents-0' });
  const s3 = await startLocalS3();
  const bucket = 'org-trail';
  await s3.createBucket(bucket);
  const dir = await mkdtemp(join(tmpdir(), 'glasswatch-stack-'));
  const registryPath = join(dir, 'registry.json');
  await writeFile(registryPath, JSON.stringify(parseRegistry(registryYaml, 'test-registry.yaml')));
  // The responders' runbooks beside it, as the build writes them.
  await writeFile(join(dir, 'rule-info.json'), JSON.stringify(ruleInfoOf(RULES)));

  const eventBridge = mockClient(EventBridgeClient);
  acceptAll(eventBridge);

  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    // s3rver checks signatures against these; dynalite accepts any.
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    GLASSWATCH_INCIDENT_BUS: 'glasswatch-incidents',
    GLASSWATCH_REGISTRY_PATH: registryPath,
    POWERTOOLS_SERVICE_NAME: 'glasswatch-test',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    ...env,
  });

  const stack: LocalStack = {
    dynamo,
    s3,
    eventBridge,
    bucket,
    tableName: '',
    repository: () => new DynamoIncidentRepository(dynamo.client, stack.tableName),
    published: async () => {
      const accepted: PutEventsRequestEntry[] = [];
      for (const call of eventBridge.commandCalls(PutEventsCommand)) {
        const output = (await Promise.resolve(call.returnValue).catch(() => undefined)) as
          | PutEventsCommandOutput
          | undefined;
        const entries = call.args[0].input.Entries ?? [];
        entries.forEach((entry, i) => {
          if (output && !output.Entries?.[i]?.ErrorCode) accepted.push(entry);
        });
      }
      return accepted.map((entry) => ({
        detailType: entry.DetailType ?? '',
        detail: JSON.parse(entry.Detail ?? '{}') as IncidentChangeDetail,
      }));
    },
    async useFreshTables() {
      tableCounter++;
      stack.tableName = `incidents-${tableCounter}`;
      const idempotencyTable = `idempotency-${tableCounter}`;
      await ensureTable(dynamo.client, stack.tableName);
      await createIdempotencyTable(dynamo.client, idempotencyTable);
      process.env.GLASSWATCH_TABLE = stack.tableName;
      process.env.GLASSWATCH_IDEMPOTENCY_TABLE = idempotencyTable;
      eventBridge.resetHistory();
      vi.resetModules();
    },
    async close() {
      eventBridge.restore();
      await s3.close();
      await dynamo.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return stack;
}

/** PutEvents accepts every entry, as EventBridge normally does, within its documented request limits. */
export function acceptAll(eventBridge: EventBridgeStub): void {
  eventBridge.reset();
  eventBridge.on(PutEventsCommand).callsFake(putEventsAsDocumented());
}

/** A Lambda context whose clock is `remainingMs` from the deadline. */
export function lambdaContext(remainingMs = 900_000): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'glasswatch-test',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:glasswatch-test',
    memoryLimitInMB: '1769',
    awsRequestId: `request-${Math.random().toString(36).slice(2)}`,
    logGroupName: '/aws/lambda/glasswatch-test',
    logStreamName: 'test',
    getRemainingTimeInMillis: () => remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

const SQS_RECORD = readFixtureJson<SQSEvent>('aws-events/powertools/sqs-s3-notification.json').Records[0] as SQSRecord;

/** An SQS record as the Lambda poller delivers it (shape from the Powertools fixture), carrying `body`. */
export function sqsRecord(body: string, messageId: string): SQSRecord {
  return { ...SQS_RECORD, messageId, body, md5OfBody: createHash('md5').update(body).digest('hex') };
}

export function sqsEvent(records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

const S3_PUT = readFixtureJson<{ Records: Record<string, unknown>[] }>(
  'aws-events/aws-docs-cc-by-sa/s3-object-created-put.json',
);

/** The S3 ObjectCreated:Put notification of the AWS docs, for another bucket and key (URL-encoded as S3 does). */
export function s3Notification(bucket: string, key: string, sequencer: string): string {
  const record = structuredClone(S3_PUT.Records[0]) as {
    s3: { bucket: Record<string, unknown>; object: Record<string, unknown> };
  };
  record.s3.bucket.name = bucket;
  record.s3.bucket.arn = `arn:aws:s3:::${bucket}`;
  record.s3.object.key = encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');
  record.s3.object.sequencer = sequencer;
  delete record.s3.object.versionId;
  return JSON.stringify({ Records: [record] });
}
