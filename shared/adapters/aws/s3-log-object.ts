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
 * Streams one S3 object through the JSON splitter: CloudTrail objects are gzip (told by the magic
 * bytes, not the name), so a 50 MB object inflating to 1 GB of JSON never sits in memory whole.
 * Throws SourceReadError naming the object and the S3 error (NoSuchKey, AccessDenied, corrupt gzip).
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
): Promise<{ compressedBytes: number }> {
  const location = s3Uri(ref);
  let body: Readable;
  try {
    const output = await s3.send(
      new GetObjectCommand({
        Bucket: ref.bucket,
        Key: ref.key,
        ...(ref.versionId ? { VersionId: ref.versionId } : {}),
      }),
    );
    if (!(output.Body instanceof Readable)) throw new Error('GetObject returned no stream body');
    body = output.Body;
  } catch (error) {
    throw new SourceReadError(location, `S3 GetObject failed: ${describeAwsError(error)}`, { cause: error });
  }
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
