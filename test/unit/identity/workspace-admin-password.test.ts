import { describe, expect, it } from 'vitest';
import { detect } from '../../../shared/core/detect/index.js';
import { normalizeGcpLogEntry } from '../../../shared/core/normalize/gcp/index.js';
import { normalizeReportsActivity } from '../../../shared/core/normalize/gcp/reports-activity.js';
import { parseRegistry, RegistryMatcher } from '../../../shared/core/registry/index.js';
import { readFixtureJsonl } from '../../support/fixtures.js';

/**
 * A Workspace administrator resetting the super admin's password (admin audit "User Settings"
 * CHANGE_PASSWORD, CHANGE_PASSWORD_ON_NEXT_LOGIN, as Cloud Logging and the Reports API write them) is a change to the
 * account `USER_EMAIL` names, not to the administrator; the super admin resetting someone else is its
 * activity. The super admin's own recovery has no Reports API event (README, registry limitations).
 */
const FILE = 'gcp/written-from-docs/workspace_admin_password.jsonl';
/** Each event in both spellings: a Cloud Logging `entry`, or a Reports API `activity`. */
const rows = readFixtureJsonl<{ name: string; expect: string | null; entry?: unknown; activity?: unknown }>(FILE);
const matcher = new RegistryMatcher(
  parseRegistry('accounts: [{ id: gws-super, cloud: gcp, match: { email: breakglass@example.com } }]', 'gws.yaml'),
);

describe('Workspace admin password resets', () => {
  it.each(rows.map((r, i) => [r.name, r, i] as const))('%s', (_, row, i) => {
    const origin = { location: FILE, line: i + 1 };
    const event = row.entry ? normalizeGcpLogEntry(row.entry, origin) : normalizeReportsActivity(row.activity, origin);
    const findings = detect(event, matcher).findings.map((f) => [f.kind, f.account]);
    expect(findings).toEqual(row.expect === null ? [] : [[row.expect, 'gws-super']]);
  });
});
