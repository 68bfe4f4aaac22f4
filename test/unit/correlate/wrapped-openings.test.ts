import { describe, expect, it } from 'vitest';
import { joinWrappedOpenings } from '../../../shared/core/correlate/wrapped-openings.js';
import { detect } from '../../../shared/core/detect/engine.js';
import type { Finding } from '../../../shared/core/model/finding.js';
import { normalize, Skipped } from '../../../shared/core/normalize/index.js';
import { parseRegistry, RegistryMatcher } from '../../../shared/core/registry/index.js';
import { readFixtureJsonl } from '../../support/fixtures.js';
import { VAULT_ROOT_ACCOUNT } from '../../support/vault-registry.js';
import { MemoryIncidentRepository } from '../assure/support/world.js';

/**
 * The correlate-stage join of Vault's approval path (correlate/wrapped-openings.ts) on the records of
 * test/fixtures/vault/control-group/audit.log, across batches, against the incident store only.
 */
const FILE = 'vault/control-group/audit.log';
const lines = readFixtureJsonl<Record<string, unknown>>(FILE);
const HOUR = 3_600_000;

function findingsOf(registry: RegistryMatcher, line: number, shiftMs = 0): Finding[] {
  const result = normalize({ format: 'vault.audit', value: lines[line - 1], origin: { location: FILE, line } });
  if (result instanceof Skipped) throw new Error(`line ${line} skipped`);
  const event = { ...result, timeMs: result.timeMs + shiftMs };
  return detect(event, registry).findings.filter((f) => f.kind === 'credential.access');
}

const registry = (approved: string) =>
  new RegistryMatcher(
    parseRegistry(
      `accounts:\n${VAULT_ROOT_ACCOUNT.replace('e2853091-6c3c-2200-3ff7-0b664ed70c4d', approved)}\n`,
      'w.yaml',
    ),
  );
const custodian = registry('e2853091-6c3c-2200-3ff7-0b664ed70c4d');

describe('joinWrappedOpenings', () => {
  it('joins an authorization and an unwrap delivered in later batches to the recorded read', async () => {
    const repository = new MemoryIncidentRepository();
    const [read] = await joinWrappedOpenings(repository, findingsOf(custodian, 2));
    expect(read).toMatchObject({ account: 'aws-prod-root', opening: { approval: 'held' } });
    const [authorize] = await joinWrappedOpenings(repository, findingsOf(custodian, 3));
    expect(authorize).toMatchObject({ account: 'aws-prod-root', correlationKey: 'acct:aws-prod-root' });
    const [unwrap] = await joinWrappedOpenings(repository, findingsOf(custodian, 4));
    expect(unwrap).toMatchObject({ severity: 'high', opening: { approval: 'authorized' } });
  });

  it('an unwrap without authorization of a read by an approved reader is high, "approved"', async () => {
    const repository = new MemoryIncidentRepository();
    const dev = registry('userpass-dev');
    const joined = await joinWrappedOpenings(repository, [...findingsOf(dev, 5), ...findingsOf(dev, 6)]);
    expect(joined.map((f) => [f.severity, f.opening?.approval])).toEqual([
      ['high', 'approved'],
      ['high', 'approved'],
    ]);
  });

  it('drops an unwrap later than the wrapping TTL (a day in the fixture) plus a day after its read, and any that joins no recorded read', async () => {
    const repository = new MemoryIncidentRepository();
    await joinWrappedOpenings(repository, findingsOf(custodian, 5));
    expect(await joinWrappedOpenings(repository, findingsOf(custodian, 6, 49 * HOUR))).toEqual([]);
    expect(await joinWrappedOpenings(repository, findingsOf(custodian, 6, 47 * HOUR))).toHaveLength(1);
    expect(await joinWrappedOpenings(new MemoryIncidentRepository(), findingsOf(custodian, 4))).toEqual([]);
    const critical = await joinWrappedOpenings(repository, findingsOf(custodian, 6, HOUR));
    expect(critical).toMatchObject([{ severity: 'critical', opening: { approval: 'outside' } }]);
  });
});
