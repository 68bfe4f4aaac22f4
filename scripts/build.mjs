// Builds the CLI bundle (dist/cli.mjs).
import { build } from 'esbuild';

await build({
  entryPoints: { cli: 'shared/runtime/cli/entry.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // The CLI runs from an installed package: its dependencies are in node_modules already.
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});

