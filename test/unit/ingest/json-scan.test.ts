import { describe, expect, it } from 'vitest';
import { JsonScan, NUMBER, OBJECT, STRING } from '../../../shared/core/ingest/json-scan.js';
import { readFixtureJson } from '../../support/fixtures.js';

/**
 * The scan stands in for JSON.parse on records the CloudTrail screen passes over: it must accept exactly
 * the objects JSON.parse accepts (on texts without backslashes), or a malformed record would go
 * unreported.
 */

const S = 'scalar' as const;
const plain = new JsonScan({}, []);

function parses(text: string): boolean {
  try {
    const value = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** A small deterministic generator (mulberry32), so a failure can be reproduced. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('JsonScan', () => {
  it('accepts and refuses what JSON.parse accepts and refuses', () => {
    const cases = [
      '{}',
      ' { } ',
      '{"a":1}',
      '{"a":-0.5e+10,"b":[1,2,{"c":null}],"d":true,"e":false,"f":"x"}',
      '{"a":[]}',
      '{"a":[[]],"b":{}}',
      '{"a":01}',
      '{"a":1.}',
      '{"a":.5}',
      '{"a":-}',
      '{"a":1e}',
      '{"a":+1}',
      '{"a":tru}',
      '{"a":nul}',
      '{"a":truex}',
      '{"a":1,}',
      '{"a":[1,]}',
      '{"a" 1}',
      '{"a":1 "b":2}',
      '{a:1}',
      '{"a":1}}',
      '{"a":1} {}',
      '{"a":[1}',
      '{"a":{]}',
      '{"a":"unterminated}',
      '[1,2]',
      '"text"',
      '1',
      '',
      '{"a":1',
      '{,}',
      '{"a":[,1]}',
      '{"a"::1}',
      '{"a":1,"a":2}',
    ];
    for (const text of cases) expect(plain.read(text), text).toBe(parses(text));
  });

  it('agrees with JSON.parse on thousands of damaged copies of real CloudTrail records', () => {
    const records = readFixtureJson<{ Records: unknown[] }>(
      'aws/aws-docs-cc-by-sa/cloudtrail-log-file-examples/example01.json',
    ).Records.map((r) => JSON.stringify(r).replaceAll('\\', ''));
    const next = random(16);
    // No control characters: inside a string JSON refuses them and the scan does not look (documented).
    const alphabet = '{}[]":,0123456789-+.eEtrufalsn xyz';
    let checked = 0;
    for (let round = 0; round < 4000; round++) {
      const text = records[round % records.length] as string;
      const at = Math.floor(next() * text.length);
      const char = alphabet[Math.floor(next() * alphabet.length)] as string;
      const op = next();
      const damaged =
        op < 0.34
          ? text.slice(0, at) + text.slice(at + 1)
          : op < 0.67
            ? text.slice(0, at) + char + text.slice(at)
            : text.slice(0, at) + char + text.slice(at + 1);
      expect(plain.read(damaged), damaged).toBe(parses(damaged));
      checked++;
    }
    expect(checked).toBe(4000);
  });

  it('reads pretty-printed records (whitespace of every kind between tokens)', () => {
    const record = readFixtureJson<{ Records: unknown[] }>(
      'aws/aws-docs-cc-by-sa/cloudtrail-log-file-examples/example01.json',
    ).Records[0];
    expect(plain.read(JSON.stringify(record, null, 2))).toBe(true);
    expect(plain.read(JSON.stringify(record, null, '\t').replaceAll('\n', '\r\n'))).toBe(true);
  });

  it('refuses a field whose type the shape does not allow, at any depth it names', () => {
    const scan = new JsonScan({ a: S, o: 'object', l: 'array', u: { t: S, c: { i: { arn: S } } } }, []);
    expect(scan.read('{"a":"x","o":{"z":[1]},"l":[{}],"u":{"t":3,"c":{"i":{"arn":"y"}}}}')).toBe(true);
    expect(scan.read('{"a":null,"o":null,"l":null,"u":null}')).toBe(true);
    expect(scan.read('{"a":{}}')).toBe(false);
    expect(scan.read('{"a":[]}')).toBe(false);
    expect(scan.read('{"o":"x"}')).toBe(false);
    expect(scan.read('{"o":[]}')).toBe(false);
    expect(scan.read('{"l":{}}')).toBe(false);
    expect(scan.read('{"u":"x"}')).toBe(false);
    expect(scan.read('{"u":{"t":{}}}')).toBe(false);
    expect(scan.read('{"u":{"c":{"i":{"arn":[1]}}}}')).toBe(false);
    // Fields the shape does not name, and the same names elsewhere, are not checked.
    expect(scan.read('{"z":{"a":{}},"u":{"z":{"t":[]}}}')).toBe(true);
  });

  it('tells where the wanted top-level fields are, the last of a duplicated key winning', () => {
    const scan = new JsonScan({ a: S }, ['a', 'n', 'o', 'missing']);
    const text = '{"a":"first","x":{"a":"nested"},"n":12.5,"o":{"k":1},"a":"last"}';
    expect(scan.read(text)).toBe(true);
    const a = scan.id('a');
    expect(scan.kind(a)).toBe(STRING);
    expect(text.slice(scan.start(a), scan.end(a))).toBe('last');
    expect(scan.kind(scan.id('n'))).toBe(NUMBER);
    expect(text.slice(scan.start(scan.id('n')), scan.end(scan.id('n')))).toBe('12.5');
    expect(scan.kind(scan.id('o'))).toBe(OBJECT);
    expect(scan.kind(scan.id('missing'))).toBe(0);
    expect(() => scan.id('other')).toThrow(/other was not asked for/);
  });

  it('finds where an object ends inside a longer text, and says when the text ends inside it', () => {
    const record = '{"a":[1,-2.5e3,true,false,null,{"b":"c"}],"d":{}}';
    const text = `[ ${record} , ${record}]`;
    expect(plain.objectAt(text, 2)).toBe(2 + record.length);
    expect(plain.objectAt(text, 5 + record.length)).toBe(5 + 2 * record.length);
    // Cut anywhere inside, it needs more text — never a wrong end.
    for (let cut = 1; cut < record.length; cut++)
      expect(plain.objectAt(record.slice(0, cut), 0), record.slice(0, cut)).toBe(-2);
    expect(plain.objectAt(text, 0)).toBe(-1);
  });

  it('gives up past 64 levels of nesting (JSON.parse would read it: the caller then does)', () => {
    expect(plain.read(`{"a":${'['.repeat(63)}${']'.repeat(63)}}`)).toBe(true);
    expect(plain.read(`{"a":${'['.repeat(64)}${']'.repeat(64)}}`)).toBe(false);
  });
});
