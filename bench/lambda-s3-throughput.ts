import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { ensureTable, startLocalDynamo } from '../shared/adapters/dynamodb/local-dynalite.js';
import { generateCloudTrailFile } from './generate.js';
import { buildBenchFunctions, lambdaEnv, median, runNode } from './lambda-support.js';
import { pad, rate } from './measure.js';

/**
 * Issue 16 target: the S3 path (the built s3-log-files bundle in its own process: SQS event → GetObject
 * from s3rver → streaming gunzip → detection → correlator on dynalite → PutEvents to a local endpoint)
 * within 1.2× of the core replay on the same ~50 MB gzipped file, on one thread as Lambda's one vCPU at
 * the template's memory size (its heap sized as Lambda sizes it); peak memory of that process reported.
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
  const memoryMb = await templateMemorySize('S3LogFilesFunction');
  console.log(`  template MemorySize of S3LogFilesFunction: ${memoryMb} MB (${(memoryMb / 1769).toFixed(2)} vCPU)`);
  const servers = await startServers();
  try {
    const key =
      'AWSLogs/o-bench00001/111122223333/CloudTrail/us-east-1/2026/11/01/111122223333_CloudTrail_us-east-1_bench.json.gz';
    await servers.s3.send(new PutObjectCommand({ Bucket: 'org-trail', Key: key, Body: await readFile(file) }));
    const replayRuns: { seconds: number; cpu: number }[] = [];
    const samples: (HandlerSample & { changes: number; servedCpu: number })[] = [];
    // In turns, core then handler, the ratio taken pair by pair (as the replay bench does): a machine whose
    // load drifts moves both of a pair alike, where all cores first and all handlers after compared two
    // different moments.
    for (let run = 0; run < runs; run++) {
      // The core, like the handler, in a fresh process of its own, timed once its code is loaded: both start
      // with cold JIT (the core timed again in this process would run warm code against a cold handler).
      replayRuns.push(await runNode(coreRun(file, registryPath), { ...process.env }, ['--import', 'tsx']));
      const tables = await servers.freshTables(run);
      const before = servers.putEvents;
      const serversCpu = process.cpuUsage();
      const sample = await runNode<HandlerSample>(
        handlerRun(bundle, key),
        lambdaEnv('s3-log-files', {
          ...servers.endpoints,
          ...tables,
          AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb),
        }),
        lambdaHeapFlags(memoryMb),
      );
      const served = process.cpuUsage(serversCpu);
      samples.push({ ...sample, changes: servers.putEvents - before, servedCpu: (served.user + served.system) / 1e6 });
    }
    const replay = median(replayRuns.map((r) => r.seconds));
    const replayCpu = replayRuns.map((r) => r.cpu);
    const seconds = median(samples.map((s) => s.seconds));
    const peakMb = Math.max(...samples.map((s) => s.peakMb));
    const ratios = samples.map((s, i) => s.seconds / (replayRuns[i] as { seconds: number }).seconds);
    const ratio = median(ratios);
    console.log(
      `  ${pad('core replay (same file)')}${replay.toFixed(2)} s  ${rate(records, replay)}  CPU ${median(replayCpu).toFixed(2)} s (store included)`,
    );
    console.log(
      `  ${pad('s3-log-files handler (bundle, own process)')}${seconds.toFixed(2)} s  ${rate(records, seconds)}  ` +
        `${ratio.toFixed(2)}× replay time, median of the pairs ${ratios.map((r) => r.toFixed(2)).join('/')} (target ≤ 1.20) ` +
        `${ratio <= 1.2 ? 'OK' : 'ABOVE TARGET'}`,
    );
    console.log(
      `  peak RSS of the handler process ${peakMb.toFixed(0)} MB; batch failures ${samples.map((s) => s.failures).join('/')}; ` +
        `bus entries published (incident changes and rotation evidence) ${samples.map((s) => s.changes).join('/')}`,
    );
    // CPU and request counts do not depend on what else the machine runs: compare these across changes.
    const last = samples[samples.length - 1] as HandlerSample;
    const calls = Object.entries(last.calls).sort(([a], [b]) => a.localeCompare(b));
    const after = samples.flatMap((s) => (s.afterDetection ? [s.afterDetection] : []));
    console.log(
      `  handler CPU ${median(samples.map((s) => s.cpuSeconds)).toFixed(2)} s ` +
        `(${(median(samples.map((s) => s.cpuSeconds)) / median(replayCpu)).toFixed(2)}× the core's); after detection (store, bus, heartbeat) ` +
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
    // s3rver, dynalite and the EventBridge endpoint run in this process, on the same two cores as the
    // handler's threads (on AWS they run elsewhere): the CPU they took while the handler ran.
    console.log(
      `  CPU of the services the handler called (this process) ${median(samples.map((s) => s.servedCpu)).toFixed(2)} s`,
    );
    console.log(
      `  handler requests ` +
        `${calls.map(([name, n]) => `${name} ${n}`).join(', ')} (${calls.reduce((sum, [, n]) => sum + n, 0)} in all)`,
    );
  } finally {
    await servers.close();
  }
}

/** What the child process reports of one invocation. */
interface HandlerSample {
  seconds: number;
  cpuSeconds: number;
  /** From the first request after the object's GET (the store, once detection is done) to the end. */
  afterDetection?: { seconds: number; cpuSeconds: number };
  /** Requests the handler sent, by operation (DynamoDB and EventBridge targets; S3 by method and host). */
  calls: Record<string, number>;
  peakMb: number;
  failures: number;
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

/** A function's `MemorySize` in infra/template.yaml (the line under its resource; the Globals' otherwise). */
async function templateMemorySize(resource: string): Promise<number> {
  const template = await readFile(join(import.meta.dirname, '../infra/template.yaml'), 'utf8');
  const start = template.indexOf(`\n  ${resource}:\n`);
  const next = template.slice(start + 1).search(/\n {2}\S/);
  const own = /\n {6}MemorySize: (\d+)/.exec(template.slice(start, start + 1 + next));
  const global = /\nGlobals:[\s\S]*?\n {4}MemorySize: (\d+)/.exec(template);
  const value = own?.[1] ?? global?.[1];
  if (!value) throw new Error(`infra/template.yaml: no MemorySize for ${resource}`);
  return Number(value);
}

/**
 * The core in a child: load the replay from source — every module it imports on the way, by a replay of
 * the example AWS logs first, as the handler's bundle is loaded before its timing starts — then run it
 * once on the file (no responders, one thread).
 */
function coreRun(file: string, registryPath: string): string {
  const replay = pathToFileURL(join(import.meta.dirname, '../shared/runtime/replay.ts')).href;
  const examples = join(import.meta.dirname, '../examples/logs/aws');
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

/** The child: load the bundle, invoke it with one SQS message for the object, time the invocation. */
function handlerRun(bundle: string, key: string): string {
  const body = JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: '2026-11-01T00:05:00.000Z',
        eventName: 'ObjectCreated:Put',
        s3: { bucket: { name: 'org-trail' }, object: { key, sequencer: `bench-${Date.now()}` } },
      },
    ],
  });
  return `
    const { handler } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
    // Requests by service and operation (x-amz-target, else method), counted as the SDK sends them.
    // The first request after the object's GET starts the stages after detection (correlate, publish,
    // heartbeat): their time and CPU are measured from there.
    const calls = {};
    let reading = false;
    let stored;
    const { subscribe } = await import('node:diagnostics_channel');
    subscribe('http.client.request.start', ({ request }) => {
      const target = request.getHeader('x-amz-target');
      const name = target ? String(target).split('.').pop() : request.method + ' ' + request.host;
      calls[name] = (calls[name] ?? 0) + 1;
      if (request.method === 'GET' && !target) reading = true;
      else if (reading && !stored) stored = { at: performance.now(), cpu: process.cpuUsage() };
    });
    const event = { Records: [{ messageId: 'bench', receiptHandle: 'r', body: ${JSON.stringify(body)},
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1', SenderId: 's', ApproximateFirstReceiveTimestamp: '1' },
      messageAttributes: {}, md5OfBody: 'x', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:us-east-1:111122223333:q', awsRegion: 'us-east-1' }] };
    const context = { functionName: 's3-log-files', awsRequestId: 'bench', getRemainingTimeInMillis: () => 900000 };
    const start = performance.now();
    const cpuBefore = process.cpuUsage();
    const result = await handler(event, context);
    const seconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const afterDetection = stored && {
      seconds: (performance.now() - stored.at) / 1000,
      cpuSeconds: (() => { const c = process.cpuUsage(stored.cpu); return (c.user + c.system) / 1e6; })(),
    };
    // VmHWM, the kernel's high-water mark of this process's RSS (no sampler in the timed run: polling
    // process.memoryUsage() every 20 ms cost the handler ~33 ms of CPU); not getrusage's maxRSS, which
    // keeps the forked benchmark process's pages across exec.
    const { readFileSync } = await import('node:fs');
    const hwm = /VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (!hwm) throw new Error('/proc/self/status: no VmHWM line');
    const peak = Number(hwm[1]) * 1024;
    console.log(JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, afterDetection, calls, peakMb: peak / 1e6, failures: result.batchItemFailures.length }));`;
}

