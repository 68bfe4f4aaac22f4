import type { Context } from 'aws-lambda';
import { withPowertools } from '../../shared/runtime/aws/observability.js';
import { createGcpLambdaPoller } from '../../shared/runtime/pollers/gcp-lambda.js';

/**
 * Scheduled (EventBridge Scheduler, every 5 minutes, one at a time): reads Cloud Logging audit entries
 * matching the registry filter by `receiveTimestamp`, from the stored cursor minus a 15-minute overlap,
 * and turns them into incidents. Catch-up after an outage, and the only GCP path for teams that run no
 * function in GCP. A failed poll commits nothing; the next one reads the same window again.
 */
const poller = createGcpLambdaPoller();

async function poll(_event: unknown, context: Context): Promise<{ outcome: string; changes: number }> {
  const report = await poller.poll(context.getRemainingTimeInMillis());
  return { outcome: report.outcome, changes: report.changes.length };
}

export const handler = withPowertools(poll, poller.runtime.observability);
