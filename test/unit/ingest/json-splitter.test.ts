import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Container, type JsonChunk, JsonSplitter } from '../../../shared/core/ingest/json-splitter.js';

function split(pieces: string[]): { chunks: JsonChunk[]; container: Container | undefined } {
  const chunks: JsonChunk[] = [];
  const splitter = new JsonSplitter((c) => chunks.push(c));
  for (const piece of pieces) splitter.push(piece);
  splitter.end();
  return { chunks, container: splitter.container };
}

/** Cuts text into pieces at the given fractions, to prove chunk boundaries never matter. */
function cut(text: string, at: number[]): string[] {
  const points = [...new Set(at.map((f) => Math.floor(f * text.length)))].sort((a, b) => a - b);
  const out: string[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(text.slice(prev, p));
    prev = p;
  }
  out.push(text.slice(prev));
  return out;
}

describe('JsonSplitter', () => {
  it('splits a CloudTrail log file into its Records, with indexes', () => {
    const text = JSON.stringify({ Records: [{ a: 1, s: 'x}{"]' }, { b: [1, { c: 2 }] }, { d: 'esc \\" }' }] });
    const { chunks, container } = split([text]);
    expect(container).toBe('Records');
    expect(chunks.map((c) => JSON.parse(c.text))).toEqual([
      { a: 1, s: 'x}{"]' },
      { b: [1, { c: 2 }] },
      { d: 'esc \\" }' },
    ]);
    expect(chunks.map((c) => c.index)).toEqual([0, 1, 2]);
  });

  it('splits Event Hub batches, bare arrays (with scalars kept) and pretty-printed files', () => {
    expect(split(['{ "records" : [ {"x":1},\n {"y":2} ] }']).container).toBe('records');
    const array = split(['[\n  {"x": 1},\n  42,\n  "s"\n]']);
    expect(array.container).toBe('array');
    expect(array.chunks.map((c) => c.text)).toEqual(['{"x": 1}', '42', '"s"']);
    const pretty = split(['{\n  "detail-type": "x",\n  "detail": {}\n}\n']);
    expect(pretty.container).toBe('document');
    expect(JSON.parse(pretty.chunks[0]?.text ?? '')).toEqual({ 'detail-type': 'x', detail: {} });
  });

  it('splits JSON lines with 1-based line numbers, skipping blank lines and CRLF', () => {
    const { chunks, container } = split(['{"a":1}\r\n\n{"b":', '2}\nnot json\n{"c":3}']);
    expect(container).toBe('lines');
    expect(chunks.map((c) => [c.line, c.text])).toEqual([
      [1, '{"a":1}'],
      [3, '{"b":2}'],
      [4, 'not json'],
      [5, '{"c":3}'],
    ]);
  });

  it('reads every batch of JSON lines of containers ({"records":[…]} per line), none dropped', () => {
    const text = '{"records":[{"a":1}]}\n{"records":[{"b":2},{"c":3}],"next":{"x":[1]}}\n\n{"Records":[{"d":4}]}\n';
    for (const pieces of [[text], cut(text, [0.1, 0.33, 0.5, 0.77, 0.9])]) {
      const { chunks } = split(pieces);
      expect(chunks.map((c) => JSON.parse(c.text))).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }, { d: 4 }]);
      expect(chunks.map((c) => c.line)).toEqual([1, 2, 2, 4]);
    }
  });

  it('reads bare JSON lines that follow a container', () => {
    const { chunks } = split(['{"records":[{"a":1}]}\n{"b":2}\n{"c":3}\n']);
    expect(chunks.map((c) => JSON.parse(c.text))).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
  });

  it('hands a truncated container tail to the caller instead of dropping it', () => {
    const { chunks } = split(['{"Records":[{"a":1},{"b":']);
    expect(chunks.map((c) => c.text)).toEqual(['{"a":1}', '{"b":']);
  });

  it('reads a pretty-printed log file whose first piece ends inside its head as a container, not one document', () => {
    const text = JSON.stringify({ Records: [{ a: 1 }, { a: 2 }] }, null, 2);
    for (let at = 1; at < text.indexOf('[') + 2; at++) {
      const { chunks, container } = split([text.slice(0, at), text.slice(at)]);
      expect(container).toBe('Records');
      expect(chunks.map((c) => JSON.parse(c.text))).toEqual([{ a: 1 }, { a: 2 }]);
    }
    // A document that only starts like one is still a document.
    expect(split(['{\n  "Rec', 'ipient": 1\n}']).container).toBe('document');
  });

  it('gives the same records however the text is cut into chunks', () => {
    const record = fc.dictionary(
      fc.string({ maxLength: 6 }),
      fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 })),
      { maxKeys: 5 },
    );
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 8 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
        (records, at) => {
          const text = JSON.stringify({ Records: records });
          const { chunks } = split(cut(text, at));
          expect(chunks.map((c) => JSON.parse(c.text))).toEqual(records);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives the same records when they open alike, and objects nested in them open the same way', () => {
    // The splitter joins an unfinished record only to the head of the next piece, up to where the next
    // record opens (`{"eventVersion":` after a comma); a nested object opening the same way is a wrong
    // guess the rest of the piece then corrects.
    const nested = fc.record({ eventVersion: fc.string({ maxLength: 4 }), n: fc.integer() });
    const record = fc.record({
      eventVersion: fc.string({ maxLength: 8 }),
      inner: fc.oneof(nested, fc.array(nested, { maxLength: 2 }), fc.constant(null)),
      text: fc.string({ maxLength: 40 }),
    });
    fc.assert(
      fc.property(
        fc.array(record, { minLength: 1, maxLength: 12 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 10 }),
        fc.boolean(),
        (records, at, spaced) => {
          const text = JSON.stringify({ Records: records }, null, spaced ? 1 : undefined);
          const { chunks } = split(cut(text, at));
          expect(chunks.map((c) => JSON.parse(c.text))).toEqual(records);
          expect(chunks.map((c) => c.index)).toEqual(records.map((_, i) => i));
        },
      ),
      { numRuns: 400 },
    );
  });
});
