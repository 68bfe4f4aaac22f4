import { ruleContext } from '../../detect/engine.js';
import { correlationKey } from '../../detect/findings.js';
import { NORMALIZERS } from '../../normalize/index.js';
import { type BreakGlassAccount, RegistryMatcher } from '../../registry/index.js';
import type { DrillEvent } from './record.js';

/**
 * The correlation key the drill's incident opens under, by the same resolution the rules use: `acct:<id>`,
 * or for an entry that is a pattern (`arn:aws:iam::*:root`) `acct:<id>/<the drill's concrete principal>`.
 *
 * @example
 * const key = drillCorrelationKey(account, drillEvent(account, { drillId, now }));
 */
export function drillCorrelationKey(account: BreakGlassAccount, event: DrillEvent): string {
  const { format, record, drillId } = event.detail;
  const audit = NORMALIZERS[format](record, { location: `drill:${drillId}` });
  const matcher = new RegistryMatcher({
    defaults: { sessionGapMinutes: 60 },
    accounts: [account],
    drills: [],
    groups: [],
  });
  return correlationKey({ account }, audit, ruleContext(audit, matcher));
}
