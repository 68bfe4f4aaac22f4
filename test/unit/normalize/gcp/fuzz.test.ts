import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EnvelopeError, NormalizeError } from '../../../../shared/core/normalize/errors.js';
import type { JsonObject } from '../../../../shared/core/normalize/fields.js';
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

/** Every path to a value inside `value`, so a mutation can hit any field, however deep. */
function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(prefix);
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) paths(v, [...prefix, i], out);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  }
  return out;
}

function replaceAt(root: JsonObject, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(root);
  let parent: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  parent[path[path.length - 1] as string | number] = replacement;
  return copy;
}

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
