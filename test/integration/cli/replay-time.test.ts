import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runReplay } from '../../../shared/runtime/replay.js';
import { runCli } from '../../support/cli.js';
import { readFixtureJsonl } from '../../support/fixtures.js';

/**
 * Replays of old logs tell the truth about time: "now" is a parameter (a controllable clock), and a
 * rotation deadline after the newest replayed event is "unverified: the logs end at T", never overdue.
 */

type Doc = Record<string, unknown>;

/** The AWS docs' root console sign-in (CC-BY-SA-4.0), alone: no later PasswordUpdated proves a rotation. */
function rootSignIn(): Doc {
  const docs = readFixtureJsonl<{ event: Doc }>('aws/aws-docs-cc-by-sa/cloudtrail_console_signin_examples.jsonl');
  const records = docs.flatMap(({ event }) => (Array.isArray(event.Records) ? (event.Records as Doc[]) : [event]));
  const found = records.find(
    (r) => r.eventName === 'ConsoleLogin' && (r.userIdentity as Doc).arn === 'arn:aws:iam::111122223333:root',
  );
  if (!found) throw new Error('fixture: no root ConsoleLogin');
  return found;
}

const DAY = 86_400_000;
let dir: string;
let registry: string;
let logs: string;
let eventTime: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'glasswatch-time-'));
  registry = join(dir, 'registry.yaml');
  logs = join(dir, 'root.jsonl');
  const record = rootSignIn();
  eventTime = new Date(record.eventTime as string).toISOString();
  await writeFile(logs, JSON.stringify(record));
  await writeRegistry();
});

/** The root account, the outbox in the test's folder, and optionally drill windows. */
async function writeRegistry(drills = ''): Promise<void> {
  const outbox = JSON.stringify(join(dir, 'outbox'));
  await writeFile(
    registry,
    `accounts:\n  - { id: aws-prod-root, cloud: aws, match: { arn: "arn:aws:iam::111122223333:root" } }\n${drills}responders:\n  outbox: { dir: ${outbox} }\n`,
  );
}
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function outboxText(): Promise<string> {
  const files = await readdir(join(dir, 'outbox'), { recursive: true, withFileTypes: true });
  const texts = await Promise.all(
    files.filter((f) => f.isFile()).map((f) => readFile(join(f.parentPath, f.name), 'utf8')),
  );
  return texts.join('\n');
}

describe('replaying old logs', () => {
  it('a month later: the rotation deadline after the logs end is unverified, not paged as overdue', async () => {
    const nowMs = Date.parse(eventTime) + 30 * DAY;
    const result = await runReplay({ registryPath: registry, paths: [logs], nowMs });
    expect(result.incidents).toHaveLength(1);
    expect(result.unverified).toHaveLength(1);
    expect(result.unverified?.[0]?.text).toMatch(
      new RegExp(
        `^rotation of aws-prod-root \\(incident .+\\), due by .+: unverified: the logs end at ${eventTime.replace(/[.]/g, '\\.')}$`,
      ),
    );
    const overdue = result.delivery?.incidents
      .flatMap((i) => i.actions)
      .filter((a) => a.key.startsWith('rotation:overdue:'));
    expect(overdue).toEqual([]);
    expect(await outboxText()).not.toContain('not seen within');
  });

  it('the same deadline inside the logs (they run past it) is overdue and pages', async () => {
    // A later unrelated record of the same input moves the logs' end past the deadline.
    const later = {
      ...rootSignIn(),
      eventID: 'later-0001',
      eventTime: new Date(Date.parse(eventTime) + 10 * DAY).toISOString(),
      userIdentity: {
        type: 'IAMUser',
        arn: 'arn:aws:iam::111122223333:user/someone',
        accountId: '111122223333',
        userName: 'someone',
      },
    };
    await writeFile(logs, `${JSON.stringify(rootSignIn())}\n${JSON.stringify(later)}`);
    const result = await runReplay({ registryPath: registry, paths: [logs], nowMs: Date.parse(eventTime) + 30 * DAY });
    expect(result.unverified).toEqual([]);
    const overdue = result.delivery?.incidents
      .flatMap((i) => i.actions)
      .filter((a) => a.key === 'rotation:overdue:outbox');
    expect(overdue?.map((a) => a.status)).toEqual(['delivered']);
    expect(await outboxText()).toContain('not seen within 24 h');
  });

  it('glasswatch replay today says so on stdout', async () => {
    const run = await runCli(['replay', '--registry', registry, '--ephemeral', logs]);
    expect(run.code).toBe(0);
    expect(run.stdout.join('\n')).toMatch(/unverified: the logs end at /);
    expect(run.stdout.join('\n')).not.toMatch(/not seen within/);
  });

  it('a window drill replayed years later shows "replayed, no latency", not the years since', async () => {
    const hour = 3_600_000;
    const window = (ms: number) => new Date(Date.parse(eventTime) + ms).toISOString();
    await writeRegistry(`drills:\n  - { account: aws-prod-root, start: "${window(-hour)}", end: "${window(hour)}" }\n`);
    const state = join(dir, 'state');
    expect((await runCli(['replay', '--registry', registry, '--state', state, logs])).code).toBe(0);
    const run = await runCli(['drills', '--registry', registry, '--state', state]);
    expect(run.code).toBe(0);
    const lines = run.stdout.filter((l) => l.includes(' window '));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).toContain('replayed, no latency');
      expect(line).not.toMatch(/ page \d/);
    }
  });
});
