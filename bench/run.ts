import { replayThroughput } from './replay-throughput.js';

/** Runs every benchmark and prints its figures. Targets are ratios against baselines measured here. */
const only = process.argv[2];
const BENCHES: Record<string, () => Promise<void>> = {
  replay: () => replayThroughput(),
};

console.log(`Glasswatch benchmarks — node ${process.version}, ${process.platform}/${process.arch}`);
for (const [name, bench] of Object.entries(BENCHES)) {
  if (!only || only === name) await bench();
}
