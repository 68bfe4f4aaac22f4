import { stat } from 'node:fs/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { expandPaths, type Pace, readLogFile } from '../adapters/files/log-files.js';
import { SourceReadError } from '../core/ingest/errors.js';
import type { Container, ElementReader, JsonChunk } from '../core/ingest/json-splitter.js';
import type { SegmentScanner } from '../core/ingest/segmented-split.js';

/** One log a replay reads: a local file or an S3 object, read the same way (plain or gzip, streamed). */
export interface LogSource {
  /** Where its records are reported: the path, or `s3://bucket/key`. */
  location: string;
  /** Stored (compressed) size. */
  bytes: number;
  read(
    onChunk: (chunk: JsonChunk, container: Container) => void,
    onBytes?: (bytes: number) => void,
    pace?: Pace,
    /** Splits and screens CloudTrail log files in one scan (DetectionPipeline.screen). */
    reader?: ElementReader,
    /** Threads that split and screen segments of a CloudTrail log file beside this one (local files). */
    segments?: SegmentScanner,
  ): Promise<void>;
}

export interface Sources {
  sources: LogSource[];
  close(): void;
}

/**
 * Files and folders (recursively) as before; `s3://bucket/prefix` is every log object under the prefix,
 * listed with ListObjectsV2 and read with GetObject through the SDK's standard endpoint variables.
 * A missing path or a prefix that cannot be listed is fatal; an object that cannot be read is not
 * (it is reported when read, and the rest are read).
 */
export async function resolveSources(
  paths: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<Sources> {
  const sources: LogSource[] = [];
  let s3: S3Client | undefined;
  try {
    for (const path of paths) {
      if (path.startsWith('s3://')) {
        // The S3 client is loaded only for S3 paths: a replay of local files does without it.
        const { listLogObjects, localS3Client, parseS3Url } = await import('../adapters/aws/s3-prefix.js');
        const { readS3LogObject } = await import('../adapters/aws/s3-log-object.js');
        const prefix = parseS3Url(path);
        if (!prefix) throw new SourceReadError(path, 'not an s3://bucket/prefix URL');
        s3 ??= localS3Client(env);
        const client = s3;
        for (const object of await listLogObjects(client, prefix)) {
          const ref = { bucket: prefix.bucket, key: object.key };
          sources.push({
            location: `s3://${ref.bucket}/${ref.key}`,
            bytes: object.size,
            read: async (onChunk, onBytes, pace, reader) => {
              const { compressedBytes } = await readS3LogObject(client, ref, onChunk, pace, reader);
              onBytes?.(compressedBytes);
            },
          });
        }
        continue;
      }
      for (const file of await expandPaths([path])) {
        sources.push({
          location: file,
          bytes: (await stat(file)).size,
          read: (onChunk, onBytes, pace, reader, segments) =>
            readLogFile(file, onChunk, onBytes, pace, reader, segments),
        });
      }
    }
  } catch (error) {
    s3?.destroy();
    throw error;
  }
  return { sources, close: () => s3?.destroy() };
}
