import type { Context } from 'aws-lambda';
import { readSettings } from '../../shared/runtime/aws/config.js';
import { createIngestRuntime } from '../../shared/runtime/aws/ingest-runtime.js';
import { withPowertools } from '../../shared/runtime/aws/observability.js';
import { closeEndedSessions } from '../../shared/runtime/aws/sessions.js';

/**
 * Scheduled (EventBridge Scheduler): closes emergency sessions whose gap has passed and publishes any
 * incident change that was stored but never published (the reconciler of the publication ledger).
 */
const runtime = createIngestRuntime();
const { GLASSWATCH_RECONCILE_DAYS } = readSettings(process.env, ['GLASSWATCH_RECONCILE_DAYS']);

async function closeSessions(_event: unknown, _context: Context): Promise<{ closed: number; reconciled: number }> {
  const { closed, reconciled } = await closeEndedSessions(runtime, GLASSWATCH_RECONCILE_DAYS, Date.now());
  return { closed: closed.length, reconciled: reconciled.length };
}

export const handler = withPowertools(closeSessions, runtime.observability);
