import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLogFile } from '../../../shared/adapters/files/log-files.js';
import { CloudTrailScreen } from '../../../shared/core/ingest/cloudtrail-screen.js';
import { SourceReadError } from '../../../shared/core/ingest/errors.js';
import type { Container, JsonChunk } from '../../../shared/core/ingest/json-splitter.js';
import { scanSegment } from '../../../shared/core/ingest/record-segments.js';
import { parseRegistry, RegistryMatcher } from '../../../shared/core/registry/index.js';
import { STRATUS } from '../../integration/aws/support/trail-records.js';

/**
 * A gzip cut short (an upload that stopped, a disk that filled) is reported unreadable, and every record
 * whole in what could be inflated is still read — however busy the reader was when the cut was reached.
 * Node's stream iterator drops what a stream holds when it fails; a reader waiting on its workers then
 * lost the records inflated last.
 */

const screen = CloudTrailScreen.of(
  new RegistryMatcher(
    parseRegistry('accounts: [{ id: s, cloud: aws, match: { userName: stratus-red-team-user } }]', 'r.yaml'),
  ),
) as CloudTrailScreen;
let dir: string;
let file: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'glasswatch-truncated-'));
  const many = Array.from({ length: 400 }, (_, i) => STRATUS[i % STRATUS.length]);
  file = join(dir, 'cut.json.gz');
  await writeFile(file, gzipSync(JSON.stringify({ Records: many })).subarray(0, 20_000));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function read(options: { busy: boolean; segments: boolean }) {
  const indexes: number[] = [];
  let waits = 0;
  // A busy reader: each piece is followed by a wait (workers full) long enough for the gzip to fail meanwhile.
  const pace = () => (options.busy && waits++ < 3 ? new Promise<void>((r) => setTimeout(r, 150)) : undefined);
  const scanner = { scan: async (bytes: Uint8Array) => scanSegment(bytes, screen) };
  const error = await readLogFile(
    file,
    (chunk: JsonChunk, _container: Container) => indexes.push(chunk.index),
    undefined,
    pace,
    screen,
    options.segments ? scanner : undefined,
  ).catch((e: unknown) => e);
  return { indexes, error };
}

describe('a truncated gzip log file', () => {
  it('is unreadable, and every record before the cut is read, busy or not, in segments or not', async () => {
    const idle = await read({ busy: false, segments: false });
    expect(idle.error).toBeInstanceOf(SourceReadError);
    expect((idle.error as Error).message).toMatch(/unexpected end of file/);
    expect(idle.indexes.length).toBeGreaterThan(20);
    expect(idle.indexes).toEqual(idle.indexes.map((_, i) => i));
    for (const options of [
      { busy: true, segments: false },
      { busy: false, segments: true },
      { busy: true, segments: true },
    ]) {
      const { indexes, error } = await read(options);
      expect(error, JSON.stringify(options)).toBeInstanceOf(SourceReadError);
      expect(indexes, JSON.stringify(options)).toEqual(idle.indexes);
    }
  });
});
