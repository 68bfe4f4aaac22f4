// Builds the CLI bundle (dist/cli.mjs) and every Lambda bundle (dist/functions/<name>/, see
// build-functions.mjs: one esbuild bundle per function with the validated registry beside it).
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { buildFunctions } from './build-functions.mjs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  // The detection worker is its own entry: worker threads load it beside the CLI (dist/detection-worker.mjs).
  entryPoints: {
    cli: 'shared/runtime/cli/entry.ts',
    'detection-worker': 'shared/runtime/parallel/detection-worker.ts',
  },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  // A command's dynamic imports (verify's GCP and Azure clients, report's stack sources) become chunks of
  // their own, so the packages only they use load with them: without splitting their imports are hoisted
  // into cli.mjs and every command (replay too) loads gRPC, protobuf and google-auth first.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // The CLI runs from an installed package: its dependencies are in node_modules already.
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  // `glasswatch --version`
  define: { __GLASSWATCH_VERSION__: JSON.stringify(version) },
});

try {
  await buildFunctions();
} catch (error) {
  console.error(`build: Lambda functions: ${error.message}`);
  process.exit(1);
}
