import type { Context } from 'aws-lambda';
import { withPowertools } from '../../shared/runtime/aws/observability.js';
import { createAzureLambdaPoller } from '../../shared/runtime/pollers/azure-lambda.js';

/**
 * Scheduled (EventBridge Scheduler, every 5 minutes, one at a time): queries the Log Analytics
 * workspace for Entra sign-ins and directory changes of the break-glass accounts and for
 * diagnostic-setting deletes, by `ingestion_time()` from the stored cursor minus a 30-minute overlap,
 * and turns them into incidents. A failed poll commits nothing; the next one reads the same window again.
 */
const poller = createAzureLambdaPoller();

async function poll(_event: unknown, context: Context): Promise<{ outcome: string; changes: number }> {
  const report = await poller.poll(context.getRemainingTimeInMillis());
  return { outcome: report.outcome, changes: report.changes.length };
}

export const handler = withPowertools(poll, poller.runtime.observability);
