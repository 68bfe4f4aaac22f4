import { parser } from '@aws-lambda-powertools/parser/middleware';
import { SqsSchema } from '@aws-lambda-powertools/parser/schemas/sqs';
import type { Context, SQSBatchResponse, SQSRecord } from 'aws-lambda';
import type { z } from 'zod';
import { withPowertools } from '../../shared/runtime/aws/observability.js';
import { createResponderRuntime } from '../../shared/runtime/aws/responders.js';

/**
 * Incident changes (EventBridge incident bus → SQS) → pages, tickets and notifications. Delivery is
 * idempotent per incident and action (DynamoDB ledger): a redelivered change re-sends only what is
 * missing. A message whose incident is not fully delivered returns to the queue, then dead-letters.
 */
const runtime = createResponderRuntime();

async function respond(event: z.output<typeof SqsSchema>, context: Context): Promise<SQSBatchResponse> {
  return runtime.handleBatch(event.Records as SQSRecord[], context);
}

export const handler = withPowertools(respond, runtime.observability).use(parser({ schema: SqsSchema }));
