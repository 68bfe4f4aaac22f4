import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SourceReadError } from '../../core/ingest/errors.js';
import type { Container, ElementReader, JsonChunk } from '../../core/ingest/json-splitter.js';
import { INFLATE, type Pace, splitStream } from '../files/log-files.js';
import { describeAwsError } from './errors.js';

/** One object to read, as an S3 notification names it (key already URL-decoded). */
export interface S3ObjectRef {
  bucket: string;
  key: string;
  versionId?: string;
}

/** `s3://bucket/key`: the location every record of the object is reported under. */
export function s3Uri(ref: S3ObjectRef): string {
  return `s3://${ref.bucket}/${ref.key}`;
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/**
 * How an object is fetched: byte ranges of `partBytes`, up to `partsInFlight` GETs at once beside the
 * part being read, handed on in order (S3 user guide, "Best practices design patterns: optimizing
 * Amazon S3 performance", byte-range fetches: 8–16 MB parts). Memory stays bounded by the parts in flight.
 */
export interface RangedRead {
  partBytes: number;
  partsInFlight: number;
}

export const RANGED_READ: RangedRead = { partBytes: 8 << 20, partsInFlight: 4 };

/**
 * Streams one S3 object through the JSON splitter: CloudTrail objects are gzip (told by the magic
 * bytes, not the name), so a 50 MB object inflating to 1 GB of JSON never sits in memory whole. An
 * object larger than one part is fetched in parallel byte ranges (its size learnt from the first
 * range's Content-Range, every later range held to the first one's ETag so a rewritten object is not
 * read half old, half new). Throws SourceReadError naming the object and the S3 error (NoSuchKey,
 * AccessDenied, a part that failed, corrupt gzip).
 *
 * @example
 * await readS3LogObject(s3, { bucket: 'trail', key: 'AWSLogs/…json.gz' }, (chunk, container) =>
 *   pipeline.chunk(chunk, container, 's3://trail/AWSLogs/…json.gz'));
 */
export async function readS3LogObject(
  s3: S3Client,
  ref: S3ObjectRef,
  onChunk: (chunk: JsonChunk, container: Container) => void,
  pace?: Pace,
  reader?: ElementReader,
  ranged: RangedRead = RANGED_READ,
): Promise<{ compressedBytes: number }> {
  const location = s3Uri(ref);
  const body = await openObject(s3, ref, location, ranged);
  const counted = { bytes: 0 };
  let source: Readable;
  try {
    source = await decompressIfGzip(body, counted);
  } catch (error) {
    body.destroy();
    throw new SourceReadError(location, `S3 object body: ${(error as Error).message}`, { cause: error });
  }
  await splitStream(source, location, onChunk, () => body.destroy(), pace, reader);
  return { compressedBytes: counted.bytes };
}

/** The object's bytes in order: the first range as it streams, the others fetched ahead, in parallel. */
async function openObject(s3: S3Client, ref: S3ObjectRef, location: string, ranged: RangedRead): Promise<Readable> {
  const abort = new AbortController();
  const get = (range?: string, etag?: string) =>
    s3.send(
      new GetObjectCommand({
        Bucket: ref.bucket,
        Key: ref.key,
        ...(ref.versionId ? { VersionId: ref.versionId } : {}),
        ...(range ? { Range: range } : {}),
        ...(etag ? { IfMatch: etag } : {}),
      }),
      { abortSignal: abort.signal },
    );
  let first: Awaited<ReturnType<typeof get>>;
  try {
    first = await get(`bytes=0-${ranged.partBytes - 1}`).catch((error: unknown) => {
      // An empty object has no byte 0: S3 answers any range with 416 InvalidRange.
      if ((error as { name?: unknown }).name === 'InvalidRange') return get();
      throw error;
    });
    if (!(first.Body instanceof Readable)) throw new Error('GetObject returned no stream body');
  } catch (error) {
    throw new SourceReadError(location, `S3 GetObject failed: ${describeAwsError(error)}`, { cause: error });
  }
  const head = first.Body;
  // `bytes 0-8388607/52613403`; absent when the whole object came back (a store that ignores ranges).
  const total = Number(/\/(\d+)$/.exec(first.ContentRange ?? '')?.[1] ?? Number.NaN);
  if (total === 0) {
    // Empty: nothing to read (S3 itself answers 416 above; some S3-compatible stores send a bad body).
    head.destroy();
    return Readable.from([]);
  }
  if (!(total > ranged.partBytes)) return head;
  // A part is kept as the pieces it arrived in: joining 8 MiB cost a copy (~1 ms per MiB, the SDK's concatBytes).
  const fetchPart = async (start: number): Promise<Buffer[]> => {
    const end = Math.min(start + ranged.partBytes, total) - 1;
    try {
      const output = await get(`bytes=${start}-${end}`, first.ETag);
      if (!(output.Body instanceof Readable)) throw new Error('GetObject returned no stream body');
      const pieces: Buffer[] = [];
      let length = 0;
      for await (const piece of output.Body as AsyncIterable<Buffer>) {
        pieces.push(piece);
        length += piece.length;
      }
      if (length !== end - start + 1) throw new Error(`${length} bytes for ${end - start + 1}`);
      return pieces;
    } catch (error) {
      throw new Error(`S3 GetObject bytes ${start}-${end} of ${total} failed: ${describeAwsError(error)}`, {
        cause: error,
      });
    }
  };
  const starts: number[] = [];
  for (let start = ranged.partBytes; start < total; start += ranged.partBytes) starts.push(start);
  return Readable.from(inOrder(head, starts, fetchPart, ranged.partsInFlight, abort), { objectMode: false });
}

/** The head's bytes, then each part's in order, with up to `inFlight` parts fetched ahead of the reader. */
async function* inOrder(
  head: Readable,
  starts: readonly number[],
  fetchPart: (start: number) => Promise<Buffer[]>,
  inFlight: number,
  abort: AbortController,
): AsyncGenerator<Buffer> {
  const pending: Promise<Buffer[]>[] = [];
  let next = 0;
  const fill = () => {
    for (; pending.length < inFlight && next < starts.length; next++) {
      const part = fetchPart(starts[next] as number);
      // Awaited in order below, where a failure is thrown; never an unhandled rejection meanwhile.
      part.catch(() => {});
      pending.push(part);
    }
  };
  try {
    fill();
    yield* head;
    for (let part = pending.shift(); part; part = pending.shift()) {
      const pieces = await part;
      fill();
      yield* pieces;
    }
  } finally {
    // A reader that stops early (an error, a destroyed stream) leaves no request running.
    abort.abort();
    head.destroy();
  }
}

/**
 * Reads until the first two bytes are known; gzip goes through a streaming gunzip, anything else is
 * read as is. pipeline() carries an error of the body (a reset connection) into the returned stream,
 * so the splitter's loop sees it.
 */
async function decompressIfGzip(body: Readable, counted: { bytes: number }): Promise<Readable> {
  const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let head: Buffer = Buffer.alloc(0);
  let ended = false;
  while (head.length < 2 && !ended) {
    const next = await chunks.next();
    if (next.done) ended = true;
    else head = head.length === 0 ? next.value : Buffer.concat([head, next.value]);
  }
  counted.bytes += head.length;
  async function* replay(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    if (ended) return;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
      counted.bytes += next.value.length;
      yield next.value;
    }
  }
  const stream = Readable.from(replay(), { objectMode: false });
  if (head[0] !== GZIP_MAGIC_0 || head[1] !== GZIP_MAGIC_1) return stream;
  return pipeline(stream, createGunzip(INFLATE), () => {});
}
