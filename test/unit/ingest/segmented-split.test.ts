import { StringDecoder } from 'node:string_decoder';
import { describe, expect, it } from 'vitest';
import { CloudTrailScreen } from '../../../shared/core/ingest/cloudtrail-screen.js';
import { type Container, type JsonChunk, JsonSplitter } from '../../../shared/core/ingest/json-splitter.js';
import { findOpening } from '../../../shared/core/ingest/json-tokens.js';
import { recordOpening, type SegmentScan, scanSegment } from '../../../shared/core/ingest/record-segments.js';
import { SegmentedSplit, type SegmentScanner } from '../../../shared/core/ingest/segmented-split.js';
import { parseRegistry, RegistryMatcher } from '../../../shared/core/registry/index.js';
import { STRATUS } from '../../integration/aws/support/trail-records.js';

/**
 * A log file read in segments on other threads must give the pipeline exactly what one splitter over
 * the whole file gives: the same chunks (text, index, line, the screen's word) in the same order, for
 * real CloudTrail files and for files built to fool the cut (a record's nested object opening like a
 * record), with escapes, multi-byte characters, malformed and truncated records, pretty-printing, and
 * files that are no `{"Records":[…]}` at all. Scans finish out of order and their bytes are moved, as
 * between threads.
 */

type Json = Record<string, unknown>;
const REGISTRY = parseRegistry(
  `accounts:
  - { id: stratus, cloud: aws, match: { userName: stratus-red-team-user } }
  - { id: root, cloud: aws, match: { arn: "arn:aws:iam::111122223333:root" } }`,
  'registry.yaml',
);

/** The key a record of the file opens with (the stratus sample's keys are sorted: `awsRegion`). */
const FIRST_KEY = Object.keys(STRATUS[0] as Json)[0] as string;

/** Real records repeated, with look-alikes of a record start inside records, escapes and odd characters mixed in. */
function trickyRecords(count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const record: Json = { ...(STRATUS[i % STRATUS.length] as Json), eventID: `segment-${i}` };
    if (i % 7 === 3) record.requestParameters = { items: [{ a: 1 }, { [FIRST_KEY]: 'nested', b: '},{' }] };
    if (i % 11 === 5) record.userAgent = 'caf\u00e9 \u{1F600} \u6f22\u5b57';
    let text = JSON.stringify(record);
    if (i % 13 === 6) text = text.replace('"eventName":"', '"eventName":"\\u0047'); // an escape: read in full
    if (i % 17 === 8) text = '{"eventVersion": tru}';
    if (i % 19 === 9) text = '42';
    out.push(text);
  }
  return out;
}

const FILES: Record<string, string> = {
  real: JSON.stringify({ Records: STRATUS }),
  tricky: `{"Records":[${trickyRecords(600).join(',')}]}`,
  spaced: `{ "Records" : [\n  ${trickyRecords(300).join(' ,\n  ')}\n] }\n`,
  pretty: JSON.stringify({ Records: STRATUS.slice(0, 120) }, null, 2),
  // After the first 100, every record ends in an object that opens like a record: each guess falls inside one.
  nestedLast: `{"Records":[${trickyRecords(300)
    .map((r, i) => (i < 100 ? r : r.replace(/\}$/, `,"z":[{"a":0},{"${FIRST_KEY}":"1"}]}`)))
    .join(',')}]}`,
  truncated: `{"Records":[${trickyRecords(300).join(',')}`.slice(0, -500),
  thenMore: `{"Records":[${trickyRecords(200).join(',')}]}\n{"records":[{"time":"2026-11-01T00:00:00Z"}]}\n`,
  // A record larger than the room a segment buffer keeps past its cut (256 KiB): read in order there.
  huge: `{"Records":[${[
    ...trickyRecords(100),
    JSON.stringify({ ...(STRATUS[0] as Json), requestParameters: { blob: 'x'.repeat(400_000) } }),
    ...trickyRecords(100),
  ].join(',')}]}`,
  lines: trickyRecords(300).join('\n'),
  array: `[${trickyRecords(200).join(',')}]`,
};

interface Seen {
  container: Container;
  index: number;
  line: number;
  screened: JsonChunk['screened'];
  text: string;
}

function seen(chunk: JsonChunk, container: Container): Seen {
  return {
    container,
    index: chunk.index,
    line: chunk.line,
    screened: chunk.screened,
    text: chunk.screened ? '' : chunk.text,
  };
}

/** The file read by one splitter, in pieces. */
function inOneSplitter(bytes: Buffer, screen: CloudTrailScreen): Seen[] {
  const out: Seen[] = [];
  const splitter = new JsonSplitter((chunk) => out.push(seen(chunk, splitter.container ?? 'document')), screen);
  const decoder = new StringDecoder('utf8');
  for (let at = 0; at < bytes.length; at += 777) splitter.push(decoder.write(bytes.subarray(at, at + 777)));
  splitter.push(decoder.end());
  splitter.end();
  return out;
}

