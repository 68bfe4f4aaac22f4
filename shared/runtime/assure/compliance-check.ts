import type { DeliveryReport } from '../../core/act/report.js';
import {
  accountFacts,
  type CompliancePolicy,
  evaluateCompliance,
  type Violation,
} from '../../core/assure/compliance.js';
import { complianceAlert } from '../../core/assure/notices.js';
import type { AlertSender } from './alert-sender.js';
import { type AssuranceSources, gatherFacts } from './facts.js';

export interface ComplianceCheckResult {
  violations: Violation[];
  /** One per violation: the ticket (or its fallback) as delivered now or earlier. */
  tickets: { alertId: string; report: DeliveryReport }[];
}

/**
 * The daily compliance check: every registry account against rotation, drill, MFA and use, a
 * low-urgency ticket per violation. The alert id is (account, kind, period), so the ledger opens each
 * ticket once however often the check runs.
 *
 * @example
 * const { violations } = await runComplianceCheck({ ...sources, alerts }, Date.now());
 */
export async function runComplianceCheck(
  deps: AssuranceSources & { alerts: AlertSender; policy?: CompliancePolicy },
  nowMs: number,
): Promise<ComplianceCheckResult> {
  const facts = await gatherFacts(deps, nowMs);
  const violations = deps.registry.accounts.flatMap((account) =>
    evaluateCompliance(
      account,
      accountFacts(account, facts.incidents, facts.drills),
      facts.observedSinceMs,
      nowMs,
      deps.policy,
    ),
  );
  const tickets: ComplianceCheckResult['tickets'] = [];
  for (const violation of violations) {
    const alert = complianceAlert(violation, nowMs);
    tickets.push({ alertId: alert.id, report: await deps.alerts.send(alert) });
  }
  return { violations, tickets };
}
