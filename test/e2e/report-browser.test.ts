import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPostureHtml } from '../../shared/adapters/report/html.js';
import { runCli } from '../support/cli.js';
import { readFixtureJsonl } from '../support/fixtures.js';
import { hostileReport } from '../unit/assure/report/fixture.js';

/**
 * The posture report in a real headless browser (Debian's Chromium through playwright-core): it renders,
 * shows every account, draws the drill chart, runs its one script under its own CSP, loads nothing
 * from anywhere, and no hostile string becomes markup. In CI (`CI` set) a missing Chromium fails the
 * test; elsewhere it is skipped with the reason.
 */

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const hasChromium = existsSync(CHROMIUM);

describe('Chromium is available where the browser test must run', () => {
  it.runIf(Boolean(process.env.CI))('has /usr/bin/chromium in CI (.ci/run installs it)', () => {
    expect(hasChromium, `${CHROMIUM} missing: install the Debian chromium package`).toBe(true);
  });
});

describe.skipIf(!hasChromium)('posture report in headless Chromium', () => {
  let dir: string;
  let context: BrowserContext;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'glasswatch-report-'));
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
    });
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Opens a file, collecting console errors, page errors and every request the page makes. */
  async function open(path: string): Promise<{ page: Page; problems: string[]; requests: string[] }> {
    const page = await context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
    return { page, problems, requests };
  }

  it('renders a report made by the CLI after a replay and a drill: accounts, chart, timeline, no errors', async () => {
    const outbox = join(dir, 'outbox');
    const registry = join(dir, 'registry.yaml');
    await writeFile(
      registry,
      `accounts:
  - { id: aws-prod-root, cloud: aws, match: { arn: "arn:aws:iam::111122223333:root" }, owners: [secops@example.com] }
  - { id: gcp-super-admin, cloud: gcp, match: { email: breakglass@example.com } }
responders:
  outbox: { dir: ${JSON.stringify(outbox)} }
`,
    );
    const log = join(dir, 'root-sign-in.jsonl');
    const rows = readFixtureJsonl<{ event: unknown }>('aws/aws-docs-cc-by-sa/act_root_console_login.jsonl');
    await writeFile(log, rows.map((r) => JSON.stringify(r.event)).join('\n'));
    const state = join(dir, 'db');
    expect((await runCli(['replay', '--registry', registry, '--state', state, log])).code).toBe(0);
    const drill = await runCli(['drill', '--registry', registry, '--account', 'aws-prod-root', '--state', state]);
    expect(drill.code, drill.stderr.join('\n')).toBe(0);
    const out = join(dir, 'site', 'posture.html');
    const report = await runCli(['report', '--registry', registry, '--state', state, '--out', out]);
    expect(report.code, report.stderr.join('\n')).toBe(0);
    expect(JSON.parse(await readFile(join(dir, 'site', 'posture.json'), 'utf8')).accounts).toHaveLength(2);

    const { page, problems, requests } = await open(out);
    await expect(page.title()).resolves.toBe('Glasswatch posture report');
    for (const id of ['aws-prod-root', 'gcp-super-admin']) {
      const row = page.locator(`#accounts tr[data-account="${id}"]`);
      await row.waitFor({ state: 'visible' });
      expect(await row.textContent()).toContain(id);
    }
    const chart = page.locator('svg.chart');
    await chart.waitFor({ state: 'visible' });
    expect((await chart.boundingBox())?.width).toBeGreaterThan(300);
    expect(await page.locator('svg.chart rect.bar-page').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#timeline tbody tr').count()).toBe(2);
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(out).href]);
  }, 120_000);

  it('keeps hostile strings as text, runs only its own script (CSP), and that script works', async () => {
    const path = join(dir, 'hostile.html');
    await writeFile(path, renderPostureHtml(hostileReport()));
    const { page, problems, requests } = await open(path);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    expect(await page.locator('body').isVisible()).toBe(true);
    expect(await page.locator('#timeline').textContent()).toContain('<img src=x onerror="window.__pwned=2">');
    const drillRows = page.locator('#timeline tr.drill-row');
    expect(await drillRows.count()).toBe(1);
    await page.locator('#hide-drills').check();
    await expect.poll(() => drillRows.first().isVisible()).toBe(false);
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(path).href]);
  }, 60_000);
});
