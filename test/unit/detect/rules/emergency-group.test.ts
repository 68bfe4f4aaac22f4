import { describe, expect, it } from 'vitest';
import { pageMessage } from '../../../../shared/core/act/render/page.js';
import { openIncident } from '../../../../shared/core/correlate/session.js';
import { detect } from '../../../../shared/core/detect/engine.js';
import type { AuditEvent } from '../../../../shared/core/model/audit-event.js';
import type { Finding } from '../../../../shared/core/model/finding.js';
import { normalizeCloudTrail } from '../../../../shared/core/normalize/aws/cloudtrail.js';
import { normalizeAzureDiagnostic } from '../../../../shared/core/normalize/azure/index.js';
import { normalizeGcpLogEntry } from '../../../../shared/core/normalize/gcp/index.js';
import { parseRegistry, RegistryMatcher } from '../../../../shared/core/registry/index.js';
import { readFixtureJsonl } from '../../../support/fixtures.js';

/**
 * The "empty emergency group" (Entra, Google Workspace, IAM Identity Center) and the Entra Conditional
 * Access exclusion group: a member added is critical, a removal is a change (high).
 */

const matcher = new RegistryMatcher(
  parseRegistry(
    `accounts:
  - id: entra-ea1
    cloud: azure
    match: { userPrincipalName: ea1@contoso.com }
    caExclusionGroups: ["3c9e1f2a-7b6d-4e5c-8a9b-0c1d2e3f4a5b"]
groups:
  - { id: entra-emergency-admins, cloud: azure, match: { groupId: "6A1D3E5F-2B4C-4D8E-9F10-1A2B3C4D5E6F" } }
  - { id: idc-emergency, cloud: aws, match: { groupId: "9067a5b1c2-7afcdc23-0bd4-4fb7-b2ff-10ccffd1a2b3" } }
  - { id: workspace-emergency, cloud: gcp, match: { groupEmail: Admins@example.com } }
`,
    'groups.yaml',
  ),
);

const ENTRA = 'azure/written-from-docs/entra_group_membership.jsonl';
const IDC = 'aws/written-from-docs/identity_center_group_membership.jsonl';
const entra = (name: string): AuditEvent => {
  const rows = readFixtureJsonl<{ name: string; record: unknown }>(ENTRA);
  const line = rows.findIndex((r) => r.name === name);
  return normalizeAzureDiagnostic(rows[line]?.record, { location: ENTRA, line: line + 1 });
};
const idc = (name: string): AuditEvent => {
  const rows = readFixtureJsonl<{ name: string; event: unknown }>(IDC);
  const line = rows.findIndex((r) => r.name === name);
  return normalizeCloudTrail(rows[line]?.event, { location: IDC, line: line + 1 });
};
/** Panther's "User Added to Privileged Group" test record: a real Workspace ADD_GROUP_MEMBER entry. */
const workspace = (groupEmail?: string): AuditEvent => {
  const row = readFixtureJsonl<{ test_name: string; log: Record<string, unknown> }>(
    'gcp/panther/panther_tests_gcp_auditlog.logentry-rows.jsonl',
  ).find((r) => r.test_name === 'User Added to Privileged Group');
  const log = structuredClone(row?.log) as Record<string, unknown>;
  if (groupEmail) {
    const text = JSON.stringify(log).replace('admins@example.com', groupEmail);
    return normalizeGcpLogEntry(JSON.parse(text), { location: 'panther' });
  }
  return normalizeGcpLogEntry(log, { location: 'panther' });
};
const findings = (event: AuditEvent) => detect(event, matcher).findings.filter((f) => f.ruleId === 'emergency-group');

describe('emergency-group', () => {
  it('fires critical when a member is added to a registered Entra emergency group (ids compared case-insensitively)', () => {
    const [finding] = findings(entra('add-to-emergency-group'));
    expect(finding).toMatchObject({ kind: 'account.change', account: 'entra-emergency-admins', severity: 'critical' });
    const page = pageMessage(openIncident(finding as Finding, matcher), 'opened');
    expect(page.severity).toBe('critical');
    expect(page.facts.find((f) => f.label === 'Flags')?.value).toBe(
      'member added to group Emergency Global Admins (6a1d3e5f-2b4c-4d8e-9f10-1a2b3c4d5e6f): mallory@contoso.com',
    );
  });

  it('fires high (account.change) when a member is removed', () => {
    expect(findings(entra('remove-from-emergency-group'))).toMatchObject([
      { kind: 'account.change', account: 'entra-emergency-admins', severity: 'high' },
    ]);
  });

  it('fires critical on the emergency account when someone joins its Conditional Access exclusion group', () => {
    expect(findings(entra('add-to-ca-exclusion'))).toMatchObject([{ account: 'entra-ea1', severity: 'critical' }]);
  });

  it('the emergency account itself joining its exclusion group is a change (high), not a way around', () => {
    const event = entra('add-to-ca-exclusion');
    const record = JSON.parse(JSON.stringify(event.raw).replace('mallory@contoso.com', 'EA1@contoso.com'));
    const itself = normalizeAzureDiagnostic(record, { location: ENTRA });
    expect(findings(itself)).toMatchObject([{ account: 'entra-ea1', severity: 'high' }]);
    // account-change fires on the same event (the account is its target): the incident keeps one high change.
    expect(detect(itself, matcher).findings.map((f) => [f.ruleId, f.severity])).toEqual([
      ['account-change', undefined],
      ['emergency-group', 'high'],
    ]);
  });

  it('fires on Identity Center group membership (identitystore and sso-directory)', () => {
    expect(findings(idc('create-membership'))).toMatchObject([{ account: 'idc-emergency', severity: 'critical' }]);
    expect(findings(idc('add-member-sso-directory'))).toMatchObject([{ severity: 'critical' }]);
    expect(findings(idc('remove-member-sso-directory'))).toMatchObject([{ severity: 'high' }]);
  });

  it('fires on a Workspace ADD_GROUP_MEMBER to the registered group e-mail', () => {
    expect(findings(workspace())).toMatchObject([{ account: 'workspace-emergency', severity: 'critical' }]);
  });

  it('does not fire for a group the registry does not name', () => {
    expect(findings(entra('add-to-other-group'))).toEqual([]);
    expect(findings(idc('create-membership-other-group'))).toEqual([]);
    expect(findings(workspace('marketing@example.com'))).toEqual([]);
  });
});
