#!/usr/bin/env node
// The CLI is bundled by `npm run build` (run on install by the prepare script) into dist/cli.mjs.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import module from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

// V8's compiled code of the bundle and its dependencies (the AWS SDK is most of it) is kept on disk
// (the OS temp folder) after the first run: start-up then compiles ~0.2 s less. Node 22.1+; a no-op before.
module.enableCompileCache?.();

const bundle = fileURLToPath(new URL('../dist/cli.mjs', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write('glasswatch: dist/cli.mjs is missing; run "npm run build" (npm ci runs it for you).\n');
  process.exit(1);
}
// A replay allocates fast; V8 (Node 24) then grows the main thread's young generation to ~130 MB, which
// its small live set never needs. The flag is only read at start-up: replay runs in a child with it. It
// is process-wide: it sets the detection workers' semi-spaces too (over their resourceLimits). 4 MB: the
// CloudTrail screen leaves little that survives a scavenge, and the 1 GB replay peaks ~12 MB lower than
// with 8 at the same time (bench replay, replay-memory). With worker threads (`--threads`, or a registry
// the screen cannot serve), records promoted half-parsed cost them more GC than with 8.
const YOUNG_GENERATION = '--max-semi-space-size=4';
// The old generation, by default, may double before the next full collection: after the files are read
// (findings held), correlation and the responders' garbage took a 1 GB replay to 270 MB peak RSS. Growing
// by half at a time: 212–220 MB, and the 250k-record replay ~5 % slower than unbounded growth; by a
// quarter (the setting before the CloudTrail screen): 225 MB and ~15 % slower (bench replay, replay-memory).
const OLD_GENERATION_GROWTH = '--heap-growing-percent=50';
if (process.argv[2] === 'replay' && !process.execArgv.some((arg) => arg.startsWith('--max-semi-space-size'))) {
  const flags = [YOUNG_GENERATION, OLD_GENERATION_GROWTH];
  // The child's worker threads (segments of log files) load their code from the same compile cache.
  // getCompileCacheDir() names the Node version's folder inside the cache folder NODE_COMPILE_CACHE takes.
  const cache = module.getCompileCacheDir?.();
  const env = { ...process.env };
  if (cache && !env.NODE_COMPILE_CACHE) env.NODE_COMPILE_CACHE = dirname(cache);
  // glibc gives each thread that allocates (the workers, libuv's pool inflating and writing the store) an
  // arena of its own, up to 8 per core; the memory freed in them stays with the process. Two arenas: the
  // 1 GB replay's peak RSS 204–231 MB instead of 209–253 (four runs each), the bench replay no slower
  // (0.97× the time, 14 pairs). Other C libraries ignore the variable; a value set by the user stands.
  env.MALLOC_ARENA_MAX ??= '2';
  const child = spawnSync(process.execPath, [...process.execArgv, ...flags, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env,
  });
  if (child.error) throw child.error;
  process.exit(child.status ?? 1);
}
// Node 20 is supported on purpose (the CLI runs on laptops; Lambda runs 24): the AWS SDK's notice
// about its own future Node 22 requirement would otherwise precede every command's output.
const printWarning = process.listeners('warning');
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (!String(warning.message).startsWith('NodeVersionSupportWarning'))
    for (const listener of printWarning) listener(warning);
});
const { main } = await import(bundle);
process.exitCode = await main(process.argv.slice(2));
