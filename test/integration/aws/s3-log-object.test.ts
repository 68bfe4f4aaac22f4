import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RangedRead, readS3LogObject } from '../../../shared/adapters/aws/s3-log-object.js';
import type { JsonChunk } from '../../../shared/core/ingest/json-splitter.js';
import { type LocalS3, startLocalS3 } from './support/local-s3.js';
import { logFile, STRATUS } from './support/trail-records.js';

/**
 * The S3 read against s3rver: an object larger than one part is fetched in byte ranges, several at
 * once, and handed to gunzip and the splitter in order. Parts here are a few KB so the real-record
 * files (Stratus Red Team) span many of them, records straddling every boundary.
 */

const BUCKET = 'trail';
const SMALL: RangedRead = { partBytes: 4096, partsInFlight: 3 };
const WHOLE: RangedRead = { partBytes: 1 << 30, partsInFlight: 1 };

let s3: LocalS3;

beforeAll(async () => {
  s3 = await startLocalS3();
  await s3.createBucket(BUCKET);
});

afterAll(async () => {
  await s3?.close();
});

async function read(key: string, ranged: RangedRead, pace?: () => Promise<void> | undefined) {
  const chunks: string[] = [];
  const { compressedBytes } = await readS3LogObject(
    s3.client,
    { bucket: BUCKET, key },
    (chunk: JsonChunk) => chunks.push(chunk.text),
    pace,
    undefined,
    ranged,
  );
  return { chunks, compressedBytes };
}

describe('readS3LogObject in byte ranges', () => {
  it('reads a gzip object of many parts exactly as one GET does, every record whole, every byte counted', async () => {
    const body = logFile(STRATUS);
    expect(body.length).toBeGreaterThan(SMALL.partBytes * 8);
    await s3.put(BUCKET, 'many-parts.json.gz', body);
    const ranged = await read('many-parts.json.gz', SMALL);
    expect(ranged.chunks.map((text) => JSON.parse(text))).toEqual(STRATUS);
    expect(ranged.compressedBytes).toBe(body.length);
    expect(await read('many-parts.json.gz', WHOLE)).toEqual(ranged);
  });

  it('reads a plain object whose records straddle part boundaries, and the same object in two parts', async () => {
    const text = JSON.stringify({ Records: STRATUS.slice(0, 40) });
    await s3.put(BUCKET, 'plain.json', text);
    const { chunks, compressedBytes } = await read('plain.json', { partBytes: 1000, partsInFlight: 2 });
    expect(chunks.map((c) => JSON.parse(c))).toEqual(STRATUS.slice(0, 40));
    expect(compressedBytes).toBe(Buffer.byteLength(text));
    const exact = Buffer.byteLength(text);
    const twoParts = await read('plain.json', { partBytes: Math.ceil(exact / 2), partsInFlight: 4 });
    expect(twoParts.chunks).toEqual(chunks);
  });

  it('reads an object smaller than a part, and an empty object, with one GET', async () => {
    await s3.put(BUCKET, 'small.json.gz', logFile(STRATUS.slice(0, 2)));
    expect((await read('small.json.gz', SMALL)).chunks).toHaveLength(2);
    await s3.put(BUCKET, 'empty.json', '');
    expect(await read('empty.json', SMALL)).toEqual({ chunks: [], compressedBytes: 0 });
  });

  it('names the object and the S3 error when it is missing', async () => {
    const error = await read('missing.json.gz', SMALL).catch((e: unknown) => e as Error);
    expect(error).toMatchObject({ name: 'SourceReadError', location: `s3://${BUCKET}/missing.json.gz` });
    expect((error as Error).message).toMatch(/GetObject failed: NoSuchKey/);
  });

  it('fails naming the object and the byte range when a later part cannot be read (the object deleted meanwhile)', async () => {
    await s3.put(BUCKET, 'vanishing.json.gz', logFile(STRATUS));
    let deleted: Promise<unknown> | undefined;
    const pace = () => {
      deleted ??= s3.client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'vanishing.json.gz' }));
      return deleted.then(() => undefined);
    };
    const error = await read('vanishing.json.gz', SMALL, pace).catch((e: unknown) => e as Error);
    expect(error).toMatchObject({ name: 'SourceReadError', location: `s3://${BUCKET}/vanishing.json.gz` });
    expect((error as Error).message).toMatch(/GetObject bytes \d+-\d+ of \d+ failed: NoSuchKey/);
  });

  it('names a corrupt gzip object spanning several parts', async () => {
    const body = logFile(STRATUS);
    body.fill(0x41, 5000, 9000);
    await s3.put(BUCKET, 'corrupt.json.gz', body);
    const error = await read('corrupt.json.gz', SMALL).catch((e: unknown) => e as Error);
    expect(error).toMatchObject({ name: 'SourceReadError', location: `s3://${BUCKET}/corrupt.json.gz` });
  });
});
