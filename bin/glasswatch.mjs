#!/usr/bin/env node
// The CLI is bundled by `npm run build` (run on install by the prepare script) into dist/cli.mjs.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/cli.mjs', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write('glasswatch: dist/cli.mjs is missing; run "npm run build" (npm ci runs it for you).\n');
  process.exit(1);
}
// Node 20 is supported on purpose (the CLI runs on laptops; Lambda runs 22): the AWS SDK's notice
// about its own future Node 22 requirement would otherwise precede every command's output.
const printWarning = process.listeners('warning');
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (!String(warning.message).startsWith('NodeVersionSupportWarning'))
    for (const listener of printWarning) listener(warning);
});
const { main } = await import(bundle);
process.exitCode = await main(process.argv.slice(2));
