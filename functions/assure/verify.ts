import type { Context } from 'aws-lambda';
import { createAssuranceRuntime } from '../../shared/runtime/assure/aws.js';
import { runVerify, stackChecks } from '../../shared/runtime/assure/verify.js';
import { verifyClouds } from '../../shared/runtime/assure/verify-clouds.js';
import { COUNT, withPowertools } from '../../shared/runtime/aws/observability.js';

/**
 * Scheduled (hourly by default): `glasswatch verify` on the deployed stack. Reads the trail, the
 * forwarding rules of every forwarder Region and the trail bucket's notification back, and, when the
 * stack has the GCP or Azure poller, the GCP sink, topic and push subscription and the Azure diagnostic
 * settings with the pollers' credentials; pages `pipeline.misconfigured` once per setting that is not
 * as deployed, and resolves it when a later run sees it fixed.
 */
const runtime = createAssuranceRuntime();
const registry = runtime.ingest.matcher.registry;
const { traced } = runtime.ingest.observability;
const ingestBusArn = process.env.GLASSWATCH_INGEST_BUS_ARN || undefined;
const clouds = verifyClouds(process.env, (id) => runtime.secrets.resolve({ secretsManager: id }));
const check = stackChecks(registry, clouds, {
  wrap: traced,
  ...(ingestBusArn ? { ingestBusArn } : {}),
});

async function verify(_event: unknown, _context: Context) {
  const { store, alerts } = runtime;
  const result = await runVerify({ store, alerts, check }, Date.now());
  const { logger, metrics } = runtime.ingest.observability;
  metrics.addMetric('PlumbingChecksFailed', COUNT, result.results.filter((r) => r.status === 'fail').length);
  metrics.addMetric('PipelineAlertsUndelivered', COUNT, result.undelivered.length);
  for (const r of result.results) if (r.status !== 'pass') logger.warn('plumbing check', { ...r });
  return { opened: result.opened.length, resolved: result.resolved.length, undelivered: result.undelivered.length };
}

export const handler = withPowertools(verify, runtime.ingest.observability);
