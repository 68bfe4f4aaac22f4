import { parser } from '@aws-lambda-powertools/parser/middleware';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { withPowertools } from '../../shared/runtime/aws/observability.js';
import { createSweeper } from '../../shared/runtime/aws/sweeper.js';

/**
 * Scheduled (EventBridge Scheduler): looks up break-glass activity and tamper actions in CloudTrail
 * event history of every configured Region over a trailing window. A manual run may pass a wider
 * window, e.g. `{"windowMinutes": 1440}` after an EventBridge outage (event history keeps 90 days).
 */
const sweeper = createSweeper();

const sweepInput = z.object({
  windowMinutes: z
    .number()
    .int()
    .min(1)
    .max(90 * 24 * 60)
    .optional(),
});

async function sweep(input: z.output<typeof sweepInput>, _context: Context): Promise<void> {
  const result = await sweeper.sweep(input.windowMinutes ? { windowMinutes: input.windowMinutes } : {});
  sweeper.runtime.observability.logger.info('sweep done', {
    window: result.window,
    regions: sweeper.regions.length,
    queries: result.queries,
    records: result.records,
    findings: result.findings,
    changes: result.changes.length,
  });
}

export const handler = withPowertools(sweep, sweeper.runtime.observability).use(parser({ schema: sweepInput }));
