import { parser } from '@aws-lambda-powertools/parser/middleware';
import { SqsSchema } from '@aws-lambda-powertools/parser/schemas/sqs';
import type { Context, SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import type { DeliveryReport } from '../../shared/core/act/report.js';
import { withPowertools } from '../../shared/runtime/aws/observability.js';
import { createResponderRuntime } from '../../shared/runtime/aws/responders.js';

/**
 * Two inputs, one function:
 * - the responders' SQS queue: incident changes and rotation evidence (incident bus → rule → SQS) and
 *   aftermath triggers (EventBridge Scheduler one-time schedules → SQS) → pages, tickets, reviews,
 *   rotations. Delivery is idempotent per incident and action (DynamoDB ledger): a redelivered message
 *   re-sends only what is missing; one not fully delivered returns to the queue, then dead-letters.
 * - its own schedule (`{"aftermath":"periodic"}`, every 15 min): rotations that came due are requested
 *   and overdue ones page, the backstop for a lost one-time schedule. A failed run is retried by
 *   Lambda, then lands in the schedule dead-letter queue (alarmed).
 */
const runtime = createResponderRuntime();

const periodicInput = z.object({ aftermath: z.literal('periodic') }).strict();
const input = z.union([SqsSchema, periodicInput]);

async function respond(
  event: z.output<typeof input>,
  context: Context,
): Promise<SQSBatchResponse | { totals: DeliveryReport['totals'] }> {
  if ('aftermath' in event) return { totals: (await runtime.runPeriodic(context)).totals };
  return runtime.handleBatch(event.Records as SQSRecord[], context);
}

export const handler = withPowertools(respond, runtime.observability).use(parser({ schema: input }));
