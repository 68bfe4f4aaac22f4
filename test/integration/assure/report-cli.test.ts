import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostureReport } from '../../../shared/core/assure/report.js';
import { runCli } from '../../support/cli.js';
import { readFixtureJsonl } from '../../support/fixtures.js';

/**
 * `glasswatch report` over the embedded store after a replay of real samples (the AWS docs' EventBridge
 * events, inside and outside a declared drill window) and an injected drill: one HTML page and its JSON.
 */

let dir: string;
let registry: string;
let state: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'glasswatch-report-cli-'));
  registry = join(dir, 'registry.yaml');
  state = join(dir, 'db');
  await writeFile(
    registry,
    `accounts:
  - { id: docs-root, cloud: aws, match: { arn: "arn:aws:iam::123456789012:root" }, description: "AWS docs' example account" }
  - { id: gcp-super-admin, cloud: gcp, match: { email: breakglass@example.com } }
drills:
  - { account: docs-root, start: "2016-02-20T00:00:00Z", end: "2016-02-20T04:00:00Z" }
responders:
  outbox: { dir: ${JSON.stringify(join(dir, 'outbox'))} }
`,
  );
  const events = readFixtureJsonl<{ event: unknown }>('aws/aws-docs-cc-by-sa/eventbridge_cloudtrail_examples.jsonl');
  const log = join(dir, 'eventbridge.json');
  await writeFile(log, JSON.stringify(events.map((e) => e.event)));
  expect((await runCli(['replay', '--registry', registry, '--state', state, log])).code).toBe(0);
  expect((await runCli(['drill', '--registry', registry, '--state', state, '--account', 'docs-root'])).code).toBe(0);
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('glasswatch report', () => {
  it('writes the page and the JSON beside it: controls, incidents with workflow, drills (live and replayed), coverage', async () => {
    const out = join(dir, 'posture.html');
    const run = await runCli([
      'report',
      '--registry',
      registry,
      '--state',
      state,
      '--out',
      out,
      '--expect',
      'gcp-pull',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout[1]).toBe(`wrote ${out} and ${join(dir, 'posture.json')}`);
    const report = JSON.parse(await readFile(join(dir, 'posture.json'), 'utf8')) as PostureReport;
    expect(report.accounts.map((a) => a.id)).toEqual(['docs-root', 'gcp-super-admin']);
    expect(report.incidents.map((i) => [i.drill, i.severity])).toEqual([
      [true, 'low'],
      [true, 'low'],
      [false, 'critical'],
    ]);
    expect(report.drills.map((d) => d.kind)).toEqual(['window', 'synthetic']);
    // The replayed 2016 window drill was handled years after its window: history, not a latency.
    expect(report.drills[0]).toMatchObject({ status: 'replayed', live: false });
    expect(report.drills[0]).not.toHaveProperty('pageMs');
    expect(report.drills[1]).toMatchObject({
      status: 'passed',
      live: true,
      incidentMs: expect.any(Number),
      pageMs: expect.any(Number),
    });
    expect(report.accounts[0]?.lastDrill).toBe(report.drills[1]?.startedAt);
    expect(report.accounts[0]?.controls.find((c) => c.id === 'drill')?.status).toBe('pass');
    // Coverage from the replayed files (not "no source has delivered"), and the expected source stands out.
    expect(report.coverage.scopes).toEqual([
      {
        path: 'replay',
        cloud: 'aws',
        source: 'aws.cloudtrail',
        scope: '123456789012',
        region: 'us-east-1',
        firstSeen: '2016-01-05T18:21:27.000Z',
        lastSeen: '2016-02-20T01:09:13.000Z',
      },
    ]);
    expect(report.window).toEqual({ from: '2016-01-05T18:21:27.000Z', to: '2016-02-20T01:09:13.000Z' });
    expect(report.coverage.sources).toMatchObject([{ source: 'gcp-pull', state: 'never' }]);
    expect(report.incidents[2]?.workflow).toMatchObject({
      page: { state: 'delivered', via: ['outbox'] },
      review: { state: 'scheduled' },
    });
    const html = await readFile(out, 'utf8');
    expect(html).toContain('data-account="docs-root"');
    expect(html).toContain('AWS docs&#39; example account');
    expect(html).toContain('<p class="alert" id="silent">');
    expect(html).not.toContain('No source has delivered');
  });

  it('records the same coverage when the replay runs on worker threads', async () => {
    const coverage = async (threads: string) => {
      const db = join(dir, `db-threads-${threads}`);
      const log = join(dir, 'eventbridge.json');
      expect(
        (await runCli(['replay', '--registry', registry, '--state', db, '--no-respond', '--threads', threads, log]))
          .code,
      ).toBe(0);
      const out = join(dir, `threads-${threads}.html`);
      expect((await runCli(['report', '--registry', registry, '--state', db, '--out', out])).code).toBe(0);
      return (JSON.parse(await readFile(join(dir, `threads-${threads}.json`), 'utf8')) as PostureReport).coverage
        .scopes;
    };
    const single = await coverage('1');
    expect(single).toHaveLength(1);
    expect(await coverage('2')).toEqual(single);
  });

  it('names a bad --expect source as a usage error', async () => {
    const run = await runCli([
      'report',
      '--registry',
      registry,
      '--ephemeral',
      '--out',
      join(dir, 'x.html'),
      '--expect',
      'kafka',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr[0]).toMatch(/heartbeat source "kafka": expected one of/);
  });
});
