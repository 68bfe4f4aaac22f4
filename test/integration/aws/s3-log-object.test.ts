import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readS3LogObject } from '../../../shared/adapters/aws/s3-log-object.js';
import { localS3Client } from '../../../shared/adapters/aws/s3-prefix.js';
import type { JsonChunk } from '../../../shared/core/ingest/json-splitter.js';
import { s3Client } from '../../../shared/runtime/aws/clients.js';
import { createObservability } from '../../../shared/runtime/aws/observability.js';
import { type LocalS3, startLocalS3 } from './support/local-s3.js';
import { logFile, STRATUS } from './support/trail-records.js';

/**
 * The S3 read against s3rver: one GET streamed through gunzip (told by the magic bytes) and the
 * splitter. The Stratus Red Team file inflates to ~400 KB, several pieces, records straddling them.
 */

const BUCKET = 'trail';

let s3: LocalS3;

beforeAll(async () => {
  s3 = await startLocalS3();
  await s3.createBucket(BUCKET);
});

afterAll(async () => {
  await s3?.close();
});

async function read(key: string, pace?: () => Promise<void> | undefined) {
  const chunks: string[] = [];
  const { compressedBytes } = await readS3LogObject(
    s3.client,
    { bucket: BUCKET, key },
    (chunk: JsonChunk) => chunks.push(chunk.text),
    pace,
  );
  return { chunks, compressedBytes };
}

describe('readS3LogObject', () => {
  it('reads a gzip object of many pieces, every record whole and in order, every byte counted', async () => {
    const body = logFile(STRATUS);
    await s3.put(BUCKET, 'many-pieces.json.gz', body);
    const { chunks, compressedBytes } = await read('many-pieces.json.gz');
    expect(chunks.map((text) => JSON.parse(text))).toEqual(STRATUS);
    expect(compressedBytes).toBe(body.length);
  });

  it('reads a plain object as it is', async () => {
    const text = JSON.stringify({ Records: STRATUS.slice(0, 40) });
    await s3.put(BUCKET, 'plain.json', text);
    const { chunks, compressedBytes } = await read('plain.json');
    expect(chunks.map((c) => JSON.parse(c))).toEqual(STRATUS.slice(0, 40));
    expect(compressedBytes).toBe(Buffer.byteLength(text));
  });

  it('reads an empty object as no records, and a one-byte object as its one byte', async () => {
    await s3.put(BUCKET, 'empty.json', '');
    expect(await read('empty.json')).toEqual({ chunks: [], compressedBytes: 0 });
    await s3.put(BUCKET, 'one-byte.json', '7');
    expect(await read('one-byte.json')).toEqual({ chunks: ['7'], compressedBytes: 1 });
  });

  it('stops taking pieces while pace waits, then reads the rest', async () => {
    await s3.put(BUCKET, 'paced.json.gz', logFile(STRATUS));
    let release: (() => void) | undefined;
    let paused: Promise<void> | undefined;
    const counts: number[] = [];
    const result = { chunks: [] as string[] };
    const pace = () => {
      if (paused) return undefined;
      paused = new Promise<void>((resolve) => {
        release = resolve;
      });
      counts.push(result.chunks.length);
      return paused;
    };
    const reading = readS3LogObject(
      s3.client,
      { bucket: BUCKET, key: 'paced.json.gz' },
      (chunk: JsonChunk) => result.chunks.push(chunk.text),
      pace,
    );
    while (!release) await new Promise((resolve) => setImmediate(resolve));
    // Many turns of the event loop, in which gunzip and the socket deliver whatever they have.
    for (let turn = 0; turn < 50; turn++) await new Promise((resolve) => setImmediate(resolve));
    counts.push(result.chunks.length);
    release();
    await reading;
    expect(counts[1]).toBe(counts[0]);
    expect(counts[0]).toBeLessThan(STRATUS.length);
    expect(result.chunks.map((text) => JSON.parse(text))).toEqual(STRATUS);
  });

  it('names the object and the S3 error when it is missing', async () => {
    const error = await read('missing.json.gz').catch((e: unknown) => e as Error);
    expect(error).toMatchObject({ name: 'SourceReadError', location: `s3://${BUCKET}/missing.json.gz` });
    expect((error as Error).message).toMatch(/GetObject failed: NoSuchKey/);
  });

  it('names a corrupt gzip object', async () => {
    const body = logFile(STRATUS);
    body.fill(0x41, 5000, 9000);
    await s3.put(BUCKET, 'corrupt.json.gz', body);
    const error = await read('corrupt.json.gz').catch((e: unknown) => e as Error);
    expect(error).toMatchObject({ name: 'SourceReadError', location: `s3://${BUCKET}/corrupt.json.gz` });
  });

  it("reads without asking S3 for the object's checksum (gunzip checks the file's own CRC-32), where the SDK's default asks", async () => {
    await s3.put(BUCKET, 'checked.json.gz', logFile(STRATUS.slice(0, 3)));
    const modes: unknown[] = [];
    const seen = (message: unknown) => {
      const { request } = message as { request: ClientRequest };
      if (request.method === 'GET') modes.push(request.getHeader('x-amz-checksum-mode'));
    };
    const reader = localS3Client({
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
    });
    subscribe('http.client.request.start', seen);
    try {
      await readS3LogObject(reader, { bucket: BUCKET, key: 'checked.json.gz' }, () => {});
      await readS3LogObject(s3.client, { bucket: BUCKET, key: 'checked.json.gz' }, () => {});
    } finally {
      unsubscribe('http.client.request.start', seen);
      reader.destroy();
    }
    expect(modes).toEqual([undefined, 'ENABLED']);
    // The Lambda functions' reader of the trail bucket is configured alike.
    const lambdaReader = s3Client(createObservability());
    expect(await lambdaReader.config.responseChecksumValidation()).toBe('WHEN_REQUIRED');
    lambdaReader.destroy();
  });
});
