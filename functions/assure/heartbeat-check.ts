import type { Context } from 'aws-lambda';
import { createAssuranceRuntime } from '../../shared/runtime/assure/aws.js';
import { deadLetterClient, deadLetterDepths } from '../../shared/runtime/assure/dead-letters.js';
import { runHeartbeatCheck } from '../../shared/runtime/assure/heartbeat-check.js';
import { COUNT, withPowertools } from '../../shared/runtime/aws/observability.js';

/**
 * Scheduled (every 5 minutes): the dead-man's switch. Pages `pipeline.silent` once per silent source,
 * `pipeline.failing` once per failing source and on every run for a non-empty dead-letter queue, and
 * resolves those pages when they clear.
 */
const runtime = createAssuranceRuntime();
const sqs = deadLetterClient(runtime.ingest.observability);

async function heartbeatCheck(_event: unknown, _context: Context) {
  const { settings, store, alerts } = runtime;
  const result = await runHeartbeatCheck(
    {
      store,
      alerts,
      expected: settings.GLASSWATCH_HEARTBEAT_SOURCES,
      thresholds: settings.GLASSWATCH_HEARTBEAT_THRESHOLDS,
      deadLetters: () =>
        deadLetterDepths(sqs, settings.GLASSWATCH_DEAD_LETTER_QUEUES, {
          pagerQueues: settings.GLASSWATCH_PAGER_DEAD_LETTER_QUEUES,
        }),
    },
    Date.now(),
  );
  const { logger, metrics } = runtime.ingest.observability;
  metrics.addMetric('PipelineAlertsOpened', COUNT, result.opened.length);
  metrics.addMetric('PipelineAlertsUndelivered', COUNT, result.undelivered.length);
  metrics.addMetric('PipelineAlertsRepeated', COUNT, result.repeated.length);
  for (const alert of result.opened) logger.error('pipeline alert', { alertId: alert.alertId, summary: alert.summary });
  for (const alert of result.resolved) logger.info('pipeline alert resolved', { alertId: alert.alertId });
  return { opened: result.opened.length, resolved: result.resolved.length, undelivered: result.undelivered.length };
}

export const handler = withPowertools(heartbeatCheck, runtime.ingest.observability);
