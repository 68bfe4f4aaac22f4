import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { finished, pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { SourceReadError } from '../../core/ingest/errors.js';
import { type Container, type ElementReader, type JsonChunk, JsonSplitter } from '../../core/ingest/json-splitter.js';

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
  const source = gzip ? pipeline(file, createGunzip(INFLATE), () => {}) : file;
  await splitStream(source, path, onChunk, () => file.destroy(), pace, reader);
}

/**
 * Inflated text handed over in pieces of 64 KiB, not zlib's default 16 KiB: a 50 MB CloudTrail file
 * inflates to ~350 MB, and each piece costs a callback, a UTF-8 decode and a splitter step on the main
 * thread. Not larger: a piece decoded past V8's 128 KiB regular-object limit is a large object, which only
 * a full collection frees (256 KiB pieces took 20 % longer than 64 KiB on the bench file).
 */
export const INFLATE = { chunkSize: 64 << 10 };

/**
 * Feeds a byte stream (a file, an S3 object body after gunzip) to a JsonSplitter. Pieces are taken on
 * 'readable', a tick after gunzip pushed them and started inflating the next one on libuv's pool (on
 * 'data' the splitter would run inside gunzip's callback, before that: inflating and splitting would
 * take turns). No async iterator: it made a few promises per piece (54k for the bench's S3 object),
 * each also seen by async hooks where they are on (the X-Ray SDK in Lambda).
 */
export async function splitStream(
  stream: Readable,
  location: string,
  onChunk: (chunk: JsonChunk, container: Container) => void,
  cleanup?: () => void,
  pace?: Pace,
  reader?: ElementReader,
): Promise<void> {
  const splitter = new JsonSplitter((chunk) => onChunk(chunk, splitter.container ?? 'document'), reader);
  stream.setEncoding('utf8');
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (error: unknown) => {
        stream.destroy();
        reject(error);
      };
      let waiting = false;
      const take = () => {
        if (waiting) return;
        try {
          for (let text: string | null = stream.read(); text !== null; text = stream.read()) {
            splitter.push(text);
            const wait = pace?.();
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
        }
      };
      stream.on('readable', take);
      finished(stream, (error) => {
        if (error) return reject(error);
        try {
          splitter.end();
          resolve();
        } catch (error) {
          reject(error);
        }
      });
    });
  } catch (error) {
    throw new SourceReadError(location, (error as Error).message, { cause: error });
  } finally {
    cleanup?.();
  }
}
