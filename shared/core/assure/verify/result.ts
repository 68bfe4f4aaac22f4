import type { Cloud } from '../../model/audit-event.js';
import type { StoredCheck } from '../../ports/assurance-store.js';
import type { HealthSignal } from '../health.js';
import type { CheckRow } from '../report.js';

/**
 * `glasswatch verify` and the scheduled verify function read each delivery path's configuration with
 * the clouds' own APIs. Each check yields results; a failing result pages `pipeline.misconfigured`
 * once (keyed by the check and the setting), resolved when a later run sees it pass.
 */

export type CheckStatus = 'pass' | 'fail' | 'unchecked';

export interface CheckResult {
  /** Stable across runs: `aws.trail.logging`, `aws.rule.enabled#eu-west-1#glasswatch-…`. */
  key: string;
  cloud: Cloud;
  /** The setting verified, for the README and the report: "trail is logging". */
  setting: string;
  status: CheckStatus;
  /** What was seen, or why it could not be checked. Untrusted text from the cloud's answer. */
  detail: string;
}

export const pass = (cloud: Cloud, key: string, setting: string, detail = 'as deployed'): CheckResult => ({
  key,
  cloud,
  setting,
  status: 'pass',
  detail,
});
export const fail = (cloud: Cloud, key: string, setting: string, detail: string): CheckResult => ({
  key,
  cloud,
  setting,
  status: 'fail',
  detail,
});
export const unchecked = (cloud: Cloud, key: string, setting: string, detail: string): CheckResult => ({
  key,
  cloud,
  setting,
  status: 'unchecked',
  detail,
});

/** The detail of a check whose read failed (access denied, throttled, unreachable). */
export const couldNotRead = (error: unknown): string =>
  `could not read: ${error instanceof Error ? error.message : String(error)}`;

/**
 * Signals for the alert reconciliation: a failure is failing, a pass clears it. Unchecked settings
 * give no signal (an open alert stays open until the setting is seen passing).
 */
export function misconfigurationSignals(results: readonly CheckResult[]): HealthSignal[] {
  return results
    .filter((r) => r.status !== 'unchecked')
    .map((r) => ({
      key: `misconfigured:${r.key}`,
      kind: 'pipeline.misconfigured' as const,
      failing: r.status === 'fail',
      cloud: r.cloud,
      summary: `${r.setting}: ${r.detail}`,
      facts: [
        { label: 'Check', value: r.key },
        { label: 'Seen', value: r.detail },
      ],
    }));
}

/** 0 when every configured check passed; 6 when one failed; 7 when nothing could be checked. */
export function verifyExitCode(results: readonly CheckResult[]): 0 | 6 | 7 {
  if (results.some((r) => r.status === 'fail')) return 6;
  if (!results.some((r) => r.status === 'pass')) return 7;
  return 0;
}

/**
 * A stored result as the posture report shows it. A setting that could not be checked is `unknown` on
 * a cloud whose break-glass accounts the registry watches (its delivery path is not proven), `n/a` on
 * any other cloud.
 */
export function checkRow(check: StoredCheck, watched: ReadonlySet<Cloud>): CheckRow {
  const status = check.status === 'unchecked' ? (watched.has(check.cloud) ? 'unknown' : 'n/a') : check.status;
  return {
    path: check.cloud,
    check: check.setting,
    status,
    detail: check.detail,
    checkedAt: new Date(check.checkedAtMs).toISOString(),
  };
}
