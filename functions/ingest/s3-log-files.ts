import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import { SqsSchema } from '@aws-lambda-powertools/parser/schemas/sqs';
import type { Context, SQSBatchResponse, SQSRecord } from 'aws-lambda';
import type { z } from 'zod';
import { withPowertools } from '../../shared/runtime/aws/observability.js';
import { createTrailObjects } from '../../shared/runtime/aws/trail-objects.js';

/**
 * CloudTrail log files of the organization trail: S3 ObjectCreated notifications arrive through SQS.
 * Messages are handled one after another (each object is CPU-bound gunzip + parse); a failing message
 * is reported in batchItemFailures and retried alone, then dead-lettered (alarmed).
 */
const objects = createTrailObjects();
const processor = new BatchProcessor(EventType.SQS);

async function ingestObjects(event: z.output<typeof SqsSchema>, context: Context): Promise<SQSBatchResponse> {
  objects.idempotency.registerLambdaContext(context);
  return processPartialResponse(
    event,
    (record: SQSRecord) => objects.handleMessage(record, context),
    processor,
    // The batch response is the contract even when every message failed: SQS retries exactly those.
    { context, processInParallel: false, throwOnFullBatchFailure: false },
  );
}

export const handler = withPowertools(ingestObjects, objects.runtime.observability).use(parser({ schema: SqsSchema }));
