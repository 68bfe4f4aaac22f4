import { execFileSync } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { generateCloudTrailFile } from './generate.js';
import { type HandlerSample, handlerRun, startServers } from './lambda-s3-harness.js';
import { buildBenchFunctions, lambdaEnv, median, runNode } from './lambda-support.js';
import { pad, rate } from './measure.js';

/**
 * Issue 16 target: the S3 path (the built s3-log-files bundle in its own process: SQS event → GetObject
 * from s3rver → streaming gunzip → detection → correlator on dynalite → PutEvents to a local endpoint)
 * within 1.2× of the core replay on the same ~50 MB gzipped file, on one thread as Lambda's one vCPU at
 * the template's memory size (its heap sized as Lambda sizes it); peak memory of that process reported.
 * Twice: as a container's first object (cold), and as a later one (warm: the example AWS log file first,
 * as the core replays the example logs before its timed run).
 */
export async function lambdaS3Throughput(
  records = Number(process.env.BENCH_S3_RECORDS ?? 265_000),
  runs = Number(process.env.BENCH_RUNS ?? 3),
): Promise<void> {
  const file = await generateCloudTrailFile(records);
  const gzBytes = (await stat(file)).size;
  const built = await buildBenchFunctions(['s3-log-files']);
  const bundle = built['s3-log-files']?.bundle as string;
  console.log(
    `\nlambda-s3-throughput: ${records.toLocaleString('en')} synthetic CloudTrail records from real shapes, ${(gzBytes / 1e6).toFixed(1)} MB gz`,
  );

  const registryPath = join(import.meta.dirname, 'registry.yaml');
  const { memoryMb, variables } = await templateFunction('S3LogFilesFunction');
  console.log(`  template MemorySize of S3LogFilesFunction: ${memoryMb} MB (${(memoryMb / 1769).toFixed(2)} vCPU)`);
  const servers = await startServers();
  const cpu = lambdaCpu();
  console.log(
    cpu
      ? '  one vCPU, as Lambda gives 1769 MB: the handler and the core each on CPU 0 alone, the services they call on CPU 1'
      : '  not pinned (BENCH_S3_PIN=0, or taskset or a second CPU missing): handler, core and services share every CPU',
  );
  try {
    const trail = 'AWSLogs/o-bench00001/111122223333/CloudTrail/us-east-1/2026/11/01/';
    const key = `${trail}111122223333_CloudTrail_us-east-1_bench.json.gz`;
    const previous = `${trail}111122223333_CloudTrail_us-east-1_example.json.gz`;
    await servers.s3.send(new PutObjectCommand({ Bucket: 'org-trail', Key: key, Body: await readFile(file) }));
    const example = join(EXAMPLE_LOGS, '111122223333_CloudTrail_us-east-1_20240731T1310Z_stratus.json.gz');
    await servers.s3.send(new PutObjectCommand({ Bucket: 'org-trail', Key: previous, Body: await readFile(example) }));
    const replayRuns: { seconds: number; cpu: number }[] = [];
    const cold: Sample[] = [];
    const warm: Sample[] = [];
    const invoke = async (table: number, warmUp?: string): Promise<Sample> => {
      const tables = await servers.freshTables(table);
      const before = servers.putEvents;
      const serversCpu = process.cpuUsage();
      const env = lambdaEnv('s3-log-files', {
        ...variables,
        ...servers.endpoints,
        ...tables,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb),
      });
      const sample = await runNode<HandlerSample>(handlerRun(bundle, key, warmUp), env, lambdaHeapFlags(memoryMb), cpu);
      const served = process.cpuUsage(serversCpu);
      return { ...sample, changes: servers.putEvents - before, servedCpu: (served.user + served.system) / 1e6 };
    };
    // In turns, core then handler, the ratio taken pair by pair (as the replay bench does): a machine whose
    // load drifts moves both of a pair alike, where all cores first and all handlers after compared two
    // different moments.
    for (let run = 0; run < runs; run++) {
      // The core, like the handler, in a fresh process of its own, timed once its code is loaded.
      replayRuns.push(await runNode(coreRun(file, registryPath), { ...process.env }, ['--import', 'tsx'], cpu));
      cold.push(await invoke(2 * run));
      warm.push(await invoke(2 * run + 1, previous));
    }
    const replayCpu = median(replayRuns.map((r) => r.cpu));
    const replay = median(replayRuns.map((r) => r.seconds));
    console.log(
      `  ${pad('core replay (same file)')}${replay.toFixed(2)} s  ${rate(records, replay)}  CPU ${replayCpu.toFixed(2)} s (store included)`,
    );
    for (const [name, samples] of [
      ['handler, first object of a container', cold],
      ["handler, a warm container's next object", warm],
    ] as const) {
      const seconds = median(samples.map((s) => s.seconds));
      const ratios = samples.map((s, i) => s.seconds / (replayRuns[i] as { seconds: number }).seconds);
      const ratio = median(ratios);
      console.log(
        `  ${pad(name)}${seconds.toFixed(2)} s  ${rate(records, seconds)}  ${ratio.toFixed(2)}× replay time, ` +
          `median of the pairs ${ratios.map((r) => r.toFixed(2)).join('/')} (target ≤ 1.20) ${ratio <= 1.2 ? 'OK' : 'ABOVE TARGET'}`,
      );
    }
    describeSamples([...cold, ...warm], replayCpu);
    for (const [name, samples] of [
      ['first object', cold],
      ['next object', warm],
    ] as const) {
      const calls = Object.entries((samples.at(-1) as HandlerSample).calls).sort(([a], [b]) => a.localeCompare(b));
      const all = calls.reduce((sum, [, n]) => sum + n, 0);
      console.log(
        `  handler requests, ${name}: ${calls.map(([call, n]) => `${call} ${n}`).join(', ')} (${all} in all)`,
      );
    }
  } finally {
    await servers.close();
  }
}

