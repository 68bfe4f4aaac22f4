import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { createIdempotencyTable, ensureTable, startLocalDynamo } from '../shared/adapters/dynamodb/local-dynalite.js';

/** The s3-log-files handler as the lambda-s3 bench runs it: the child's script and the services it calls. */

/** What the child process reports of one invocation. */
export interface HandlerSample {
  seconds: number;
  cpuSeconds: number;
  /** From the first request after the object's GET (the store, once detection is done) to the end. */
  afterDetection?: { seconds: number; cpuSeconds: number };
  /** Requests the handler sent, by operation (DynamoDB and EventBridge targets; S3 by method and host). */
  calls: Record<string, number>;
  peakMb: number;
  failures: number;
}

/** The SQS message of the S3 notification of one object (the queue delivers the bucket's events). */
function sqsEvent(key: string, messageId: string) {
  const body = JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: '2026-11-01T00:05:00.000Z',
        eventName: 'ObjectCreated:Put',
        s3: { bucket: { name: 'org-trail' }, object: { key, sequencer: `bench-${messageId}-${Date.now()}` } },
      },
    ],
  });
  const attributes = {
    ApproximateReceiveCount: '1',
    SentTimestamp: '1',
    SenderId: 's',
    ApproximateFirstReceiveTimestamp: '1',
  };
  return {
    Records: [
      {
        messageId,
        receiptHandle: 'r',
        body,
        attributes,
        messageAttributes: {},
        md5OfBody: 'x',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:111122223333:q',
        awsRegion: 'us-east-1',
      },
    ],
  };
}

/**
 * The child: load the bundle, invoke it with one SQS message for the object, time the invocation. With
 * `previous`, a warm container: that object is handled first, untimed, as the container's last message.
 */
export function handlerRun(bundle: string, key: string, previous?: string): string {
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
    const context = { functionName: 's3-log-files', awsRequestId: 'bench', getRemainingTimeInMillis: () => 900000 };
    const previous = ${JSON.stringify(previous ? sqsEvent(previous, 'previous') : null)};
    if (previous) {
      const handled = await handler(previous, { ...context, awsRequestId: 'previous' });
      if (handled.batchItemFailures.length > 0) throw new Error('the previous object failed');
      for (const name of Object.keys(calls)) delete calls[name];
      reading = false;
      stored = undefined;
    }
    const event = ${JSON.stringify(sqsEvent(key, 'bench'))};
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

/**
 * s3rver, dynalite and an EventBridge endpoint, in this process: what the handler calls. On AWS they run
 * elsewhere; here they share the machine's cores with the handler (their CPU is reported).
 */
export async function startServers() {
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
      await createIdempotencyTable(dynamo.client, idempotency);
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
