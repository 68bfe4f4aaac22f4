import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { JSONParser } from '@streamparser/json';
import { DetectionPipeline } from '../shared/core/ingest/detection-pipeline.js';
import { JsonSplitter } from '../shared/core/ingest/json-splitter.js';
import { parseRegistry, RegistryMatcher } from '../shared/core/registry/index.js';
import { generateCloudTrailFile } from './generate.js';
import { median } from './lambda-support.js';
import { pad, rate } from './measure.js';

/**
 * Why the log-file reader is ours (README, "Libraries, and why"): the same gzipped CloudTrail file read
 * three ways, each streamed (gunzip, 64 KiB pieces), on one thread, in turns:
 * - @streamparser/json (a well-kept streaming JSON parser) emitting each `Records` element as a value;
 * - our splitter cutting the elements and JSON.parse on each (what replay did before the screen);
 * - our splitter with the CloudTrail screen, and the pipeline on what it cannot pass over (what replay
 *   does now, detection included).
 */
export async function jsonStreaming(records = Number(process.env.BENCH_RECORDS ?? 250_000), runs = 3): Promise<void> {
  const file = await generateCloudTrailFile(records);
  const matcher = new RegistryMatcher(
    parseRegistry(await readFile(join(import.meta.dirname, 'registry.yaml'), 'utf8'), 'registry.yaml'),
  );
  console.log(`\njson-streaming: ${records.toLocaleString('en')} CloudTrail records, one thread, streamed`);
  const times: Record<string, number[]> = { library: [], splitter: [], screen: [] };
  for (let run = 0; run < runs; run++) {
    times.library?.push(await timed(() => library(file, records)));
    times.splitter?.push(await timed(() => splitAndParse(file, records)));
    times.screen?.push(await timed(() => screened(file, records, matcher)));
  }
  const base = median(times.library as number[]);
  for (const [name, label] of [
    ['library', '@streamparser/json, each Records element'],
    ['splitter', 'our splitter + JSON.parse per element'],
    ['screen', 'our splitter + screen + pipeline (replay now)'],
  ] as const) {
    const seconds = median(times[name] as number[]);
    console.log(
      `  ${pad(label)}${seconds.toFixed(2)} s  ${rate(records, seconds)}  ${(base / seconds).toFixed(1)}× the library`,
    );
  }
}

async function timed(work: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
}

function inflated(file: string) {
  return pipeline(
    createReadStream(file, { highWaterMark: 256 << 10 }),
    createGunzip({ chunkSize: 64 << 10 }),
    () => {},
  );
}

async function library(file: string, expected: number): Promise<void> {
  let count = 0;
  const parser = new JSONParser({ paths: ['$.Records.*'], keepStack: false });
  parser.onValue = () => {
    count++;
  };
  for await (const piece of inflated(file)) parser.write(piece as Buffer);
  if (count !== expected) throw new Error(`library read ${count} records, expected ${expected}`);
}

async function splitAndParse(file: string, expected: number): Promise<void> {
  let count = 0;
  const splitter = new JsonSplitter((chunk) => {
    if (JSON.parse(chunk.text)) count++;
  });
  const stream = inflated(file);
  stream.setEncoding('utf8');
  for await (const text of stream) splitter.push(text as string);
  splitter.end();
  if (count !== expected) throw new Error(`splitter read ${count} records, expected ${expected}`);
}

async function screened(file: string, expected: number, matcher: RegistryMatcher): Promise<void> {
  const pipelineOfFile = new DetectionPipeline(matcher, { onFinding: () => {}, onError: () => {} });
  const splitter = new JsonSplitter(
    (chunk) => pipelineOfFile.chunk(chunk, splitter.container ?? 'document', file),
    pipelineOfFile.screen,
  );
  const stream = inflated(file);
  stream.setEncoding('utf8');
  for await (const text of stream) splitter.push(text as string);
  splitter.end();
  if (pipelineOfFile.counts.records !== expected) throw new Error(`screen read ${pipelineOfFile.counts.records}`);
}
