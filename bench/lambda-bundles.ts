import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { DATA_DIR } from './generate.js';
import { buildBenchFunctions, lambdaEnv, median, runNode } from './lambda-support.js';
import { pad } from './measure.js';

/**
 * Issue 3 targets: every bundle under 1 MB minified; init (loading the bundle: parsing, module
 * evaluation, registry, clients) under 150 ms on this machine, reported also as a ratio against loading
 * an empty module in the same process. Each figure is the median of `runs` fresh processes.
 */
export async function lambdaBundles(runs = Number(process.env.BENCH_INIT_RUNS ?? 9)): Promise<void> {
  const built = await buildBenchFunctions();
  const empty = join(DATA_DIR, 'empty.mjs');
  await writeFile(empty, 'export const handler = async () => {};\n');
  console.log(
    `\nlambda-bundles: esbuild, minified ESM, AWS SDK bundled; init = loading the bundle in a fresh process ` +
      `(${runs} rounds, functions interleaved so machine load hits all alike); ratio against an empty module`,
  );
  const samples = new Map<string, { empty: number; init: number }[]>();
  for (let round = 0; round < runs; round++) {
    for (const [name, { bundle }] of Object.entries(built)) {
      const code = `
        const t0 = performance.now(); await import(${JSON.stringify(pathToFileURL(empty).href)});
        const t1 = performance.now(); await import(${JSON.stringify(pathToFileURL(bundle).href)});
        const t2 = performance.now();
        console.log(JSON.stringify({ empty: t1 - t0, init: t2 - t1 }));`;
      samples.set(name, [
        ...(samples.get(name) ?? []),
        await runNode<{ empty: number; init: number }>(code, lambdaEnv(name)),
      ]);
    }
  }
  console.log(
    `  ${pad('function', 22)}${'bundle'.padStart(9)}${'gzip'.padStart(9)}${'init median'.padStart(13)}${'min'.padStart(8)}${'empty'.padStart(9)}${'ratio'.padStart(7)}`,
  );
  for (const [name, { bundle, bytes }] of Object.entries(built)) {
    const runsOf = samples.get(name) ?? [];
    const init = median(runsOf.map((s) => s.init));
    const fastest = Math.min(...runsOf.map((s) => s.init));
    const emptyMs = median(runsOf.map((s) => s.empty));
    const zipped = gzipSync(await readFile(bundle)).length;
    const verdict = bytes < 1_000_000 && init < 150 ? 'OK' : 'ABOVE TARGET';
    console.log(
      `  ${pad(name, 22)}${`${(bytes / 1024).toFixed(0)} KiB`.padStart(9)}${`${(zipped / 1024).toFixed(0)} KiB`.padStart(9)}` +
        `${`${init.toFixed(0)} ms`.padStart(13)}${`${fastest.toFixed(0)} ms`.padStart(8)}${`${emptyMs.toFixed(1)} ms`.padStart(9)}` +
        `${`${(init / emptyMs).toFixed(0)}×`.padStart(7)}  ${verdict} (targets: < 1 MB, < 150 ms)`,
    );
  }
}
