import { describe, expect, it } from 'vitest';
import { detect } from '../../../../shared/core/detect/engine.js';
import type { AuditEvent } from '../../../../shared/core/model/audit-event.js';
import type { Finding } from '../../../../shared/core/model/finding.js';
import { normalize, Skipped } from '../../../../shared/core/normalize/index.js';
import { parseRegistry, RegistryMatcher } from '../../../../shared/core/registry/index.js';
import { readFixtureJsonl } from '../../../support/fixtures.js';
import { VAULT_ROOT_ACCOUNT } from '../../../support/vault-registry.js';

/**
 * HashiCorp Vault audit device records (test/fixtures/vault/written-from-docs/audit.log): a read of the
 * registered KV path (v2 data path, v1 path, in its namespace) is `credential.access` on the owning
 * account, graded by the approval path (entity id, display name or policy); deletes, destroys and writes of
 * the named policies are `account.change`; other paths, metadata reads and other namespaces are not.
 */
const registry = new RegistryMatcher(
  parseRegistry(
    `
accounts:
${VAULT_ROOT_ACCOUNT}
  - id: entra-ea1
    cloud: azure
    match: { userPrincipalName: ea1@contoso.com }
    credential:
      stores: [{ vault: { path: kv1/breakglass/entra-ea1, namespace: admin, policies: [breakglass-reader] } }]
      approvedReaders: [breakglass-custodian]
`,
    'credential-vault.test.yaml',
  ),
);

const FILE = 'vault/written-from-docs/audit.log';
const lines = readFixtureJsonl<Record<string, unknown>>(FILE);

function event(line: number): AuditEvent {
  const result = normalize({ format: 'vault.audit', value: lines[line - 1], origin: { location: FILE, line } });
  if (result instanceof Skipped) throw new Error(`line ${line} skipped`);
  return result;
}

function findings(line: number, kind?: Finding['kind']): Finding[] {
  return detect(event(line), registry).findings.filter((f) => kind === undefined || f.kind === kind);
}

describe('credential-access: HashiCorp Vault', () => {
  it('a read of the v2 data path by the approved entity is a high opening on the owning account, in its cloud', () => {
    const [finding] = findings(2, 'credential.access');
    expect(finding).toMatchObject({
      account: 'aws-prod-root',
      cloud: 'aws',
      severity: 'high',
      principal: 'userpass-custodian',
      correlationKey: 'acct:aws-prod-root',
    });
    expect(finding?.title).toContain('read by an approved reader; HashiCorp Vault secret/data/breakglass/aws-root');
  });

  it('the same read by anyone else, with or without mount_point in the record, is critical', () => {
    const [finding] = findings(4, 'credential.access');
    expect(finding).toMatchObject({ account: 'aws-prod-root', severity: 'critical' });
    expect(finding?.title).toContain('credential read outside the approval path');
  });

  it('a denied read counts as an attempt and says so', () => {
    const [finding] = findings(6, 'credential.access');
    expect(finding).toMatchObject({ account: 'aws-prod-root', severity: 'critical', principal: 'approle' });
    expect(finding?.title).toMatch(/denied/);
  });

  it('another secret, a metadata read (versions, not the value) and the same path in another namespace are not', () => {
    expect(findings(7)).toEqual([]);
    expect(findings(8)).toEqual([]);
    expect(findings(11)).toEqual([]);
  });

  it('a v1 read in the declared namespace by a token carrying an approved policy is a high opening', () => {
    const [finding] = findings(10, 'credential.access');
    expect(finding).toMatchObject({ account: 'entra-ea1', cloud: 'azure', severity: 'high' });
    expect(finding?.title).toContain('read by an approved reader');
  });

  it('without a list every read is high and says the approval path is not declared', () => {
    const open = new RegistryMatcher(
      parseRegistry(
        `
accounts:
  - id: aws-prod-root
    cloud: aws
    match: { arn: "arn:aws:iam::111122223333:root" }
    credential: { stores: [{ vault: { path: secret/breakglass/aws-root, mount: secret } }] }
`,
        'open.yaml',
      ),
    );
    const [finding] = detect(event(4), open).findings;
    expect(finding).toMatchObject({ kind: 'credential.access', severity: 'high' });
    expect(finding?.title).toContain('approval path not declared');
  });

  it('a declared drill window is approval evidence: a read inside it by anyone is high, "read inside a declared drill window"; outside it, critical', () => {
    const drilled = (start: string, end: string) =>
      new RegistryMatcher(
        parseRegistry(
          `accounts:\n${VAULT_ROOT_ACCOUNT}\ndrills: [{ account: aws-prod-root, start: "${start}", end: "${end}" }]\n`,
          'drill.yaml',
        ),
      );
    const inside = detect(event(4), drilled('2026-11-20T11:00:00Z', '2026-11-20T12:00:00Z')).findings;
    expect(inside).toMatchObject([{ severity: 'high', opening: { approval: 'drill' } }]);
    expect(inside[0]?.title).toContain('read inside a declared drill window');
    const after = detect(event(4), drilled('2026-11-20T09:00:00Z', '2026-11-20T10:00:00Z')).findings;
    expect(after).toMatchObject([{ severity: 'critical', opening: { approval: 'outside' } }]);
    // The approved reader's read stays "approved" in a drill window.
    const approved = detect(event(2), drilled('2026-11-20T10:00:00Z', '2026-11-20T12:00:00Z')).findings;
    expect(approved).toMatchObject([{ severity: 'high', opening: { approval: 'approved' } }]);
  });
});

describe('credential-store-change: HashiCorp Vault', () => {
  it('deleting every version (metadata delete) and destroying versions are changes on the owning account', () => {
    expect(findings(12, 'account.change')).toMatchObject([
      { ruleId: 'credential-store-change', account: 'aws-prod-root' },
    ]);
    expect(findings(13, 'account.change')).toMatchObject([
      { ruleId: 'credential-store-change', account: 'aws-prod-root' },
    ]);
    expect(findings(12, 'credential.access')).toEqual([]);
  });

  it("a write of a named policy is a change that says the policy's content cannot be read; other policies are not", () => {
    const [finding] = findings(14, 'account.change');
    expect(finding).toMatchObject({ account: 'entra-ea1' });
    expect(finding?.title).toContain(
      "HashiCorp Vault policy breakglass-reader (its content is HMAC'd in the audit log and cannot be read)",
    );
    expect(findings(15)).toEqual([]);
  });
});
