import { execFileSync, spawnSync } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { runReplay } from '../shared/runtime/replay.js';
import { generateCloudTrailFile, NEEDLE_EVERY } from './generate.js';
import { medianSeconds, pad, rate } from './measure.js';

/**
 * Issue 2 target: replay throughput on a large gzipped CloudTrail file ≥ 0.6× the floor measured in
 * the same run (gunzip + JSON.parse of the same file), and several times faster than jq selecting the
 * same principals.
 */
export async function replayThroughput(records = Number(process.env.BENCH_RECORDS ?? 250_000)): Promise<void> {
  const file = await generateCloudTrailFile(records);
  const registryPath = join(import.meta.dirname, 'registry.yaml');
  const gzBytes = (await stat(file)).size;
  const compressed = await readFile(file);
  const jsonBytes = gunzipSync(compressed).length;
  console.log(
    `\nreplay-throughput: ${records.toLocaleString('en')} synthetic CloudTrail records from real shapes, ` +
      `${(gzBytes / 1e6).toFixed(1)} MB gz / ${(jsonBytes / 1e6).toFixed(0)} MB JSON`,
  );

  const floor = await medianSeconds(3, async () => {
    const parsed = JSON.parse(gunzipSync(await readFile(file)).toString('utf8')) as { Records: unknown[] };
    if (parsed.Records.length !== records) throw new Error('floor parse lost records');
  });

  let findings = 0;
  let incidents = 0;
  const replay = await medianSeconds(3, async () => {
    // The core only (ingest → correlate): paging is the act stage's business and is benchmarked apart.
    const result = await runReplay({
      registryPath,
      paths: [file],
      nowMs: Date.parse('2027-01-01T00:00:00Z'),
      respond: false,
    });
    if (result.counts.events !== records) throw new Error(`replay normalized ${result.counts.events} of ${records}`);
    findings = result.counts.findings;
    incidents = result.incidents.length;
  });

  const ratio = floor / replay;
  console.log(`  ${pad('floor: gunzip + JSON.parse (same file)')}${floor.toFixed(2)} s  ${rate(records, floor)}`);
  console.log(
    `  ${pad('glasswatch replay (ingest→correlate)')}${replay.toFixed(2)} s  ${rate(records, replay)}  ` +
      `ratio ${ratio.toFixed(2)}× floor (target ≥ 0.60) ${ratio >= 0.6 ? 'OK' : 'BELOW TARGET'}`,
  );
  console.log(`  findings ${findings} (needles: ${Math.floor(records / NEEDLE_EVERY)}), incidents ${incidents}`);

  if (spawnSync('jq', ['--version']).status !== 0) {
    console.log('  jq: not installed (apt-get install jq) — jq comparison skipped');
    return;
  }
  const filter =
    '.Records[] | select(.userIdentity.arn == "arn:aws:iam::111122223333:root" or .userIdentity.userName == "break-glass-admin" ' +
    'or (.eventName | IN("StopLogging","DeleteTrail","UpdateTrail","PutEventSelectors","DisableRule","DeleteRule")))';
  const jq = await medianSeconds(1, () => {
    execFileSync('sh', ['-c', `gzip -dc "$1" | jq -c '${filter}' > /dev/null`, 'sh', file], { maxBuffer: 1 << 30 });
  });
  console.log(
    `  ${pad('jq select of the same principals')}${jq.toFixed(2)} s  ${rate(records, jq)}  ` +
      `replay is ${(jq / replay).toFixed(1)}× faster`,
  );
}
