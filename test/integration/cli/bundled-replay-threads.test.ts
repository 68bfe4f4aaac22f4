import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRATUS } from '../aws/support/trail-records.js';

/**
 * The installed command (bin/glasswatch.mjs → dist/), not the sources: its worker threads load the
 * bundled detection worker from beside the CLI's chunks, and a CloudTrail file of several segments is
 * split and screened on them. The output must be the one thread's, byte for byte.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const CLI = join(ROOT, 'bin/glasswatch.mjs');
const run = promisify(execFile);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'glasswatch-bundled-threads-'));
  const start = Date.parse('2026-11-01T00:00:00Z');
  const records = Array.from({ length: 6_000 }, (_, i) => ({
    ...STRATUS[i % STRATUS.length],
    eventID: `bundled-${i}`,
    eventTime: new Date(start + i * 30_000).toISOString().replace('.000Z', 'Z'),
  }));
  await writeFile(join(dir, 'trail.json.gz'), gzipSync(JSON.stringify({ Records: records })));
  await writeFile(
    join(dir, 'registry.yaml'),
    'accounts:\n  - { id: stratus-user, cloud: aws, match: { userName: stratus-red-team-user } }\n',
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function replay(threads: number): Promise<{ stdout: string; stderr: string }> {
  const cwd = await mkdtemp(join(dir, `run-${threads}-`));
  const args = [CLI, 'replay', '--registry', join(dir, 'registry.yaml'), '--json', '--threads', String(threads)];
  const { stdout, stderr } = await run(
    process.execPath,
    [...args, '--state', join(cwd, 'state'), join(dir, 'trail.json.gz')],
    {
      cwd,
      maxBuffer: 64 << 20,
    },
  );
  return { stdout: stdout.replaceAll(cwd, '<cwd>'), stderr: stderr.replaceAll(cwd, '<cwd>') };
}

describe('the installed replay on worker threads', () => {
  it('prints what one thread prints', { timeout: 120_000 }, async () => {
    const one = await replay(1);
    const two = await replay(2);
    expect(one.stdout.split('\n').filter(Boolean).length).toBeGreaterThan(0);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
  });
});
