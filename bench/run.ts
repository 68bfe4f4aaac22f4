import { jsonStreaming } from './json-streaming.js';
import { lambdaBundles } from './lambda-bundles.js';
import { lambdaS3Throughput } from './lambda-s3-throughput.js';
import { pollersThroughput } from './pollers-throughput.js';
import { replayMemory, replayThroughput } from './replay-throughput.js';

/**
 * Runs every benchmark (or the one named: `npm run bench -- replay`) and prints its figures. Targets are
 * ratios against baselines measured in the same run, never absolute times.
 */
const only = process.argv[2];
const BENCHES: Record<string, () => Promise<void>> = {
  replay: () => replayThroughput(),
  'replay-memory': () => replayMemory(),
  'lambda-bundles': () => lambdaBundles(),
  'lambda-s3': () => lambdaS3Throughput(),
  pollers: () => pollersThroughput(),
  'json-streaming': () => jsonStreaming(),
};

if (only && !BENCHES[only]) {
  console.error(`unknown benchmark "${only}"; known: ${Object.keys(BENCHES).join(', ')}`);
  process.exit(1);
}
console.log(`Glasswatch benchmarks — node ${process.version}, ${process.platform}/${process.arch}`);
for (const [name, bench] of Object.entries(BENCHES)) {
  if (!only || only === name) await bench();
}