/** Another "thread": its own screen, bytes moved in and out, answers in a shuffled order; declines its first two and every third. */
function threads(registrySeed: number): SegmentScanner & { scans: SegmentScan[] } {
  const screen = CloudTrailScreen.of(new RegistryMatcher(REGISTRY)) as CloudTrailScreen;
  const scans: SegmentScan[] = [];
  let turn = registrySeed;
  return {
    scans,
    scan(bytes, mustTake) {
      // Not loaded yet, then busy every third time: the reader reads those itself.
      if (!mustTake && (turn < registrySeed + 2 || turn % 3 === 0)) {
        turn++;
        return undefined;
      }
      turn++;
      const moved = structuredClone(bytes, { transfer: [bytes.buffer] });
      const delay = (turn++ * 7) % 5;
      return new Promise((resolve) =>
        setTimeout(() => {
          const scan = scanSegment(moved, screen);
          scans.push(scan);
          resolve(structuredClone(scan, { transfer: [scan.bytes.buffer] }));
        }, delay),
      );
    },
  };
}

async function inSegments(bytes: Buffer, screen: CloudTrailScreen, segmentBytes: number, seed: number) {
  const out: Seen[] = [];
  const scanner = threads(seed);
  const split = new SegmentedSplit((chunk, container) => out.push(seen(chunk, container)), screen, scanner, {
    segmentBytes,
    ahead: 3,
  });
  // Pieces of uneven sizes, as a gunzip stream or a socket hands them.
  for (let at = 0, step = 1; at < bytes.length; step++) {
    const size = 300 + ((step * 7919) % 9000);
    await split.push(bytes.subarray(at, at + size));
    at += size;
  }
  await split.end();
  return { out, scans: scanner.scans };
}

describe('SegmentedSplit', () => {
  const screen = CloudTrailScreen.of(new RegistryMatcher(REGISTRY)) as CloudTrailScreen;

  for (const [name, text] of Object.entries(FILES)) {
    it(`reads the ${name} file as one splitter does, whatever the segment size`, async () => {
      const bytes = Buffer.from(text, 'utf8');
      const expected = inOneSplitter(bytes, screen);
      expect(expected.length).toBeGreaterThan(0);
      for (const [i, segmentBytes] of [1500, 4096, 25_000].entries()) {
        const { out } = await inSegments(bytes, screen, segmentBytes, i);
        expect(out).toEqual(expected);
      }
    });
  }

  it('reads most of a CloudTrail file on the other threads, and proves every cut it uses', async () => {
    const bytes = Buffer.from(FILES.tricky as string, 'utf8');
    const { out, scans } = await inSegments(bytes, screen, 4096, 0);
    const elsewhere = scans.filter((s) => s.betweenRecords).reduce((n, s) => n + s.records, 0);
    expect(elsewhere).toBeGreaterThan(out.length / 2);
    // Some guesses fell inside a record (the nested look-alikes): those segments were read again in order.
    const nested = await inSegments(Buffer.from(FILES.nestedLast as string, 'utf8'), screen, 4096, 0);
    expect(nested.scans.some((s) => !s.betweenRecords)).toBe(true);
  });

  it('does not cut a file whose records cannot be told by their opening', async () => {
    const { scans } = await inSegments(Buffer.from(FILES.lines as string, 'utf8'), screen, 1500, 0);
    expect(scans).toEqual([]);
  });
});

describe('cuts', () => {
  it("take a record's opening up to its first key, plain ASCII only", () => {
    expect(recordOpening('{"eventVersion":"1.08"}')?.toString()).toBe('{"eventVersion":');
    expect(recordOpening('{\n  "eventVersion": "1.08"}')?.toString()).toBe('{\n  "eventVersion":');
    expect(recordOpening('{"\u00e9v":1}')).toBeUndefined();
    expect(recordOpening('[1]')).toBeUndefined();
    expect(recordOpening(`{"${'k'.repeat(80)}":1}`)).toBeUndefined();
  });

  it('fall only after a comma, in bytes as in text', () => {
    const text = '[{"eventVersion":1}, \n{"eventVersion":2},{"x":{"eventVersion":3}}]';
    for (const [within, opening] of [
      [Buffer.from(text), Buffer.from('{"eventVersion":')],
      [text, '{"eventVersion":'],
    ] as const) {
      expect(findOpening(within, 0, opening)).toBe(text.indexOf('{"eventVersion":2'));
      expect(findOpening(within, text.indexOf('{"eventVersion":2') + 1, opening)).toBe(-1);
    }
  });
});
