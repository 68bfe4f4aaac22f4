import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DrillResult } from '../../../shared/core/assure/drill/steps.js';
import { runCli } from '../../support/cli.js';
import { readFixtureJsonl } from '../../support/fixtures.js';

/**
 * The scripted contract: `glasswatch drill --registry FILE --account ID` on the embedded default with the
 * local outbox exits 0 only when every step happened and prints the three timings; `glasswatch drills`
 * lists the stored results per account; a failed drill pages for real and exits non-zero.
 */

let dir: string;
let registry: string;
let outbox: string;
let state: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'glasswatch-drill-'));
  outbox = join(dir, 'outbox');
  state = join(dir, 'db');
  registry = join(dir, 'registry.yaml');
  await writeFile(
    registry,
    `accounts:
  - { id: aws-prod-root, cloud: aws, match: { arn: "arn:aws:iam::111122223333:root" } }
  - { id: gcp-super-admin, cloud: gcp, match: { email: breakglass@example.com } }
  - { id: entra-emergency, cloud: azure, match: { userPrincipalName: emergency@contoso.onmicrosoft.com } }
responders:
  outbox: { dir: ${JSON.stringify(outbox)} }
`,
  );
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const drill = (...args: string[]) => runCli(['drill', '--registry', registry, '--state', state, ...args]);

