import type { Context } from 'aws-lambda';
import { createAssuranceRuntime } from '../../shared/runtime/assure/aws.js';
import { runComplianceCheck } from '../../shared/runtime/assure/compliance-check.js';
import { COUNT, withPowertools } from '../../shared/runtime/aws/observability.js';

/**
 * Scheduled (daily): rotation, drill, MFA and use of every break-glass account; a low-urgency ticket per
 * violation, once per (account, kind, period) however often this runs.
 */
const runtime = createAssuranceRuntime();

async function complianceCheck(_event: unknown, _context: Context) {
  const { violations, tickets } = await runComplianceCheck({ ...runtime.sources, alerts: runtime.alerts }, Date.now());
  const { logger, metrics } = runtime.ingest.observability;
  metrics.addMetric('ComplianceViolations', COUNT, violations.length);
  const undelivered = tickets.filter((t) => !t.report.complete);
  metrics.addMetric('ComplianceTicketsUndelivered', COUNT, undelivered.length);
  for (const v of violations)
    logger.warn('compliance violation', { account: v.account, kind: v.kind, period: v.period });
  return { violations: violations.length, undelivered: undelivered.length };
}

export const handler = withPowertools(complianceCheck, runtime.ingest.observability);
