import { describe, expect, it } from 'vitest';
import { detect } from '../../../../shared/core/detect/engine.js';
import type { AuditEvent } from '../../../../shared/core/model/audit-event.js';
import { normalizeAzureDiagnostic } from '../../../../shared/core/normalize/azure/index.js';
import { parseRegistry, RegistryMatcher } from '../../../../shared/core/registry/index.js';
import { readFixtureJsonl } from '../../../support/fixtures.js';

const FILE = 'azure/written-from-docs/entra_conditional_access.jsonl';
const event = (name: string): AuditEvent => {
  const rows = readFixtureJsonl<{ name: string; record: unknown }>(FILE);
  const line = rows.findIndex((r) => r.name === name);
  return normalizeAzureDiagnostic(rows[line]?.record, { location: FILE, line: line + 1 });
};
const registry = (caExclusionGroups: string) =>
  new RegistryMatcher(
    parseRegistry(
      `accounts: [{ id: entra-ea1, cloud: azure, match: { userPrincipalName: ea1@contoso.com }, caExclusionGroups: [${caExclusionGroups}] }]`,
      'ca.yaml',
    ),
  );
const WITH_GROUP = registry('"3C9E1F2A-7B6D-4E5C-8A9B-0C1D2E3F4A5B"');
const findings = (name: string, matcher = WITH_GROUP) =>
  detect(event(name), matcher).findings.filter((f) => f.ruleId === 'ca-exclusion-change');

describe('ca-exclusion-change', () => {
  it('reads the policy exclusions before and after from the ConditionalAccessPolicy property', () => {
    expect(event('exclusion-added-beside').conditionalAccess).toEqual({
      policy: 'Require MFA for all users',
      before: { users: [], groups: ['3c9e1f2a-7b6d-4e5c-8a9b-0c1d2e3f4a5b'] },
      after: { users: ['7d6c5b4a-3928-4716-a5b4-c3d2e1f0a9b8'], groups: ['3c9e1f2a-7b6d-4e5c-8a9b-0c1d2e3f4a5b'] },
      included: { before: { all: true, users: [], roles: [] }, after: { all: true, users: [], roles: [] } },
      enforced: { before: true, after: true },
    });
  });

  it('fires high on the emergency account when its exclusion is removed (lockout risk)', () => {
    expect(findings('exclusion-removed')).toMatchObject([
      { kind: 'account.change', account: 'entra-ea1', severity: 'high' },
    ]);
  });

  it('fires critical when others are excluded beside the emergency account', () => {
    expect(findings('exclusion-added-beside')).toMatchObject([{ account: 'entra-ea1', severity: 'critical' }]);
  });

  it('fires high when a new enforced policy applies to the emergency account without excluding it (lockout risk)', () => {
    for (const name of ['policy-added-without-exclusion', 'policy-added-global-admins']) {
      const [finding] = findings(name);
      expect(finding, name).toMatchObject({ account: 'entra-ea1', severity: 'high' });
      expect(finding?.note, name).toBe(
        'Conditional Access policy Require MFA for all users added on entra-ea1 without excluding it (lockout risk)',
      );
    }
  });

  it('fires high when a report-only policy without the exclusion is switched on, spelled as the reference does', () => {
    const [finding] = findings('policy-enabled-reference-spelling');
    expect(finding).toMatchObject({ account: 'entra-ea1', severity: 'high' });
    expect(finding?.note).toContain('now enforced on entra-ea1 without excluding it');
  });

  it('does not fire on a new policy that excludes the account, is report-only, or names only groups', () => {
    for (const name of ['policy-added-with-exclusion', 'policy-added-report-only', 'policy-added-for-a-group']) {
      expect(findings(name), name).toEqual([]);
    }
  });

  it('does not fire on a policy that never excluded the emergency account, or for an unregistered group', () => {
    expect(findings('unrelated-update')).toEqual([]);
    expect(findings('exclusion-removed', registry('"00000000-0000-4000-8000-000000000000"'))).toEqual([]);
  });
});
