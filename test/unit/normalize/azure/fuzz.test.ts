import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EnvelopeError, NormalizeError } from '../../../../shared/core/normalize/errors.js';
import type { JsonObject } from '../../../../shared/core/normalize/fields.js';
import { ENTRA_CHANGE_CASES } from '../../../support/entra-changes.js';
import { readFixtureJson, readFixtureJsonl } from '../../../support/fixtures.js';
import { paths, replaceAt } from '../../../support/mutate.js';
import { normalizeAzure, OTEL, OTRF, PANTHER_ACTIVITY, PANTHER_ENTRA, pantherLog, sentinelRows } from './harness.js';

/** Only the two documented errors may escape: anything else (TypeError, RangeError) is a bug. */
function onlyDocumentedErrors(doc: unknown): void {
  try {
    for (const event of normalizeAzure(doc, { location: 'fuzz' })) {
      expect(event.id.startsWith('azure:')).toBe(true);
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
/** JSON text too: Log Analytics dynamic columns arrive as strings and are parsed. */
const anyValue = fc.oneof(
  anyJson,
  anyJson.map((v) => JSON.stringify(v)),
  hostileName,
);

/** Real records of every kind and spelling, to damage one field at a time. */
const SEEDS: JsonObject[] = [
  sentinelRows('sign-in_adelete.la-json.jsonl')[0]?.row as JsonObject,
  sentinelRows('disable_accounts.la-json.jsonl')[0]?.row as JsonObject,
  sentinelRows('azureActivity_adele.la-json.jsonl')[0]?.row as JsonObject,
  sentinelRows('azure_activity.la-json.first40.jsonl')[0]?.row as JsonObject,
  readFixtureJsonl<JsonObject>(OTRF)[0] as JsonObject,
  readFixtureJson<JsonObject>(OTEL),
  { records: [pantherLog(PANTHER_ENTRA, 'ROPC Login Without MFA')] },
  { records: [pantherLog(PANTHER_ENTRA, 'Successfully added PIM role')] },
  { records: [pantherLog(PANTHER_ACTIVITY, 'Owner Role Assignment')] },
  // Entra changes read from targets' modified properties: a diagnostic record, and the Graph directoryAudit.
  ...['admin-registered-temporary-access-pass', 'pim-remove-member-from-role-in-pim-completed-permanent'].flatMap(
    (name) => {
      const record = ENTRA_CHANGE_CASES.find((c) => c.name === name)?.record as unknown as JsonObject;
      return [{ records: [record] }, record.properties as JsonObject];
    },
  ),
];

describe('Azure normalizer fuzzing: only NormalizeError or EnvelopeError escape', () => {
  it('any JSON document', () => {
    fc.assert(fc.property(anyJson, onlyDocumentedErrors), { numRuns: 500 });
  });

  it('Log Analytics-like and diagnostic-like shells around any values', () => {
    const shell = fc.oneof(
      fc.record({
        Type: fc.constantFrom('SigninLogs', 'AuditLogs', 'AzureActivity', 'AADServicePrincipalSignInLogs'),
        TimeGenerated: anyValue,
        Id: anyValue,
        Status: anyValue,
        AuthenticationDetails: anyValue,
        InitiatedBy: anyValue,
        TargetResources: anyValue,
        Claims: anyValue,
        Properties: anyValue,
      }),
      fc.record({
        records: fc.array(
          fc.record({
            category: fc.constantFrom('SignInLogs', 'AuditLogs', 'Administrative', 'Recommendation'),
            time: anyValue,
            operationName: anyValue,
            identity: anyValue,
            properties: anyValue,
          }),
          { maxLength: 3 },
        ),
      }),
    );
    fc.assert(fc.property(shell, onlyDocumentedErrors), { numRuns: 800 });
  });

  it('real records with one field replaced by any value', () => {
    const mutation = fc
      .integer({ min: 0, max: SEEDS.length - 1 })
      .chain((s) => {
        const seed = SEEDS[s] as JsonObject;
        return fc.tuple(fc.constant(seed), fc.constantFrom(...paths(seed)), anyValue);
      })
      .map(([seed, path, value]) => replaceAt(seed, path, value));
    fc.assert(fc.property(mutation, onlyDocumentedErrors), { numRuns: 2000 });
  });
});
