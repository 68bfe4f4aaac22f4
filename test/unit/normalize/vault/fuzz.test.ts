import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detect } from '../../../../shared/core/detect/engine.js';
import { NormalizeError } from '../../../../shared/core/normalize/errors.js';
import { normalize, Skipped } from '../../../../shared/core/normalize/index.js';
import { parseRegistry, RegistryMatcher } from '../../../../shared/core/registry/index.js';
import { readFixtureJsonl } from '../../../support/fixtures.js';
import { paths, replaceAt } from '../../../support/mutate.js';
import { VAULT_ROOT_ACCOUNT } from '../../../support/vault-registry.js';

/**
 * Vault audit lines are hostile input: any line, or a real one with one field replaced by any JSON value,
 * is an event, a skip or a NormalizeError naming the field — never another exception, in the normalizer
 * or in the credential rules reading the event.
 */
const matcher = new RegistryMatcher(parseRegistry(`accounts:\n${VAULT_ROOT_ACCOUNT}\n`, 'fuzz.yaml'));
const SEEDS = readFixtureJsonl<Record<string, unknown>>('vault/written-from-docs/audit.log');

function onlyDocumentedErrors(value: unknown): void {
  try {
    const result = normalize({ format: 'vault.audit', value, origin: { location: 'fuzz', line: 1 } });
    if (result instanceof Skipped) return;
    expect(result.id.startsWith('vault:')).toBe(true);
    expect(Number.isFinite(result.timeMs)).toBe(true);
    expect(detect(result, matcher).errors).toEqual([]);
  } catch (error) {
    if (!(error instanceof NormalizeError)) throw error;
  }
}

describe('Vault normalizer fuzzing', () => {
  it('any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 3 }), onlyDocumentedErrors), { numRuns: 300 });
  });

  it('real lines with one field replaced by any JSON value', () => {
    const mutation = fc.integer({ min: 0, max: SEEDS.length - 1 }).chain((s) => {
      const seed = SEEDS[s] as Record<string, unknown>;
      const all = paths(seed);
      return fc.tuple(fc.constant(seed), fc.constantFrom(...all), fc.jsonValue({ maxDepth: 2 }));
    });
    fc.assert(
      fc.property(mutation, ([seed, path, replacement]) => onlyDocumentedErrors(replaceAt(seed, path, replacement))),
      { numRuns: 500 },
    );
  });
});
