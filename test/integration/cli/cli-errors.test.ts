import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeFailure } from '../../../shared/runtime/cli/failure.js';
import { runCli } from '../../support/cli.js';

/**
 * The CLI as people expect it: --version, one line naming the path for anything unreadable, one line
 * for a registry the YAML parser refuses, no stack trace unless --debug, usage errors on stderr, and
 * every command's --help lists its exit codes.
 */

const REGISTRY = `
accounts:
  - id: aws-prod-root
    cloud: aws
    match: { arn: "arn:aws:iam::111122223333:root" }
`;

/** The "billion laughs" shape: each alias doubles the document (the yaml library stops at 50 aliases). */
const ALIAS_BOMB = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...Array.from({ length: 9 }, (_, i) => {
    const name = String.fromCharCode(98 + i);
    const prev = String.fromCharCode(97 + i);
    return `${name}: &${name} [${Array.from({ length: 9 }, () => `*${prev}`).join(',')}]`;
  }),
].join('\n');

const STACK_FRAME = /^\s+at .+\(?.+:\d+:\d+\)?$/m;
const COMMANDS = ['replay', 'drill', 'drills', 'report', 'filters'];

let dir: string;
let registry: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'glasswatch-cli-'));
  registry = join(dir, 'registry.yaml');
  await writeFile(registry, `${REGISTRY}responders:\n  outbox: { dir: ${JSON.stringify(join(dir, 'outbox'))} }\n`);
});
afterEach(async () => {
  await chmod(dir, 0o700).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

function oneLine(run: { stderr: string[] }): string {
  const text = run.stderr.join('\n');
  expect(text.split('\n')).toHaveLength(1);
  expect(text).not.toMatch(STACK_FRAME);
  return text;
}

describe('glasswatch CLI', () => {
  it('--version prints the package version', async () => {
    const { version } = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const run = await runCli([flag]);
      expect(run).toEqual({ code: 0, stdout: [`glasswatch ${version}`], stderr: [] });
    }
  });

  it('a missing registry is one line naming the path, for every command that reads one', async () => {
    const missing = join(dir, 'nope.yaml');
    for (const command of COMMANDS) {
      const extra =
        command === 'drill' ? ['--account', 'x'] : command === 'report' ? ['--out', join(dir, 'r.html')] : [];
      const run = await runCli([command, '--registry', missing, ...extra, ...(command === 'replay' ? [dir] : [])]);
      expect(run.code, command).toBe(1);
      expect(oneLine(run)).toBe(`glasswatch ${command}: cannot read ${missing}: no such file or directory`);
    }
  });

  it('an unreadable registry (a folder, no permission) is one line naming the path', async () => {
    const run = await runCli(['replay', '--registry', dir, dir]);
    expect(oneLine(run)).toBe(`glasswatch replay: cannot read ${dir}: is a directory`);
    if (process.getuid?.() !== 0) {
      await chmod(registry, 0o000);
      const denied = await runCli(['replay', '--registry', registry, dir]);
      expect(oneLine(denied)).toBe(`glasswatch replay: cannot read ${registry}: permission denied`);
    }
  });

  it('a registry the YAML parser refuses (alias bomb) is one line, no stack trace; --debug shows it', async () => {
    await writeFile(registry, ALIAS_BOMB);
    const run = await runCli(['replay', '--registry', registry, dir]);
    expect(run.code).toBe(1);
    expect(oneLine(run)).toMatch(
      new RegExp(
        `^${registry.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: invalid break-glass registry: YAML: Excessive alias count`,
      ),
    );
    const debug = await runCli(['replay', '--debug', '--registry', registry, dir]);
    expect(debug.code).toBe(1);
    expect(debug.stderr.join('\n')).toContain('Excessive alias count');
  });

  it('a missing input path is one line naming the path', async () => {
    const missing = join(dir, 'logs', 'none.json');
    const run = await runCli(['replay', '--registry', registry, '--ephemeral', missing]);
    expect(run.code).toBe(1);
    expect(oneLine(run)).toMatch(new RegExp(`^glasswatch replay: cannot read ${missing.replace(/[.]/g, '\\.')}: `));
  });

  it('an unreadable input folder is one line naming it', async () => {
    if (process.getuid?.() === 0) return; // root reads everything: nothing to refuse
    const logs = join(dir, 'logs');
    await mkdir(logs);
    await chmod(logs, 0o000);
    const run = await runCli(['replay', '--registry', registry, '--ephemeral', logs]);
    await chmod(logs, 0o700);
    expect(run.code).toBe(1);
    expect(oneLine(run)).toBe(`glasswatch replay: cannot read ${logs}: permission denied`);
  });

  it('a state folder that cannot be created is one line naming it', async () => {
    const state = join(registry, 'db');
    const run = await runCli(['replay', '--registry', registry, '--state', state, dir]);
    expect(run.code).toBe(1);
    expect(oneLine(run)).toBe(`glasswatch replay: cannot write ${state}: not a directory`);
  });

  it('usage errors go to stderr with the usage, exit 1; nothing on stdout', async () => {
    for (const args of [[], ['frobnicate'], ['replay'], ['replay', '--registry'], ['replay', '--bogus']]) {
      const run = await runCli(args);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stdout, args.join(' ')).toEqual([]);
      expect(run.stderr.join('\n'), args.join(' ')).toMatch(/Exit:/);
    }
  });

  it('every command, and glasswatch itself, lists its exit codes under --help (on stdout, exit 0)', async () => {
    for (const args of [['--help'], ...COMMANDS.map((c) => [c, '--help'])]) {
      const run = await runCli(args);
      expect(run.code).toBe(0);
      expect(run.stderr).toEqual([]);
      expect(run.stdout.join('\n'), args.join(' ')).toMatch(/\nExit: 0 /);
    }
  });
});

describe('describeFailure', () => {
  it('an unexpected error is one line, its stack only under --debug', () => {
    const error = new RangeError('Invalid time value\n    at somewhere');
    expect(describeFailure('report', error, 'usage', false)).toEqual([
      'glasswatch report: RangeError: Invalid time value (--debug shows the stack trace)',
    ]);
    const debug = describeFailure('report', error, 'usage', true);
    expect(debug).toHaveLength(1);
    expect(debug[0]).toMatch(STACK_FRAME);
  });
});
