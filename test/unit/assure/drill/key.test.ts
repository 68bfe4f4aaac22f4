import { describe, expect, it } from 'vitest';
import { drillCorrelationKey } from '../../../../shared/core/assure/drill/key.js';
import { drillEvent } from '../../../../shared/core/assure/drill/record.js';
import { detect } from '../../../../shared/core/detect/index.js';
import { NORMALIZERS } from '../../../../shared/core/normalize/index.js';
import { parseRegistry, RegistryMatcher } from '../../../../shared/core/registry/index.js';

/** The drill runner looks for its incident under the key the rules give the drill's sign-in. */

const matcher = new RegistryMatcher(
  parseRegistry(
    `accounts:
  - { id: root-a, cloud: aws, match: { arn: "arn:aws:iam::111122223333:root" } }
  - { id: every-root, cloud: aws, match: { arn: "arn:aws:iam::*:root" } }
  - { id: bg-role, cloud: aws, match: { arn: "arn:aws-us-gov:iam::210987654321:role/ops/BreakGlass" } }
  - { id: entra, cloud: azure, match: { userPrincipalName: ea1@contoso.com } }
`,
    'drill.yaml',
  ),
);

describe('drillCorrelationKey', () => {
  it.each(['root-a', 'every-root', 'bg-role', 'entra'])('%s: the key of the drill sign-in’s finding', (id) => {
    const account = matcher.account(id);
    if (!account) throw new Error(id);
    const event = drillEvent(account, { drillId: 'd-000000000001', now: new Date('2026-03-02T12:00:00Z') });
    const audit = NORMALIZERS[event.detail.format](event.detail.record, { location: 'drill' });
    const [finding] = detect(audit, matcher).findings;
    expect(finding?.account).toBe(id);
    expect(drillCorrelationKey(account, event)).toBe(finding?.correlationKey);
  });

  it('a wildcard entry’s drill has a key of its own concrete principal', () => {
    const account = matcher.account('every-root');
    if (!account) throw new Error('every-root');
    const event = drillEvent(account, { drillId: 'd-000000000002', now: new Date('2026-03-02T12:00:00Z') });
    expect(drillCorrelationKey(account, event)).toMatch(/^acct:every-root\/aws:/);
  });
});
