import { describe, expect, it } from 'vitest';
import {
  eventHubRecordsEnvelope,
  logAnalyticsQueryResultEnvelope,
  logAnalyticsRowEnvelope,
} from '../../../../shared/core/normalize/azure/index.js';
import { EnvelopeError } from '../../../../shared/core/normalize/errors.js';
import type { JsonObject } from '../../../../shared/core/normalize/fields.js';
import { normalize, openDocument } from '../../../../shared/core/normalize/index.js';
import type { RawRecord } from '../../../../shared/core/normalize/types.js';
import { readFixtureJson, readFixtureJsonl } from '../../../support/fixtures.js';
import { normalized, opened } from '../../../support/normalize.js';
import { OTEL, OTRF, PANTHER_ENTRA, pantherRows, sentinelRows } from './harness.js';

const origin = { location: 'eventhub:entra-audit/partition-2' };
const SENTINEL_FILES = [
  'sign-in_adelete.la-json.jsonl',
  'disable_accounts.la-json.jsonl',
  'AuditLogs_Hunting.la-json.jsonl',
  'azureActivity_adele.la-json.jsonl',
  'azure_activity.la-json.first40.jsonl',
];

function envelopeErrorOf(open: () => unknown): EnvelopeError {
  try {
    open();
  } catch (error) {
    if (error instanceof EnvelopeError) return error;
    throw error;
  }
  throw new Error('expected an EnvelopeError');
}

describe('event-hub-records envelope', () => {
  it('hands out each record as azure.diagnostic with its index', () => {
    const batch = readFixtureJson<JsonObject>(OTEL);
    expect(eventHubRecordsEnvelope.matches(batch)).toBe(true);
    const records = opened(eventHubRecordsEnvelope.open(batch, origin));
    expect(records).toEqual([
      { format: 'azure.diagnostic', value: (batch.records as unknown[])[0], origin: { ...origin, index: 0 } },
    ]);
  });

  it('opens a batch of several records and an empty batch', () => {
    const logs = pantherRows(PANTHER_ENTRA).map((r) => r.log);
    const records = opened(eventHubRecordsEnvelope.open({ records: logs }, origin));
    expect(records.map((r) => r.origin.index)).toEqual(logs.map((_l, i) => i));
    expect(eventHubRecordsEnvelope.open({ records: [] }, origin)).toEqual([]);
  });

  it('does not match a CloudTrail log file (Records) or a Log Analytics row', () => {
    expect(eventHubRecordsEnvelope.matches({ Records: [] })).toBe(false);
    expect(eventHubRecordsEnvelope.matches(sentinelRows('disable_accounts.la-json.jsonl')[0]?.row as JsonObject)).toBe(
      false,
    );
  });
});

describe('log-analytics-row envelope', () => {
  it.each(SENTINEL_FILES)('matches every row of %s', (file) => {
    for (const { row } of sentinelRows(file)) {
      expect(logAnalyticsRowEnvelope.matches(row)).toBe(true);
      expect(logAnalyticsRowEnvelope.open(row, origin)).toEqual([
        { format: 'azure.log-analytics', value: row, origin },
      ]);
    }
  });

  it('matches the OTRF rows, including those of a table Glasswatch does not read (reported by name later)', () => {
    for (const row of readFixtureJsonl<JsonObject>(OTRF)) expect(logAnalyticsRowEnvelope.matches(row)).toBe(true);
  });

  it('does not match diagnostic records or unrelated JSON', () => {
    for (const { log } of pantherRows(PANTHER_ENTRA)) expect(logAnalyticsRowEnvelope.matches(log)).toBe(false);
    expect(logAnalyticsRowEnvelope.matches({ TimeGenerated: '2021-01-01T00:00:00Z' })).toBe(false);
    expect(logAnalyticsRowEnvelope.matches({ Type: 'constructor' })).toBe(false);
  });
});

describe('log-analytics-query-result envelope', () => {
  const result = (tables: unknown) => ({ tables });

  it('zips columns and rows, counting rows across tables', () => {
    const doc = result([
      { name: 'A', columns: [{ name: 'Type' }, { name: 'Id' }], rows: [['AuditLogs', 'x']] },
      { name: 'B', columns: [{ name: 'Type' }], rows: [['SigninLogs'], ['AzureActivity']] },
    ]);
    expect(logAnalyticsQueryResultEnvelope.matches(doc)).toBe(true);
    const records = opened(logAnalyticsQueryResultEnvelope.open(doc, origin));
    expect(records.map((r) => [r.value, r.origin.index])).toEqual([
      [{ Type: 'AuditLogs', Id: 'x' }, 0],
      [{ Type: 'SigninLogs' }, 1],
      [{ Type: 'AzureActivity' }, 2],
    ]);
    expect(records.every((r) => r.format === 'azure.log-analytics')).toBe(true);
  });

  it('keeps a column named __proto__ as data', () => {
    const [record] = opened(
      logAnalyticsQueryResultEnvelope.open(
        result([{ columns: [{ name: '__proto__' }], rows: [[{ polluted: true }]] }]),
        origin,
      ),
    );
    expect(Object.getPrototypeOf(record?.value)).toBe(Object.prototype);
    expect(Object.hasOwn(record?.value as object, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['a table that is not an object', [5], /tables\[0\] is not an object/],
    ['columns missing', [{ rows: [] }], /tables\[0\]\.columns is not an array/],
    ['a column without a name', [{ columns: [{ type: 'string' }], rows: [] }], /columns\[0\] has no name/],
    ['rows not a list', [{ columns: [{ name: 'a' }], rows: {} }], /rows is not an array/],
    ['a row of the wrong width', [{ columns: [{ name: 'a' }], rows: [['x', 'y']] }], /rows\[0\] is not an array of 1/],
  ])('%s → EnvelopeError naming the place', (_name, tables, reason) => {
    const error = envelopeErrorOf(() => logAnalyticsQueryResultEnvelope.open(result(tables), origin));
    expect(error.message).toMatch(reason);
    expect(error.origin).toEqual(origin);
  });
});

describe('through the shared dispatcher (normalize/index.ts)', () => {
  it.each(SENTINEL_FILES)('opens every row of %s as azure.log-analytics', (file) => {
    for (const { row, origin: rowOrigin } of sentinelRows(file)) {
      expect(opened(openDocument(row, rowOrigin)).map((r) => r.format)).toEqual(['azure.log-analytics']);
    }
  });

  it('opens an Event Hub batch as azure.diagnostic records and normalizes them', () => {
    const records = opened(openDocument(readFixtureJson(OTEL), origin));
    expect(records.map((r) => r.format)).toEqual(['azure.diagnostic']);
    expect(normalized(normalize(records[0] as RawRecord)).source).toBe('azure.activity');
  });
});
