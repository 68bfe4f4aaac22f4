import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capCodePoints, excerpt, sanitizeText } from '../../../../shared/core/act/render/sanitize.js';
import { HOSTILE } from '../support/incidents.js';

const FORBIDDEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting control characters are gone.
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/;

describe('sanitizeText', () => {
  it('removes bidi overrides, isolates and zero-width characters', () => {
    expect(sanitizeText(HOSTILE.rtl, 100)).toBe('invoicetxt.exe hidden zerowidth');
  });

  it('removes control characters, including ANSI escape introducers', () => {
    expect(sanitizeText(HOSTILE.control, 100)).toBe('bell null esc[31m ansi');
  });

  it('folds line breaks onto one line unless multiline is asked for', () => {
    expect(sanitizeText(HOSTILE.newline, 100)).toBe('line1 line2 Subject: spoofed');
    expect(sanitizeText('a\r\n\r\n\r\n\r\nb\u2028c', 100, { multiline: true })).toBe('a\n\nb\nc');
  });

  it('defangs URL schemes and www so no renderer makes a link of them', () => {
    expect(sanitizeText('see https://evil.example and www.evil.example or ftp://x', 100)).toBe(
      'see https[:]//evil.example and www[.]evil.example or ftp[:]//x',
    );
  });

  it('caps a 10 kB user agent at the limit, marking the cut', () => {
    const capped = sanitizeText(HOSTILE.bigUserAgent, 512);
    expect(Array.from(capped)).toHaveLength(512);
    expect(capped.endsWith('…')).toBe(true);
  });

  it('never splits a surrogate pair and replaces lone surrogates', () => {
    expect(capCodePoints('😀😀😀', 2)).toBe('😀…');
    expect(sanitizeText('a\uD800b', 10)).toBe('a\uFFFDb');
  });

  it('renders non-strings as text and absent values as empty', () => {
    expect(sanitizeText(42, 10)).toBe('42');
    expect(sanitizeText(undefined, 10)).toBe('');
  });

  it('property: output is bounded and free of control, bidi and zero-width characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), fc.integer({ min: 1, max: 200 }), (input, max) => {
        const out = sanitizeText(input, max);
        expect(Array.from(out).length).toBeLessThanOrEqual(max);
        expect(FORBIDDEN.test(out)).toBe(false);
        expect(out.includes('\n')).toBe(false);
        expect(/:\/\//.test(out)).toBe(false);
      }),
    );
  });
});

describe('excerpt', () => {
  it('blanks credential values out of vendor error bodies', () => {
    const body = '{"errors":["routing_key R0UT1NGKEY0000000000000000000000 is not valid"]}';
    expect(excerpt(body, ['R0UT1NGKEY0000000000000000000000'])).toBe(
      '{"errors":["routing_key [redacted] is not valid"]}',
    );
  });
});
