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

/**
 * The S3 client settings of every reader of log objects. The SDK's default response checksum validation
 * (WHEN_SUPPORTED) asks S3 for the object's checksum and computes it over the whole body in JavaScript:
 * CRC64NVME, which S3 stores for every object written since December 2024 (CloudTrail's too), ~0.12 s of
 * the one vCPU per 50 MB object (the SDK's Crc64Nvme, measured). A gzip log file carries its own CRC-32
 * and length, which gunzip checks (RFC 1952), and the transfer is TLS: the checksum is validated only
 * when a caller asks for it (WHEN_REQUIRED; AWS SDKs and Tools Reference Guide, "Data Integrity
 * Protections for Amazon S3"). Uploads are not changed.
 */
export const LOG_OBJECT_READER = { responseChecksumValidation: 'WHEN_REQUIRED' } as const;

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/**
 * Streams one S3 object through the JSON splitter: CloudTrail objects are gzip (told by the magic
 * bytes, not the name), so a 50 MB object inflating to 1 GB of JSON never sits in memory whole.
 * One GET, read as the splitter takes it: the reader is CPU-bound (about 20 MB of gzip a second on
 * one vCPU), so parallel byte ranges, S3's way to raise one object's throughput, only added requests,
 * parts held in memory (~50 MB more peak RSS) and CPU (measured, README "Benchmarks"). Throws
 * SourceReadError naming the object and the S3 error (NoSuchKey, AccessDenied, corrupt gzip, a reset
 * connection).
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
  let bytes: number;
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
    bytes = output.ContentLength ?? 0;
  } catch (error) {
    throw new SourceReadError(location, `S3 GetObject failed: ${describeAwsError(error)}`, { cause: error });
  }
  let source: Readable;
  try {
    source = await decompressIfGzip(body);
  } catch (error) {
    body.destroy();
    throw new SourceReadError(location, `S3 object body: ${(error as Error).message}`, { cause: error });
  }
  await splitStream(source, location, onChunk, () => body.destroy(), pace, reader);
  // Read to its end: a body shorter than its Content-Length fails above (a reset connection, a truncated gzip).
  return { compressedBytes: bytes };
}

/**
 * Waits until the first two bytes are known (left in the body for its reader); gzip goes through a
 * streaming gunzip, anything else is read as is. pipeline() carries an error of the body (a reset
 * connection) into the returned stream, so the splitter sees it. Stream events, not an async iterator
 * (a few promises per piece, which cost more than the piece's handling where async hooks are on: the
 * X-Ray SDK in Lambda).
 */
async function decompressIfGzip(body: Readable): Promise<Readable> {
  const { head, stream } = await peek(body, 2);
  if (head[0] !== GZIP_MAGIC_0 || head[1] !== GZIP_MAGIC_1) return stream;
  return pipeline(stream, createGunzip(INFLATE), () => {});
}

/** The stream's first `bytes` bytes (fewer when it is shorter), and the stream to read all of it from. */
function peek(body: Readable, bytes: number): Promise<{ head: Buffer; stream: Readable }> {
  return new Promise((resolve, reject) => {
    let head: Buffer = Buffer.alloc(0);
    const settle = (ended: boolean) => {
      body.off('readable', take).off('end', onEnd).off('error', reject);
      // Put back for the reader; a body already at its end takes nothing back.
      if (!ended) body.unshift(head);
      resolve({ head, stream: ended ? Readable.from(head.length > 0 ? [head] : []) : body });
    };
    function take() {
      while (head.length < bytes) {
        const data: Buffer | null = body.read();
        if (data === null) return;
        head = head.length === 0 ? data : Buffer.concat([head, data]);
      }
      settle(false);
    }
    const onEnd = () => settle(true);
    body.on('readable', take).on('end', onEnd).on('error', reject);
  });
}