/**
 * A function of 1769 MB has one vCPU: the handler and the core are timed on CPU 0 alone (every thread of
 * theirs: gunzip and V8's collector share it, as on Lambda), and this process — s3rver, dynalite and the
 * EventBridge endpoint, which on AWS run elsewhere — moves to CPU 1. The CPU the children get, or
 * undefined where the machine cannot pin (one CPU, no taskset) or BENCH_S3_PIN=0: then everything
 * shares every CPU.
 */
function lambdaCpu(): string | undefined {
  if (availableParallelism() < 2 || process.env.BENCH_S3_PIN === '0') return undefined;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
    return '0';
  } catch {
    return undefined;
  }
}

type Sample = HandlerSample & { changes: number; servedCpu: number };

const EXAMPLE_LOGS = join(import.meta.dirname, '../examples/logs/aws');

/** What the handler's invocations (cold and warm) did besides their time: memory, requests, CPU by stage. */
function describeSamples(samples: readonly Sample[], replayCpu: number): void {
  const peakMb = Math.max(...samples.map((s) => s.peakMb));
  console.log(
    `  peak RSS of the handler process ${peakMb.toFixed(0)} MB; batch failures ${samples.map((s) => s.failures).join('/')}; ` +
      `bus entries published (incident changes and rotation evidence) ${samples.map((s) => s.changes).join('/')}`,
  );
  // CPU and request counts (printed after) do not depend on what else the machine runs: compare these across changes.
  const after = samples.flatMap((s) => (s.afterDetection ? [s.afterDetection] : []));
  const cpu = median(samples.map((s) => s.cpuSeconds));
  console.log(
    `  handler CPU ${cpu.toFixed(2)} s (${(cpu / replayCpu).toFixed(2)}× the core's); after detection (store, bus, heartbeat) ` +
      `${median(after.map((a) => a.seconds)).toFixed(2)} s, CPU ${median(after.map((a) => a.cpuSeconds)).toFixed(2)} s`,
  );
  // Up to the store's first request: the S3 read, gunzip, parse and detection. Wall minus CPU there is
  // the time the handler waited (for S3, or for a core the machine gave to someone else).
  const reading = samples.flatMap((s) =>
    s.afterDetection
      ? [{ seconds: s.seconds - s.afterDetection.seconds, cpu: s.cpuSeconds - s.afterDetection.cpuSeconds }]
      : [],
  );
  console.log(
    `  handler until detection done ${median(reading.map((r) => r.seconds)).toFixed(2)} s, CPU ` +
      `${median(reading.map((r) => r.cpu)).toFixed(2)} s, waiting ${median(reading.map((r) => r.seconds - r.cpu)).toFixed(2)} s`,
  );
  // s3rver, dynalite and the EventBridge endpoint run in this process (on AWS they run elsewhere): the
  // CPU they took while the handler ran, on CPU 1 when pinned, else on the cores the handler uses too.
  console.log(
    `  CPU of the services the handler called (this process) ${median(samples.map((s) => s.servedCpu)).toFixed(2)} s`,
  );
}

