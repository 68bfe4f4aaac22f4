import { readFileSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReplay } from '../../../shared/runtime/replay.js';
import { fixturePath, readFixtureJsonl } from '../../support/fixtures.js';

/**
 * The replay on worker threads must find exactly what the single-threaded replay finds: the same
 * incidents, counts and errors (in the same order), over a folder of every format, a CloudTrail file
 * of several worker batches with malformed records in it, and files that cannot be read.
 */

type Doc = Record<string, unknown>;
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const NOW = Date.parse('2027-01-01T00:00:00Z');
const REGISTRY = `
accounts:
  - id: aws-prod-root
    cloud: aws
    match: { arn: "arn:aws:iam::111122223333:root" }
  - id: stratus-user
    cloud: aws
    match: { userName: stratus-red-team-user }
`;

let dir: string;

/** Stratus Red Team detonations repeated (unique ids, one event a minute), root sign-ins and bad records mixed in. */
function bigTrailFile(): Buffer {
  const stratus = (
    JSON.parse(
      gunzipSync(readFileSync(fixturePath('aws/stratus-red-team/stratus_all_detonations.Records.json.gz'))).toString(),
    ) as { Records: Doc[] }
  ).Records;
  const signIns = readFixtureJsonl<{ event: Doc }>('aws/aws-docs-cc-by-sa/cloudtrail_console_signin_examples.jsonl')
    .flatMap(({ event }) => (Array.isArray(event.Records) ? (event.Records as Doc[]) : [event]))
    .filter((r) => (r.userIdentity as Doc).arn === 'arn:aws:iam::111122223333:root');
  const start = Date.parse('2026-11-01T00:00:00Z');
  const elements: string[] = [];
  for (let i = 0; i < 3_500; i++) {
    const shape = (i % 700 === 699 ? signIns[i % signIns.length] : stratus[i % stratus.length]) as Doc;
    const eventTime = new Date(start + i * 60_000).toISOString().replace('.000Z', 'Z');
    elements.push(JSON.stringify({ ...shape, eventID: `parallel-${i}`, eventTime }));
    if (i % 1_000 === 500) elements.push('{"eventVersion":"1.08","eventTime":"2026-11-01T00:00:00Z"}'); // no eventName
    if (i % 1_000 === 900) elements.push('{"eventVersion": tru}'); // not JSON
  }
  return gzipSync(`{"Records":[${elements.join(',')}]}`);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'glasswatch-parallel-'));
  await cp(join(ROOT, 'examples/logs'), join(dir, 'logs'), { recursive: true });
  await writeFile(join(dir, 'logs/aws/big-trail.json.gz'), bigTrailFile());
  await writeFile(join(dir, 'logs/aws/truncated.json.gz'), bigTrailFile().subarray(0, 20_000));
  await writeFile(join(dir, 'logs/gcp/not-json.jsonl'), 'hello\n{"insertId": 1}\n');
  await writeFile(join(dir, 'registry.yaml'), REGISTRY);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function replay(threads: number) {
  const errors: string[] = [];
  const result = await runReplay({
    registryPath: join(dir, 'registry.yaml'),
    paths: [join(dir, 'logs')],
    nowMs: NOW,
    respond: false,
    threads,
    onError: (error) => errors.push(error.message),
  });
  return { result, errors };
}

describe('replay on worker threads', () => {
  it('finds the same incidents, counts and errors as the single-threaded replay', { timeout: 180_000 }, async () => {
    const single = await replay(1);
    const parallel = await replay(2);
    expect(single.result.counts.records).toBeGreaterThan(3_500);
    expect(single.result.incidents.length).toBeGreaterThanOrEqual(2);
    expect(single.errors.length).toBeGreaterThanOrEqual(8);
    expect(single.result.unreadableFiles).toBe(1);
    expect(parallel.result.counts).toEqual(single.result.counts);
    expect(parallel.result.unreadableFiles).toBe(single.result.unreadableFiles);
    expect(parallel.errors).toEqual(single.errors);
    expect(parallel.result.incidents).toEqual(single.result.incidents);
    expect(parallel.result.changes).toEqual(single.result.changes);
  });
});
