import type { Context } from 'aws-lambda';
import { withPowertools } from '../../shared/runtime/aws/observability.js';
import { createEventHubLambda } from '../../shared/runtime/pollers/event-hub-lambda.js';

/**
 * Scheduled (EventBridge Scheduler, every minute, one at a time): receives the Entra and Activity
 * diagnostic-settings stream from Event Hubs for ~50 s and turns it into incidents, checkpointing each
 * partition only after its batch is correlated and published. Latency: Entra's own (minutes) plus at
 * most a minute; the Log Analytics poller remains the catch-up path.
 */
const consumer = createEventHubLambda();

async function consume(_event: unknown, context: Context): Promise<{ events: number; changes: number }> {
  const report = await consumer.consume(context.getRemainingTimeInMillis());
  return { events: report.events, changes: report.changes.length };
}

export const handler = withPowertools(consume, consumer.runtime.observability);
