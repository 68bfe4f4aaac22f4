import type { OperationalAlert } from './alerts.js';
import type { Violation, ViolationKind } from './compliance.js';
import { type DrillResult, failureSummary, formatMs } from './drill/steps.js';
import type { OpenAlert } from './health.js';

/**
 * Which alert each assurance finding raises: a failed drill pages for real (it is not a drill page:
 * the path that pages for break-glass use is broken), a pipeline trouble pages, a compliance violation
 * opens a low-urgency ticket.
 */

/** "Drill failed for aws-prod-root: page not within 2 min: …". */
export function drillFailureAlert(result: DrillResult): OperationalAlert {
  const step = result.steps.find((s) => s.status === 'failed');
  return {
    id: `drill.failed:${result.drillId}`,
    mode: 'page',
    severity: 'high',
    cloud: result.cloud,
    title: step
      ? `Drill failed for ${result.account}: ${step.step} not within ${formatMs(step.boundMs)}`
      : `Drill failed for ${result.account}: ${result.reason ?? 'see the drill result'}`,
    facts: [
      { label: 'Account', value: result.account },
      { label: 'Drill', value: `${result.drillId} (${result.runtime})` },
      { label: 'Started', value: result.startedAt },
      { label: 'What failed', value: failureSummary(result) ?? 'unknown' },
      ...(result.incidentId ? [{ label: 'Drill incident', value: result.incidentId }] : []),
      ...result.steps.map((s) => ({
        label: `Step ${s.step}`,
        value: `${s.status}${s.latencyMs === undefined ? '' : ` after ${formatMs(s.latencyMs)}`}: ${s.detail}`,
      })),
    ],
    steps: [
      'Break-glass use of this account may not page: treat it as an outage of the alerting path.',
      'Find the failed step above; check the ingest function, the incident table and the responders (dead-letter queues, vendor credentials).',
      'Run "glasswatch drill --account <id>" again once fixed; the drill result is stored.',
    ],
    timestamp: result.startedAt,
  };
}

/** A silent source or a failing part of the pipeline, from the heartbeat check. */
const HEALTH_STEPS: Readonly<Record<OpenAlert['kind'], string[]>> = {
  'pipeline.silent': [
    'Break-glass use through this source is not being seen.',
    'Check the source end to end: trail or sink still logging, forwarder or subscription in place, the ingest function running without errors.',
  ],
  'pipeline.failing': [
    'Look at the failing queue or function logs; redrive dead-lettered input once the cause is fixed.',
  ],
  'pipeline.misconfigured': [
    'A delivery path is not as deployed: restore the setting named (redeploy the stack, StartLogging, recreate the sink or diagnostic setting).',
    'Look for the audit.tamper incident of the change; if there is none, find who changed it and why it was not seen.',
  ],
};

export function healthAlert(alert: OpenAlert, nowMs: number): OperationalAlert {
  return {
    id: alert.alertId,
    mode: 'page',
    severity: 'high',
    cloud: alert.cloud,
    title: `${alert.kind}: ${alert.summary}`,
    facts: [
      { label: 'Since', value: alert.sinceMs === 0 ? 'never seen' : new Date(alert.sinceMs).toISOString() },
      ...alert.facts,
    ],
    steps: HEALTH_STEPS[alert.kind],
    timestamp: new Date(alert.sinceMs === 0 ? nowMs : alert.sinceMs).toISOString(),
    ...(alert.viaFallback ? { viaFallback: true } : {}),
  };
}

const VIOLATION_STEPS: Readonly<Record<ViolationKind, string[]>> = {
  'rotation-overdue': [
    'Rotate the credential of this break-glass account (password, and keys if any) and store it in the vault.',
    'Check the rotation shows up in the audit logs (it should appear as an account change in Glasswatch).',
  ],
  'rotation-after-opening': [
    'The credential was read from its store: ask the reader (in the facts) what for, then rotate it and re-seal it in the store.',
    'Check the rotation shows up in the audit logs (an account change on this account in Glasswatch).',
  ],
  'drill-overdue': ['Run a drill: "glasswatch drill --account <id>", or declare a drill window and sign in during it.'],
  'mfa-not-seen': [
    'Find out why the last sign-in used no MFA (or why the log cannot tell), and enforce MFA on the account.',
  ],
  'unused-a-year': [
    'Confirm the account is still needed, its owners are current, and the credential can still be retrieved.',
  ],
};

/** One low-urgency ticket per (account, kind, period). */
export function complianceAlert(violation: Violation, nowMs: number): OperationalAlert {
  return {
    id: `compliance:${violation.account}:${violation.kind}:${violation.period}`,
    mode: 'ticket',
    severity: 'low',
    cloud: violation.cloud,
    title: `Break-glass compliance: ${violation.summary}`,
    facts: [...violation.facts, { label: 'Check', value: violation.kind }],
    steps: VIOLATION_STEPS[violation.kind],
    timestamp: new Date(nowMs).toISOString(),
  };
}
