import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLogFile, splitStream } from '../../../shared/adapters/files/log-files.js';
import type { JsonChunk } from '../../../shared/core/ingest/json-splitter.js';

/**
 * Log files are read as bytes (inflated in 256 KiB jobs, socket reads of any size) and decoded as UTF-8
 * in 64 KiB pieces: a character of two, three or four bytes cut by any of those boundaries is read whole.
 */

// Each record is 1 + 2 + 3 + 4 bytes of characters plus ASCII of a length that shifts the cuts.
const records = Array.from({ length: 20_000 }, (_, i) => ({
  eventID: `e-${i}`,
  userName: `é€😀-${'x'.repeat(i % 7)}`,
  note: 'ü'.repeat(i % 13),
}));
const text = JSON.stringify({ Records: records });
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'glasswatch-text-'));
  await writeFile(join(dir, 'plain.json'), text);
  await writeFile(join(dir, 'log.json.gz'), gzipSync(text));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function parsed(chunks: JsonChunk[]): unknown[] {
  return chunks.map((chunk) => JSON.parse(chunk.text));
}

describe('a log file of multi-byte text', () => {
  it('spans many pieces and inflate jobs', () => {
    expect(Buffer.byteLength(text)).toBeGreaterThan(4 * (256 << 10));
  });

  it.each(['plain.json', 'log.json.gz'])('%s: every record is read with its characters whole', async (name) => {
    const chunks: JsonChunk[] = [];
    await readLogFile(join(dir, name), (chunk) => chunks.push(chunk));
    expect(parsed(chunks)).toEqual(records);
  });

  it('a stream cut into pieces of odd sizes (socket reads) reads the same', async () => {
    const bytes = Buffer.from(text, 'utf8');
    const pieces: Buffer[] = [];
    for (let at = 0, size = 1; at < bytes.length; at += size, size = (size * 7 + 3) % 70_001) {
      pieces.push(bytes.subarray(at, at + size));
    }
    const chunks: JsonChunk[] = [];
    await splitStream(Readable.from(pieces), 'pieces', (chunk) => chunks.push(chunk));
    expect(parsed(chunks)).toEqual(records);
  });
});
