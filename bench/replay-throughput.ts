import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateCloudTrailFile, NEEDLE_EVERY } from './generate.js';
import { median } from './lambda-support.js';
import { pad, rate } from './measure.js';

/**
 * Issue 16 target: the command a user runs — `glasswatch replay --registry R --json FILE`, first run,
 * fresh state folder, store and outbox responders included, in its own process — at ≥ 0.8× the
 * throughput of the floor: a process that does single-threaded gunzipSync + JSON.parse of the same
 * file. Both are measured in the same run, in turns, and the ratio is taken pair by pair. The same
 * command with --threads 1 must print the same incidents. Peak RSS of each process is reported.
 */

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'bin/glasswatch.mjs');
/**
 * Prints each process's peak RSS (its worker threads included) on stderr at exit: VmHWM, which exec
 * resets — getrusage's maxRSS keeps the high-water mark of the forked parent's pages across exec, which
 * would charge this benchmark's own memory to the command.
 */
const RSS_PRELOAD = `data:text/javascript,import{readFileSync as r}from'node:fs';process.on('exit',()=>{let k=process.resourceUsage().maxRSS;try{k=Number(/VmHWM:\\s+(\\d+)/.exec(r('/proc/self/status','utf8'))[1])}catch{}process.stderr.write('\\npeak-rss-kb '+k+'\\n')})`;
const FLOOR = `const { gunzipSync } = require('node:zlib'); const { readFileSync } = require('node:fs');
const parsed = JSON.parse(gunzipSync(readFileSync(process.argv[1])).toString('utf8'));
if (!Array.isArray(parsed.Records) || parsed.Records.length !== Number(process.argv[2])) process.exit(1);`;

interface Run {
  seconds: number;
  peakMb: number;
  stdout: string;
}

/** Runs a Node.js process to its end: wall time, peak RSS, stdout. Non-zero exits other than 2 are failures. */
function runProcess(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ['--import', RSS_PRELOAD, ...args], { cwd, env: { ...process.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => {
      const seconds = (performance.now() - start) / 1000;
      // The replay runs in a child process of the CLI (bin/glasswatch.mjs): the largest of them counts.
      const peaks = [...stderr.matchAll(/peak-rss-kb (\d+)/g)].map((m) => Number(m[1]));
      if (code !== 0 || peaks.length === 0)
        reject(new Error(`${args.join(' ')} exited ${code}: ${stderr.slice(-1500)}`));
      else resolve({ seconds, peakMb: (Math.max(...peaks) * 1024) / 1e6, stdout });
    });
  });
}

