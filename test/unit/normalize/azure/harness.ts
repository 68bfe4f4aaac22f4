import type { AuditEvent, EventOrigin } from '../../../../shared/core/model/audit-event.js';
import { azureEnvelopes, normalizeLogAnalyticsRow } from '../../../../shared/core/normalize/azure/index.js';
import { EnvelopeError, NormalizeError } from '../../../../shared/core/normalize/errors.js';
import { isObject, type JsonObject } from '../../../../shared/core/normalize/fields.js';
import { NORMALIZERS } from '../../../../shared/core/normalize/index.js';
import type { Normalizer } from '../../../../shared/core/normalize/types.js';
import { readFixtureJsonl } from '../../../support/fixtures.js';
import { opened } from '../../../support/normalize.js';

export const SENTINEL = 'azure/sentinel-training-lab';
export const PANTHER_ENTRA = 'azure/panther/panther_tests_azure_audit_entra.diagnostic-rows.jsonl';
export const PANTHER_ACTIVITY = 'azure/panther/panther_tests_azure_monitor_activity.diagnostic-rows.jsonl';
export const OTRF = 'azure/otrf/AADAuditEvents.json';
export const OTEL = 'azure/otel-collector/administrative_valid_1.json';

/** Rows of a Sentinel training-lab export, with their origin (file and 1-based line). */
export function sentinelRows(file: string): { row: JsonObject; origin: EventOrigin }[] {
  const location = `${SENTINEL}/${file}`;
  return readFixtureJsonl<JsonObject>(location).map((row, i) => ({ row, origin: { location, line: i + 1 } }));
}

export function normalizeSentinel(file: string): AuditEvent[] {
  return sentinelRows(file).map(({ row, origin }) => normalizeLogAnalyticsRow(row, origin));
}

export interface PantherRow {
  test_name: string;
  log: JsonObject;
}

export function pantherRows(file: string): PantherRow[] {
  return readFixtureJsonl<PantherRow>(file);
}

/** The `.log` of the Panther row whose test is `name`; throws when the name is ambiguous or absent. */
export function pantherLog(file: string, name: string): JsonObject {
  const rows = pantherRows(file).filter((r) => r.test_name === name);
  if (rows.length !== 1) throw new Error(`${rows.length} Panther rows named ${name} in ${file}`);
  return structuredClone((rows[0] as PantherRow).log);
}

/** Envelope + normalizer, as the dispatcher does: the first Azure envelope that matches opens the document. */
export function normalizeAzure(doc: unknown, origin: EventOrigin): AuditEvent[] {
  if (!isObject(doc)) throw new EnvelopeError(origin, 'not an object');
  const envelope = azureEnvelopes.find((e) => e.matches(doc));
  if (!envelope) throw new EnvelopeError(origin, 'no Azure envelope matches');
  return opened(envelope.open(doc, origin)).map((r) => NORMALIZERS[r.format](r.value, r.origin));
}

export function errorOf(normalizer: Normalizer, value: unknown, origin: EventOrigin = { location: 'test' }) {
  try {
    normalizer(value, origin);
  } catch (error) {
    if (error instanceof NormalizeError) return error;
    throw error;
  }
  throw new Error('expected a NormalizeError, got an event');
}
