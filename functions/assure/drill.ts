import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { createAssuranceRuntime, drillAccounts, runAwsDrill } from '../../shared/runtime/assure/aws.js';
import { withPowertools } from '../../shared/runtime/aws/observability.js';

/**
 * Scheduled (EventBridge Scheduler): drills break-glass accounts end to end on the deployed stack and
 * stores each result; a failed drill pages for real. Input `{ "accounts": ["aws-prod-root"] }`, or `{}`
 * for GLASSWATCH_DRILL_ACCOUNTS (every registry account when unset). Drills of different accounts run
 * side by side. Not retried by Lambda: a retry would be a second drill; the next schedule is.
 */
const runtime = createAssuranceRuntime();

const input = z.object({ accounts: z.array(z.string().min(1).max(64)).max(50).optional() }).loose();

async function drill(event: unknown, _context: Context) {
  const parsed = input.parse(event ?? {});
  const results = await Promise.all(drillAccounts(runtime, parsed.accounts).map((a) => runAwsDrill(runtime, a)));
  return results.map((r) => ({ account: r.account, drillId: r.drillId, status: r.status }));
}

export const handler = withPowertools(drill, runtime.ingest.observability);