async function startServers() {
  const dynamo = await startLocalDynamo({ tableName: 'bench-incidents-0' });
  const directory = await mkdtemp(join(tmpdir(), 'glasswatch-bench-s3-'));
  const s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, resetOnClose: true });
  const { port } = await s3rver.run();
  const s3 = new S3Client({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  await s3.send(new CreateBucketCommand({ Bucket: 'org-trail' }));
  // EventBridge has no local server: this endpoint accepts every PutEvents entry.
  let putEvents = 0;
  const eventBridge: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (d) => {
      text += d;
    });
    req.on('end', () => {
      const entries = (JSON.parse(text) as { Entries: unknown[] }).Entries;
      putEvents += entries.length;
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ FailedEntryCount: 0, Entries: entries.map((_, i) => ({ EventId: `e${i}` })) }));
    });
  });
  await new Promise<void>((resolve) => eventBridge.listen(0, '127.0.0.1', resolve));
  return {
    s3,
    get putEvents() {
      return putEvents;
    },
    endpoints: {
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`,
      AWS_ENDPOINT_URL_EVENTBRIDGE: `http://127.0.0.1:${(eventBridge.address() as AddressInfo).port}`,
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    },
    /** New tables per run: each run does the work of a first delivery, as the replay does. */
    async freshTables(run: number) {
      const incidents = `bench-incidents-${run + 1}`;
      const idempotency = `bench-idempotency-${run + 1}`;
      await ensureTable(dynamo.client, incidents);
      await dynamo.client.send(
        new CreateTableCommand({
          TableName: idempotency,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        }),
      );
      return { GLASSWATCH_TABLE: incidents, GLASSWATCH_IDEMPOTENCY_TABLE: idempotency };
    },
    async close() {
      s3.destroy();
      await s3rver.close();
      await new Promise<void>((resolve) => eventBridge.close(() => resolve()));
      await dynamo.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
