import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { finished, pipeline, type Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { SourceReadError } from '../../core/ingest/errors.js';
import { type Container, type ElementReader, type JsonChunk, JsonSplitter } from '../../core/ingest/json-splitter.js';
import { pushBytes, TEXT_PIECE } from '../../core/ingest/record-segments.js';
import { SegmentedSplit, type SegmentScanner } from '../../core/ingest/segmented-split.js';

/**
 * Inside folders only log-like files are read (a README beside the logs is not a malformed log);
 * a file named explicitly is always read, whatever its name.
 */
const LOG_FILE = /\.(json|jsonl|ndjson|log|gz)$/i;

/** A log-like name (what is read inside a folder or under an S3 prefix). */
export function isLogFileName(name: string): boolean {
  return LOG_FILE.test(name);
}

/** Every file under the given paths (folders recursively, hidden entries skipped), in a stable order. */
export async function expandPaths(paths: readonly string[], insideFolder = false): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(path);
    } catch (error) {
      throw new SourceReadError(path, (error as NodeJS.ErrnoException).code ?? String(error), { cause: error });
    }
    if (info.isDirectory()) {
      const entries = (await readdir(path, { withFileTypes: true }))
        .filter((e) => !e.name.startsWith('.'))
        .sort((a, b) => a.name.localeCompare(b.name));
      files.push(
        ...(await expandPaths(
          entries.map((e) => join(path, e.name)),
          true,
        )),
      );
    } else if (info.isFile() && (!insideFolder || isLogFileName(path))) {
      files.push(path);
    }
  }
  return files;
}

const GZIP_MAGIC = [0x1f, 0x8b];

async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  } finally {
    await handle.close();
  }
}

/**
 * Waits, between two pieces of text, while the consumer of the chunks is behind (a worker pool with
 * full queues): reading then stops, so memory stays flat whatever the file's size.
 */
export type Pace = () => Promise<void> | undefined;

/**
 * Streams one log file (plain or gzip, told by its magic bytes, not its name) through the splitter.
 * `onBytes` reports compressed bytes read, for progress.
 */
export async function readLogFile(
  path: string,
  onChunk: (chunk: JsonChunk, container: Container) => void,
  onBytes?: (bytes: number) => void,
  pace?: Pace,
  reader?: ElementReader,
  segments?: SegmentScanner,
): Promise<void> {
  let gzip: boolean;
  try {
    gzip = await isGzip(path);
  } catch (error) {
    throw new SourceReadError(path, (error as NodeJS.ErrnoException).code ?? String(error), { cause: error });
  }
  const file = createReadStream(path, { highWaterMark: 256 << 10 });
  if (onBytes) file.on('data', (data) => onBytes(data.length));
  // pipeline() carries a read error of the file into the gunzip stream, so the loop below sees it.
  const source = gzip ? pipeline(file, createGunzip(segments ? INFLATE_INTO_SEGMENTS : INFLATE), () => {}) : file;
  await splitStream(source, path, onChunk, () => file.destroy(), pace, reader, segments);
}

/**
 * Inflated in jobs of 256 KiB on libuv's pool, decoded and split on the main thread in text pieces of
 * 64 KiB ({@link TEXT_PIECE}); up to 1 MiB of compressed input waits in the gunzip stream. Each job
 * is handed on, and the next one started, only when the main thread is between two pieces of its own
 * work: 64 KiB jobs made the main thread wait for gunzip (~15 % of its time on an S3 object, whose
 * socket delivers 64 KiB at a time), and without the read-ahead every input chunk waited for the main
 * thread to pass it on. Measured on the bench's 50 MB object, the whole handler and the core replay
 * each in turns with the code before: the handler 0.91 of its time, the replay 0.93 (issue 16).
 */
export const INFLATE = { chunkSize: 256 << 10, writableHighWaterMark: 1 << 20 };

/**
 * Inflated bytes that go into segments (SegmentedSplit) are copied, not decoded piece by piece: pieces
 * of 512 KiB cost fewer callbacks (bench replay, paired runs: 2 % less time, 3 % less CPU than 64 KiB).
 */
