#!/usr/bin/env node
// The CLI is bundled by `npm run build` (run on install by the prepare script) into dist/cli.mjs.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/cli.mjs', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write('glasswatch: dist/cli.mjs is missing; run "npm run build" (npm ci runs it for you).\n');
  process.exit(1);
}
const { main } = await import(bundle);
process.exitCode = await main(process.argv.slice(2));
