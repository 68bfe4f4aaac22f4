import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detached } from '../../../shared/core/ingest/json-tokens.js';

describe('detached', () => {
  it('is the same text, however long and wherever it was cut from', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.nat(), fc.nat(), (text, a, b) => {
        const [from, to] = [a % (text.length + 1), b % (text.length + 1)].sort((x, y) => x - y);
        const slice = text.slice(from, to);
        expect(detached(slice)).toBe(slice);
      }),
    );
    expect(detached('')).toBe('');
    expect(detached('{"eventVersion":"1.08"}'.repeat(5000).slice(7, 70_007))).toHaveLength(70_000);
  });
});
