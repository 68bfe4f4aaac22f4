import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EnvelopeError, NormalizeError } from '../../../../shared/core/normalize/errors.js';
import type { JsonObject } from '../../../../shared/core/normalize/fields.js';
import { paths, replaceAt } from '../../../support/mutate.js';
import { custodianEntry, loginEntry, normalizeGcp, pantherLog, pushBody } from './harness.js';

/** Only the two documented errors may escape: anything else (TypeError, RangeError) is a bug. */
function onlyDocumentedErrors(doc: unknown): void {
  try {
    for (const event of normalizeGcp(doc, { location: 'fuzz' })) {
      expect(event.id.startsWith('gcp:')).toBe(true);
      expect(Number.isFinite(event.timeMs)).toBe(true);
      expect(typeof event.actor.display).toBe('string');
      expect(Array.isArray(event.targets)).toBe(true);
    }
  } catch (error) {
    if (!(error instanceof NormalizeError || error instanceof EnvelopeError)) throw error;
  }
}

const hostileName = fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', '');
const anyJson = fc.jsonValue({ maxDepth: 3 });

/** Real entries to damage: an admin call, a SetIamPolicy with deltas, a Workspace admin and a login event. */
const SEEDS: JsonObject[] = [
  custodianEntry('log-create-project-sink.json'),
  pantherLog('Terraform User Agent'),
  pantherLog('User Added to Privileged Group'),
  loginEntry('login_failure', [{ name: 'login_challenge_method', multiStrValue: ['password', 'totp'] }]),
];

describe('GCP normalizer fuzzing: only NormalizeError or EnvelopeError escape', () => {
  it('any JSON document', () => {
    fc.assert(fc.property(anyJson, onlyDocumentedErrors), { numRuns: 500 });
  });

  it('real entries with one field replaced by any JSON value', () => {
    const mutation = fc
      .integer({ min: 0, max: SEEDS.length - 1 })
      .chain((s) => {
        const seed = SEEDS[s] as JsonObject;
        const all = paths(seed);
        return fc.tuple(fc.constant(seed), fc.constantFrom(...all), fc.oneof(anyJson, hostileName));
      })
      .map(([seed, path, value]) => replaceAt(seed, path, value));
    fc.assert(fc.property(mutation, onlyDocumentedErrors), { numRuns: 1500 });
  });

  it('push bodies with random data', () => {
    const body = fc.oneof(
      fc.string().map((data) => ({ message: { data, messageId: '1' }, subscription: 's' })),
      anyJson.map((entry) => pushBody(entry)),
      fc.record({ message: fc.record({ data: anyJson }), subscription: anyJson }),
    );
    fc.assert(fc.property(body, onlyDocumentedErrors), { numRuns: 500 });
  });
});
