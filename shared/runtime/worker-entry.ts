import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** How to start a worker thread: its module, and the flags its thread needs to load it. */
export interface WorkerEntry {
  url: URL;
  execArgv: string[];
}

/**
 * A worker thread's entry: `<name>.mjs`, an entry of its own in the CLI bundle (scripts/build.mjs) in
 * `dist/` beside `cli.mjs` — this code may itself run from `dist/` or from a chunk in `dist/chunks/` —
 * or, when running unbundled (tests, tsx), the TypeScript `source`, loaded through tsx.
 *
 * @example workerEntry('detection-worker', new URL('./detection-worker.ts', import.meta.url))
 */
export function workerEntry(name: string, source: URL): WorkerEntry {
  if (!import.meta.url.endsWith('.ts')) {
    for (const folder of ['./', '../']) {
      const bundled = new URL(`${folder}${name}.mjs`, import.meta.url);
      if (existsSync(fileURLToPath(bundled))) return { url: bundled, execArgv: [] };
    }
  }
  return { url: source, execArgv: ['--import', 'tsx'] };
}
