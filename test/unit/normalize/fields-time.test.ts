import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FieldReader, parseTime, startsWithIsoDate } from '../../../shared/core/normalize/fields.js';

/**
 * The one time parser (`shared/core/normalize/fields.ts`): its digit-by-digit path for the
 * `YYYY-MM-DDTHH:MM:SS[.f]Z` times CloudTrail, Cloud Audit Logs and Entra write must agree with
 * `Date.parse` on every input, and the general path keeps the other spellings.
 */

/** The parser as it was before the fast path: regular expressions and Date.parse. */
function reference(raw: string): number | undefined {
  let text = raw.trim();
  if (/^\d{4}-\d\d-\d\d \d/.test(text)) text = text.replace(' ', 'T');
  text = text.replace(/(\.\d{3})\d+/, '$1');
  if (/^\d{4}-\d\d-\d\dT[\d:.]+$/.test(text)) text += 'Z';
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const digits = (max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: max });

/** Timestamps in the shapes logs write, fields sometimes out of range (month 13, 30 February, hour 24). */
const timestamps = fc
  .record({
    year: fc.integer({ min: 0, max: 9999 }),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 25 }),
    minute: fc.integer({ min: 0, max: 60 }),
    second: fc.integer({ min: 0, max: 61 }),
    fraction: fc.option(digits(12)),
    separator: fc.constantFrom('T', 'T', 'T', ' ', 't'),
    zone: fc.constantFrom('Z', 'Z', 'Z', '', '+00:00', '-05:30', 'z'),
  })
  .map(
    (t) =>
      `${pad(t.year, 4)}-${pad(t.month, 2)}-${pad(t.day, 2)}${t.separator}${pad(t.hour, 2)}:${pad(t.minute, 2)}:` +
      `${pad(t.second, 2)}${t.fraction === null ? '' : `.${t.fraction}`}${t.zone}`,
  );

describe('parseTime', () => {
  it.each([
    ['2026-11-01T00:00:00Z', Date.UTC(2026, 10, 1)],
    ['2024-07-31T13:10:45.123Z', Date.UTC(2024, 6, 31, 13, 10, 45, 123)],
    ['2024-02-29T23:59:59.9Z', Date.UTC(2024, 1, 29, 23, 59, 59, 900)],
    ['2022-12-11T02:57:48.693000000Z', Date.UTC(2022, 11, 11, 2, 57, 48, 693)],
    ['2022-12-11 02:57:48.693000000', Date.UTC(2022, 11, 11, 2, 57, 48, 693)],
    ['2024-12-16T16:32:16.0875540Z', Date.UTC(2024, 11, 16, 16, 32, 16, 87)],
    ['2024-12-16T17:32:16+01:00', Date.UTC(2024, 11, 16, 16, 32, 16)],
    ['1969-12-31T23:59:59.999Z', -1],
  ])('reads %s', (text, ms) => {
    expect(parseTime(text)).toBe(ms);
  });

  // "7" and 2023-02-29 pass Date.parse (V8): the normalizers check startsWithIsoDate first.
  it.each(['2024-13-01T00:00:00Z', '2024-01-01T24:00:01Z', 'redacted', ''])('refuses %j', (text) => {
    expect(parseTime(text)).toBeUndefined();
  });

  it('agrees with Date.parse on timestamps of every shape, in range or not', () => {
    fc.assert(
      fc.property(timestamps, (text) => {
        expect(parseTime(text)).toBe(reference(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees with Date.parse on arbitrary text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          timestamps.map((t) => t.slice(0, -1)),
          timestamps.map((t) => ` ${t}`),
        ),
        (text) => {
          expect(parseTime(text)).toBe(reference(text));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('returns the canonical ISO string with the epoch ms', () => {
    const reader = new FieldReader('test', { location: 'test' });
    fc.assert(
      fc.property(timestamps, (text) => {
        const ms = reference(text);
        if (ms === undefined) {
          expect(() => reader.time({ t: text }, 't')).toThrow(/not a timestamp/);
        } else {
          expect(reader.time({ t: text }, 't')).toEqual({ iso: new Date(ms).toISOString(), ms });
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('startsWithIsoDate', () => {
  it('is the YYYY-MM-DD prefix check', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), timestamps), (text) => {
        expect(startsWithIsoDate(text)).toBe(/^\d{4}-\d\d-\d\d/.test(text));
      }),
      { numRuns: 3000 },
    );
  });
});