const INFLATE_INTO_SEGMENTS = { chunkSize: 512 << 10 };

/** Where the pieces of a stream go: each may ask to wait (pace, workers behind) before the next. */
interface PieceSink {
  push(piece: Buffer): Promise<void> | undefined;
  /** The stream ended: the rest is read. */
  end(): Promise<void> | undefined;
  /** The stream failed: what arrived is read (every record whole in it), then the error is reported. */
  abort(): Promise<void> | undefined;
}

/**
 * Feeds a byte stream (a file, an S3 object body after gunzip) to a JsonSplitter as UTF-8 text, or,
 * with `segments` (other threads) and a CloudTrail `reader`, to a SegmentedSplit. Pieces are taken on
 * 'readable', a tick after gunzip pushed them and started inflating the next one on libuv's pool (on
 * 'data' the splitter would run inside gunzip's callback, before that: inflating and splitting would
 * take turns). No async iterator: it made a few promises per piece (54k for the bench's S3 object), each
 * also seen by async hooks where they are on (the X-Ray SDK in Lambda); and when the stream failed while
 * the reader waited, it dropped what the stream still held (a truncated gzip lost the records inflated
 * before the cut).
 */
export async function splitStream(
  stream: Readable,
  location: string,
  onChunk: (chunk: JsonChunk, container: Container) => void,
  cleanup?: () => void,
  pace?: Pace,
  reader?: ElementReader,
  segments?: SegmentScanner,
): Promise<void> {
  const sink = reader && segments ? segmentSink(onChunk, reader, segments, pace) : splitterSink(onChunk, reader, pace);
  try {
    await new Promise<void>((resolve, reject) => {
      let waiting = false;
      let done: { error?: unknown } | undefined;
      let settled = false;
      const settle = ({ error }: { error?: unknown }) => {
        settled = true;
        try {
          const rest = error === undefined ? sink.end() : sink.abort();
          Promise.resolve(rest).then(() => (error === undefined ? resolve() : reject(error)), reject);
        } catch (failure) {
          reject(failure);
        }
      };
      const take = () => {
        if (waiting || settled) return;
        try {
          // After a failure the stream still holds what it produced: read() hands it over.
          for (let piece: Buffer | null = stream.read(); piece !== null; piece = stream.read()) {
            const wait = sink.push(piece);
            if (wait) {
              waiting = true;
              wait.then(() => {
                waiting = false;
                take();
              }, fail);
              return;
            }
          }
        } catch (error) {
          fail(error);
          return;
        }
        if (done) settle(done);
      };
      const fail = (error: unknown) => {
        settled = true;
        stream.destroy();
        reject(error);
      };
      stream.on('readable', take);
      finished(stream, (error) => {
        done = error ? { error } : {};
        take();
      });
    });
  } catch (error) {
    throw new SourceReadError(location, (error as Error).message, { cause: error });
  } finally {
    cleanup?.();
  }
}

function splitterSink(
  onChunk: (chunk: JsonChunk, container: Container) => void,
  reader: ElementReader | undefined,
  pace: Pace | undefined,
): PieceSink {
  const splitter = new JsonSplitter((chunk) => onChunk(chunk, splitter.container ?? 'document'), reader);
  const decoder = new StringDecoder('utf8');
  return {
    push: (bytes) => {
      pushBytes(splitter, decoder, bytes);
      return pace?.();
    },
    end: () => {
      const rest = decoder.end();
      if (rest) splitter.push(rest);
      splitter.end();
      return undefined;
    },
    abort: () => undefined,
  };
}

function segmentSink(
  onChunk: (chunk: JsonChunk, container: Container) => void,
  reader: ElementReader,
  segments: SegmentScanner,
  pace: Pace | undefined,
): PieceSink {
  const split = new SegmentedSplit(onChunk, reader, segments);
  return {
    push: (bytes) => split.push(bytes).then(() => pace?.()),
    end: () => split.end(),
    abort: () => split.abort(),
  };
}