export async function replayThroughput(
  records = Number(process.env.BENCH_RECORDS ?? 250_000),
  runs = Number(process.env.BENCH_RUNS ?? 3),
): Promise<void> {
  const file = await generateCloudTrailFile(records);
  const registry = join(import.meta.dirname, 'registry.yaml');
  const gzBytes = (await stat(file)).size;
  const jsonBytes = await inflatedBytes(file); // streamed: this process stays small (see RSS_PRELOAD)
  console.log(
    `\nreplay-throughput: ${records.toLocaleString('en')} synthetic CloudTrail records from real shapes, ` +
      `${(gzBytes / 1e6).toFixed(1)} MB gz / ${(jsonBytes / 1e6).toFixed(0)} MB JSON; load average before ${loadavg()[0]?.toFixed(1)}`,
  );
  const work = await mkdtemp(join(tmpdir(), 'glasswatch-bench-replay-'));
  const command = (state: string, extra: string[] = []) => [
    CLI,
    'replay',
    '--registry',
    registry,
    '--json',
    '--state',
    state,
    ...extra,
    file,
  ];
  const floors: Run[] = [];
  const replays: Run[] = [];
  const singles: Run[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      floors.push(await runProcess(['-e', FLOOR, file, String(records)], work));
      replays.push(await runProcess(command(join(work, `state-${i}`)), work));
      singles.push(await runProcess(command(join(work, `state-single-${i}`), ['--threads', '1']), work));
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const ratios = floors.map((floor, i) => floor.seconds / (replays[i] as Run).seconds);
  const singleRatios = floors.map((floor, i) => floor.seconds / (singles[i] as Run).seconds);
  const secs = (list: Run[]) => median(list.map((r) => r.seconds));
  const peak = (list: Run[]) => Math.max(...list.map((r) => r.peakMb)).toFixed(0);
  const ratio = median(ratios);
  const incidents = (replays[0] as Run).stdout.trim().split('\n').filter(Boolean).length;
  const same = [...replays, ...singles].every((r) => r.stdout === (replays[0] as Run).stdout);
  console.log(
    `  ${pad('floor: gunzipSync + JSON.parse (process)')}${secs(floors).toFixed(2)} s  ${rate(records, secs(floors))}  peak RSS ${peak(floors)} MB`,
  );
  console.log(
    `  ${pad('glasswatch replay --json (fresh state)')}${secs(replays).toFixed(2)} s  ${rate(records, secs(replays))}  ` +
      `peak RSS ${peak(replays)} MB  ratio ${ratio.toFixed(2)}× floor (pairs ${ratios.map((r) => r.toFixed(2)).join('/')}; target ≥ 0.80) ${ratio >= 0.8 ? 'OK' : 'BELOW TARGET'}`,
  );
  console.log(
    `  ${pad('  the same with --threads 1')}${secs(singles).toFixed(2)} s  ${rate(records, secs(singles))}  ` +
      `peak RSS ${peak(singles)} MB  ratio ${median(singleRatios).toFixed(2)}× floor`,
  );
  console.log(
    `  incidents ${incidents} (needles: ${Math.floor(records / NEEDLE_EVERY)}), identical output in every run and thread count: ${same ? 'yes' : 'NO'}; ` +
      `load average after ${loadavg()[0]?.toFixed(1)}`,
  );
  if (process.env.BENCH_JQ !== '0') jqComparison(file, records, secs(replays));
}

/** jq selecting the same principals, for the README's comparison (BENCH_JQ=0 skips it). */
function jqComparison(file: string, records: number, replay: number): void {
  if (spawnSync('jq', ['--version']).status !== 0) {
    console.log('  jq: not installed (apt-get install jq) — jq comparison skipped');
    return;
  }
  const filter =
    '.Records[] | select(.userIdentity.arn == "arn:aws:iam::111122223333:root" or .userIdentity.userName == "break-glass-admin" ' +
    'or (.eventName | IN("StopLogging","DeleteTrail","UpdateTrail","PutEventSelectors","DisableRule","DeleteRule")))';
  const start = performance.now();
  execFileSync('sh', ['-c', `gzip -dc "$1" | jq -c '${filter}' > /dev/null`, 'sh', file], { maxBuffer: 1 << 30 });
  const jq = (performance.now() - start) / 1000;
  console.log(
    `  ${pad('jq select of the same principals')}${jq.toFixed(2)} s  ${rate(records, jq)}  replay is ${(jq / replay).toFixed(1)}× faster`,
  );
}

/**
 * Issue 16 target: memory flat in the file's size — peak RSS ≤ 256 MB replaying a 1 GB (uncompressed)
 * file, which the floor cannot even hold (V8's longest string is 512 MiB).
 */
export async function replayMemory(records = Number(process.env.BENCH_MEMORY_RECORDS ?? 780_000)): Promise<void> {
  const file = await generateCloudTrailFile(records);
  const registry = join(import.meta.dirname, 'registry.yaml');
  const gzBytes = (await stat(file)).size;
  console.log(
    `\nreplay-memory: ${records.toLocaleString('en')} records, ${(gzBytes / 1e6).toFixed(0)} MB gz; load average ${loadavg()[0]?.toFixed(1)}`,
  );
  const work = await mkdtemp(join(tmpdir(), 'glasswatch-bench-memory-'));
  try {
    const run = await runProcess(
      [CLI, 'replay', '--registry', registry, '--json', '--state', join(work, 'state'), file],
      work,
    );
    const jsonBytes = await inflatedBytes(file);
    console.log(
      `  ${pad(`glasswatch replay, ${(jsonBytes / 1e9).toFixed(2)} GB JSON`)}${run.seconds.toFixed(1)} s  ${rate(records, run.seconds)}  ` +
        `peak RSS ${run.peakMb.toFixed(0)} MB (target ≤ 256) ${run.peakMb <= 256 ? 'OK' : 'ABOVE TARGET'}`,
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Inflated size without holding it: gzip -l is wrong past 4 GB, so count the stream. */
async function inflatedBytes(file: string): Promise<number> {
  const { createReadStream } = await import('node:fs');
  const { createGunzip } = await import('node:zlib');
  let bytes = 0;
  for await (const chunk of createReadStream(file).pipe(createGunzip())) bytes += (chunk as Buffer).length;
  return bytes;
}
