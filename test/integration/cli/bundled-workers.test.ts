import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The CLI as installed runs from its bundle (`npm run build`: dist/cli.mjs and its chunks), and its
 * worker threads load their own entry beside it: dist/detection-worker.mjs (`--threads`). The code
 * starting them may sit in a chunk (dist/chunks/), so this runs the built command itself, as a user does.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const run = promisify(execFile);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'glasswatch-bundled-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function replay(...args: string[]) {
  const registry = join(ROOT, 'examples/registry.yaml');
  const command = [join(ROOT, 'bin/glasswatch.mjs'), 'replay', '--registry', registry, ...args];
  return run(process.execPath, [...command, '--state', join(dir, 'state'), join(ROOT, 'examples/logs')], {
    cwd: dir, // the outbox goes to ./.glasswatch
  });
}

describe('the bundled CLI', () => {
  it('replays on detection worker threads, and keeps its state for the next run', async () => {
    const first = await replay('--threads', '2', '--json');
    const incidents = first.stdout.trim().split('\n');
    expect(incidents.length).toBeGreaterThan(0);
    const second = await replay('--threads', '1');
    expect(second.stdout).toContain(`${incidents.length} incident(s)`);
    expect(second.stdout.split('(unchanged: already recorded by an earlier replay)')).toHaveLength(
      incidents.length + 1,
    );
  });
});