/**
 * The heap the Lambda Node.js runtime gives a function of `memoryMb`: its bootstrap (`/var/runtime/bootstrap`
 * in the public base images) passes a tenth of the memory as new space, half of it per semi-space, the rest
 * as old space (1769 MB: `--max-semi-space-size=88 --max-old-space-size=1593`).
 */
function lambdaHeapFlags(memoryMb: number): string[] {
  const newSpace = Math.floor(memoryMb / 10);
  return [`--max-semi-space-size=${Math.floor(newSpace / 2)}`, `--max-old-space-size=${memoryMb - newSpace}`];
}

/**
 * What infra/template.yaml gives a function: its `MemorySize` (the line under its resource; the Globals'
 * otherwise) and the literal values of its environment (POWERTOOLS_TRACE_ENABLED among them), so the
 * handler runs here as deployed.
 */
async function templateFunction(resource: string): Promise<{ memoryMb: number; variables: Record<string, string> }> {
  const template = await readFile(join(import.meta.dirname, '../infra/template.yaml'), 'utf8');
  const start = template.indexOf(`\n  ${resource}:\n`);
  const next = template.slice(start + 1).search(/\n {2}\S/);
  const block = template.slice(start, start + 1 + next);
  const own = /\n {6}MemorySize: (\d+)/.exec(block);
  const global = /\nGlobals:[\s\S]*?\n {4}MemorySize: (\d+)/.exec(template);
  const value = own?.[1] ?? global?.[1];
  if (!value) throw new Error(`infra/template.yaml: no MemorySize for ${resource}`);
  const variables = Object.fromEntries(
    [...block.matchAll(/\n {10}([A-Z][A-Z0-9_]*): "?([^"!\n]*?)"?(?=\n)/g)].map((m) => [
      m[1] as string,
      m[2] as string,
    ]),
  );
  return { memoryMb: Number(value), variables };
}
/**
 * The core in a child: load the replay from source — every module it imports on the way, by a replay of
 * the example AWS logs first, as the handler's bundle is loaded before its timing starts — then run it
 * once on the file (no responders, one thread).
 */
function coreRun(file: string, registryPath: string): string {
  const replay = pathToFileURL(join(import.meta.dirname, '../shared/runtime/replay.ts')).href;
  const examples = EXAMPLE_LOGS;
  return `
    const { runReplay } = await import(${JSON.stringify(replay)});
    await runReplay({ registryPath: ${JSON.stringify(registryPath)}, paths: [${JSON.stringify(examples)}],
      nowMs: Date.parse('2027-01-01T00:00:00Z'), respond: false, threads: 1 });
    const before = process.cpuUsage();
    const start = performance.now();
    await runReplay({ registryPath: ${JSON.stringify(registryPath)}, paths: [${JSON.stringify(file)}],
      nowMs: Date.parse('2027-01-01T00:00:00Z'), respond: false, threads: 1 });
    const seconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(before);
    console.log(JSON.stringify({ seconds, cpu: (cpu.user + cpu.system) / 1e6 }));`;
}