describe('glasswatch drill', () => {
  it('runs a drill end to end on the embedded default and prints time-to-incident, -page and -ticket', async () => {
    const run = await drill('--account', 'aws-prod-root');
    expect(run.stderr).toEqual([]);
    expect(run.code).toBe(0);
    const text = run.stdout.join('\n');
    expect(text).toMatch(/^Glasswatch drill d-[0-9a-f]{12} for aws-prod-root \(aws, local\): PASSED/);
    for (const step of ['inject', 'incident', 'page', 'ticket', 'close'])
      expect(text).toMatch(new RegExp(`\\n  ${step} +passed `));
    expect(text).toMatch(/\n {2}review +(unavailable|passed) /);
    expect(text).toMatch(
      /time-to-incident: \d+(\.\d+)? m?s · time-to-page: \d+(\.\d+)? m?s · time-to-ticket: \d+(\.\d+)? m?s/,
    );
    const pages = await readdir(join(outbox, 'pages'));
    expect(pages).toHaveLength(1);
    const page = await readFile(join(outbox, 'pages', pages[0] as string), 'utf8');
    expect(page).toMatch(/^Subject: DRILL - Glasswatch low/);
  });

  it('drills GCP and Entra accounts through the same path, and lists the stored results per account', async () => {
    for (const account of ['gcp-super-admin', 'entra-emergency', 'gcp-super-admin']) {
      expect((await drill('--account', account)).code).toBe(0);
    }
    const list = await runCli(['drills', '--registry', registry, '--state', state]);
    expect(list.code).toBe(0);
    expect(list.stdout[0]).toBe('aws-prod-root: no drills');
    expect(list.stdout[1]).toBe('gcp-super-admin: 2 drill(s)');
    expect(list.stdout.filter((l) => / synthetic passed /.test(l))).toHaveLength(3);
    const json = await runCli([
      'drills',
      '--registry',
      registry,
      '--state',
      state,
      '--account',
      'entra-emergency',
      '--json',
    ]);
    const [result] = json.stdout.map((l) => JSON.parse(l) as DrillResult);
    expect(result).toMatchObject({ account: 'entra-emergency', cloud: 'azure', status: 'passed', runtime: 'local' });
  });

  it('drills the opening of a Key Vault and a Secret Manager store: the DRILL page names the reader, the store and the sign-in', async () => {
    await writeFile(
      registry,
      `accounts:
  - id: gcp-super-admin
    cloud: gcp
    match: { email: breakglass@example.com }
    credential: { stores: [{ gcpSecret: projects/bg-vault-prod/secrets/super-admin-password }], approvedReaders: ["user:custodian@example.com"] }
  - id: entra-emergency
    cloud: azure
    match: { userPrincipalName: emergency@contoso.onmicrosoft.com }
    credential: { stores: [{ keyVault: { vault: bg-vault-prod, secret: entra-ea2-password } }] }
responders:
  outbox: { dir: ${JSON.stringify(outbox)} }
`,
    );
    for (const account of ['gcp-super-admin', 'entra-emergency']) {
      const run = await drill('--account', account);
      expect(run.stderr).toEqual([]);
      expect(run.code).toBe(0);
    }
    const pages = await Promise.all(
      (await readdir(join(outbox, 'pages'))).map((f) => readFile(join(outbox, 'pages', f), 'utf8')),
    );
    expect(pages).toHaveLength(2);
    expect(pages.every((p) => p.startsWith('Subject: DRILL - '))).toBe(true);
    expect(pages.join('\n')).toContain(
      'custodian@example.com read the break-glass credential from Google Secret Manager projects/bg-vault-prod/secrets/super-admin-password (approved reader) · then breakglass@example.com signed in to GCP',
    );
    expect(pages.join('\n')).toContain(
      'glasswatch-drill@contoso.onmicrosoft.com (Glasswatch drill) read the break-glass credential from Azure Key Vault bg-vault-prod/entra-ea2-password (approval path not declared) · then emergency@contoso.onmicrosoft.com (Glasswatch drill (entra-emergency)) signed in to Azure',
    );
  });

  it('fails loudly when a step misses its bound: exit 4 and a real (non-drill) page in the outbox', async () => {
    const run = await drill('--account', 'aws-prod-root', '--within', 'page=0', '--json');
    expect(run.code).toBe(4);
    const result = JSON.parse(run.stdout[0] ?? '{}') as DrillResult;
    expect(result.status).toBe('failed');
    expect(result.steps.find((s) => s.step === 'page')).toMatchObject({ status: 'failed', boundMs: 0 });
    expect(run.stderr[0]).toBe('Drill failed: a real page went out through the configured pagers.');
    const pages = await Promise.all(
      (await readdir(join(outbox, 'pages'))).map((f) => readFile(join(outbox, 'pages', f), 'utf8')),
    );
    const real = pages.filter((p) =>
      p.startsWith('Subject: Glasswatch high: Drill failed for aws-prod-root: page not within 0 ms'),
    );
    expect(real).toHaveLength(1);
  });

  /** Replays a real root console sign-in `agoMs` before now into the drill's state folder. */
  async function realSignIn(agoMs: number): Promise<void> {
    const [row] = readFixtureJsonl<{ event: Record<string, unknown> }>(
      'aws/aws-docs-cc-by-sa/act_root_console_login.jsonl',
    );
    const log = join(dir, 'now.jsonl');
    await writeFile(log, JSON.stringify({ ...row?.event, eventTime: new Date(Date.now() - agoMs).toISOString() }));
    expect((await runCli(['replay', '--registry', registry, '--state', state, log])).code).toBe(0);
  }

  it('skips (exit 5) while a real incident of the account is open', async () => {
    await realSignIn(60_000);
    const run = await drill('--account', 'aws-prod-root');
    expect(run.code).toBe(5);
    expect(run.stdout.join('\n')).toMatch(
      /SKIPPED\n {2}a real incident \(gw-[0-9a-f]+\) of this account is open: drill not injected/,
    );
    expect(await readdir(join(outbox, 'pages')).catch(() => [])).toHaveLength(1);
  });

  it('drills again once the real session has ended (its last event older than the session gap)', async () => {
    await realSignIn(2 * 3_600_000);
    const run = await drill('--account', 'aws-prod-root');
    expect(run.stdout.join('\n')).toMatch(/^Glasswatch drill d-[0-9a-f]{12} for aws-prod-root \(aws, local\): PASSED/);
    expect(run.code).toBe(0);
    const pages = await Promise.all(
      (await readdir(join(outbox, 'pages'))).map((f) => readFile(join(outbox, 'pages', f), 'utf8')),
    );
    // The real sign-in's page and the drill's own, never merged into one incident.
    expect(pages.filter((p) => p.startsWith('Subject: DRILL - '))).toHaveLength(1);
    expect(pages.filter((p) => !p.startsWith('Subject: DRILL - ')).length).toBeGreaterThanOrEqual(1);
    const listed = await runCli(['drills', '--registry', registry, '--state', state, '--json']);
    const results = listed.stdout.map((line) => JSON.parse(line) as DrillResult);
    expect(results.map((r) => r.status)).toContain('passed');
  });

  it('refuses an unknown account or a bad bound as usage errors (exit 1)', async () => {
    const unknown = await drill('--account', 'nobody');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr[0]).toMatch(
      /account "nobody" is not in the registry \(known: aws-prod-root, gcp-super-admin, entra-emergency\)/,
    );
    const bound = await drill('--account', 'aws-prod-root', '--within', 'pager=5');
    expect(bound.code).toBe(1);
    expect(bound.stderr[0]).toMatch(/--within pager=5: expected STEP=SECONDS/);
    expect((await runCli(['drill', '--account', 'x'])).code).toBe(1);
  });
});
