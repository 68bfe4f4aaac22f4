import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FilterBuildError } from '../../../../shared/core/ingest/filters/errors.js';
import {
  controlCharacterAt,
  kqlDatetime,
  kqlString,
  loggingString,
  loggingTime,
} from '../../../../shared/core/ingest/filters/quote.js';

/**
 * Readers of the two literal grammars, written from the language references, independent of the
 * quoting code: they return the literal's value and where it ended, so a test can check that a value
 * comes back unchanged and that nothing after it was swallowed into or out of the literal.
 */
function readLoggingLiteral(text: string, start = 0): { value: string; end: number } {
  if (text[start] !== '"') throw new Error(`no literal at ${start}`);
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\') {
      value += text[++i] ?? '';
      continue;
    }
    if (c === '"') return { value, end: i + 1 };
    value += c;
  }
  throw new Error('unterminated literal');
}

function readKqlVerbatim(text: string, start = 0): { value: string; end: number } {
  if (text.slice(start, start + 2) !== '@"') throw new Error(`no verbatim literal at ${start}`);
  let value = '';
  for (let i = start + 2; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '"') {
      if (text[i + 1] === '"') {
        value += '"';
        i++;
        continue;
      }
      return { value, end: i + 1 };
    }
    value += c;
  }
  throw new Error('unterminated literal');
}

/** Printable text with the characters that matter most to both grammars. */
const hostile = fc.string({
  unit: fc.oneof(
    fc.constantFrom('"', '\\', "'", '@', ' ', ')', '(', '|', ';', '/', '*'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 60,
});
const printable = hostile.filter((s) => controlCharacterAt(s) === -1);

describe('loggingString', () => {
  it('quotes and escapes backslash and double quote', () => {
    expect(loggingString('ops@example.com', 'x')).toBe('"ops@example.com"');
    expect(loggingString('a"b\\c', 'x')).toBe('"a\\"b\\\\c"');
  });

  it('gives back every printable value unchanged, as exactly one literal', () => {
    fc.assert(
      fc.property(printable, (value) => {
        const literal = loggingString(value, 'x');
        const read = readLoggingLiteral(`${literal} OR "next"`);
        expect(read.value).toBe(value);
        expect(read.end).toBe(literal.length);
      }),
    );
  });

  it('refuses control characters, naming where the value came from', () => {
    expect(() => loggingString('a\nb', 'accounts[3] (id x) field match.email')).toThrow(FilterBuildError);
    expect(() => loggingString('a\u0000', 'accounts[3]')).toThrow(/accounts\[3\].*control character at offset 1/);
  });
});

describe('kqlString', () => {
  it('writes a verbatim literal with doubled quotes', () => {
    expect(kqlString('ea1@contoso.com', 'x')).toBe('@"ea1@contoso.com"');
    expect(kqlString('x" or true or "', 'x')).toBe('@"x"" or true or """');
    expect(kqlString('C:\\path\\', 'x')).toBe('@"C:\\path\\"');
  });

  it('gives back every printable value unchanged, as exactly one literal', () => {
    fc.assert(
      fc.property(printable, (value) => {
        const literal = kqlString(value, 'x');
        const read = readKqlVerbatim(`${literal}, @"next"`);
        expect(read.value).toBe(value);
        expect(read.end).toBe(literal.length);
      }),
    );
  });

  it('refuses carriage returns and newlines, which a KQL literal cannot hold', () => {
    expect(() => kqlString('ea1@contoso.com\r\n| take 1', 'accounts[1]')).toThrow(FilterBuildError);
  });
});

describe('time literals', () => {
  it('are built from numbers only', () => {
    const ms = Date.parse('2026-11-18T14:00:00Z');
    expect(loggingTime(ms)).toBe('"2026-11-18T14:00:00.000Z"');
    expect(kqlDatetime(ms)).toBe('datetime(2026-11-18T14:00:00.000Z)');
  });
});
