import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detect } from '../../../../shared/core/detect/engine.js';
import { VAULT_WRAP_ENDPOINTS } from '../../../../shared/core/detect/vault-wrapping.js';
import type { AuditEvent } from '../../../../shared/core/model/audit-event.js';
import type { Finding } from '../../../../shared/core/model/finding.js';
import { normalize, Skipped } from '../../../../shared/core/normalize/index.js';
import { parseRegistry, RegistryMatcher } from '../../../../shared/core/registry/index.js';
import { readFixtureJsonl } from '../../../support/fixtures.js';
import { VAULT_ROOT_ACCOUNT } from '../../../support/vault-registry.js';

/**
 * HashiCorp Vault's approval path in the detect stage (test/fixtures/vault/control-group/audit.log): a
 * read answered with a wrapping token is a `high` opening "through a Vault control group / response
 * wrapping" naming the accessor, whoever read it; a control-group authorization and an unwrap are
 * candidates carrying the HMAC'd accessor or token, which the correlate stage joins to the read
 * (test/integration/cli/credential-vault-replay.test.ts).
 */
const registry = new RegistryMatcher(parseRegistry(`accounts:\n${VAULT_ROOT_ACCOUNT}\n`, 'vault-wrap-use.test.yaml'));
const FILE = 'vault/control-group/audit.log';
const lines = readFixtureJsonl<Record<string, unknown>>(FILE);

function event(line: number): AuditEvent {
  const result = normalize({ format: 'vault.audit', value: lines[line - 1], origin: { location: FILE, line } });
  if (result instanceof Skipped) throw new Error(`line ${line} skipped: ${result.reason}`);
  return result;
}

const findings = (line: number, ruleId: string): Finding[] =>
  detect(event(line), registry).findings.filter((f) => f.ruleId === ruleId);

const wrapInfo = (lines[1] as { response: { wrap_info: { accessor: string; token: string } } }).response.wrap_info;
const A_ACCESSOR = wrapInfo.accessor;
const A_TOKEN = wrapInfo.token;

describe('vault-wrap-use', () => {
  it('fires on a control-group authorization, carrying the HMAC of the accessor, not yet on any account', () => {
    const [finding] = findings(3, 'vault-wrap-use');
    expect(finding).toMatchObject({
      account: null,
      principal: 'oidc-manager@example.com',
      wrap: { role: 'authorize', namespace: 'root', accessor: A_ACCESSOR },
    });
  });

  it('fires on an unwrap with the wrapping token as client token (token and accessor) or in the body (token)', () => {
    expect(findings(4, 'vault-wrap-use')[0]?.wrap).toEqual({
      role: 'unwrap',
      namespace: 'root',
      token: A_TOKEN,
      accessor: A_ACCESSOR,
    });
    const body = (lines[5] as { request: { data: { token: string } } }).request.data.token;
    expect(findings(6, 'vault-wrap-use')[0]?.wrap).toEqual({ role: 'unwrap', namespace: 'root', token: body });
  });

  it('does not fire on reads, on a failed unwrap, or when the registry names no credential store', () => {
    expect(findings(2, 'vault-wrap-use')).toEqual([]);
    const failed = { ...event(4), outcome: 'failure' as const };
    expect(detect(failed, registry).findings.filter((f) => f.ruleId === 'vault-wrap-use')).toEqual([]);
    const bare = new RegistryMatcher(
      parseRegistry(
        'accounts:\n  - { id: r, cloud: aws, match: { arn: "arn:aws:iam::111122223333:root" } }\n',
        'x.yaml',
      ),
    );
    expect(detect(event(3), bare).findings).toEqual([]);
  });
});

describe('credential-access: a wrapped read', () => {
  it('is high, "opened through a Vault control group / response wrapping", naming the accessor, though the reader is not approved', () => {
    const [finding] = findings(2, 'credential-access');
    expect(finding).toMatchObject({
      account: 'aws-prod-root',
      severity: 'high',
      principal: 'userpass-dev',
      opening: { approval: 'held' },
      wrap: { role: 'wrapped', token: A_TOKEN, accessor: A_ACCESSOR, readerApproved: false },
    });
    expect(finding?.title).toContain(`opened through a Vault control group / response wrapping`);
    expect(finding?.note).toBe(`opened through a Vault control group / response wrapping, accessor ${A_ACCESSOR}`);
  });

  it('a wrap_info created for another path is no wrapping of this read: the read stays critical', () => {
    const line = structuredClone(lines[1]) as { response: { wrap_info: { creation_path: string } } };
    line.response.wrap_info.creation_path = 'sys/wrapping/wrap';
    const result = normalize({ format: 'vault.audit', value: line, origin: { location: FILE, line: 2 } });
    if (result instanceof Skipped) throw new Error('skipped');
    const [finding] = detect(result, registry).findings.filter((f) => f.ruleId === 'credential-access');
    expect(finding).toMatchObject({ severity: 'critical', opening: { approval: 'outside' } });
    expect(finding?.wrap).toBeUndefined();
  });

  it('a wrapped read of another secret is no finding', () => {
    expect(detect(event(7), registry).findings).toEqual([]);
  });
});

describe('the wrapping endpoints table', () => {
  const readme = readFileSync(fileURLToPath(new URL('../../../../README.md', import.meta.url)), 'utf8');
  it.each(VAULT_WRAP_ENDPOINTS)("$path: its page is HashiCorp's, the README names it, the rule reads it", (entry) => {
    expect(new URL(entry.doc).host).toBe('developer.hashicorp.com');
    expect(readme).toContain(`\`${entry.path}\``);
    const line = lines.findIndex((l) => (l.request as { path?: string }).path === entry.path && l.type === 'response');
    expect(findings(line + 1, 'vault-wrap-use')[0]?.wrap?.role).toBe(entry.role);
  });
});
