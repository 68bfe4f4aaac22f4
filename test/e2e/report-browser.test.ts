/// <reference lib="dom" />
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReportState } from '../../bench/report-state.js';
import { startLocalDynamo } from '../../shared/adapters/dynamodb/local-dynalite.js';
import { renderPostureHtml } from '../../shared/adapters/report/html.js';
import { runCli } from '../support/cli.js';
import { readFixtureJsonl } from '../support/fixtures.js';
import { hostileReport } from '../unit/assure/report/fixture.js';

/**
 * The posture report in a real headless browser (Debian's Chromium through playwright-core), checked as
 * a person would look at it: it renders, names every account, runs its one script under its own CSP,
 * loads nothing from anywhere, no hostile string becomes markup; no text overflows its box at 1280 px
 * and at 390 px (measured element boxes), every chart label lies inside its SVG viewBox (getBBox), and
 * it prints on A4 with its content inside the printable width. The same on a generated state of 12
 * months, 5 accounts, 3 clouds and hundreds of incidents. In CI (`CI` set) a missing Chromium fails the
 * test; elsewhere it is skipped with the reason.
 */

/** What a reader would call broken layout, measured in the page: overflowing boxes and labels outside charts. */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1)
      problems.push(`page is ${root.scrollWidth} px wide in ${root.clientWidth} px`);
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      if (el.closest('svg') || el.closest('thead')) continue;
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (box.left < -1 || box.right > root.clientWidth + 1)
        problems.push(`${name(el)} spans ${Math.round(box.left)}–${Math.round(box.right)} px`);
      if (
        style.display !== 'inline' &&
        el instanceof HTMLElement &&
        el.scrollWidth > el.clientWidth + 1 &&
        el.clientWidth > 0
      ) {
        problems.push(`${name(el)} content ${el.scrollWidth} px in a ${el.clientWidth} px box`);
      }
    }
    for (const svg of Array.from(document.querySelectorAll('svg.chart'))) {
      const view = (svg as SVGSVGElement).viewBox.baseVal;
      for (const label of Array.from(svg.querySelectorAll('text'))) {
        const b = (label as SVGTextElement).getBBox();
        if (
          b.x < view.x - 0.5 ||
          b.y < view.y - 0.5 ||
          b.x + b.width > view.x + view.width + 0.5 ||
          b.y + b.height > view.y + view.height + 0.5
        ) {
          problems.push(
            `chart label "${label.textContent}" at ${b.x.toFixed(1)},${b.y.toFixed(1)} ${b.width.toFixed(1)}×${b.height.toFixed(1)} outside viewBox ${view.width}×${view.height}`,
          );
        }
      }
    }
    return problems;
  });
}

/** A4 is 210 mm wide; with the stylesheet's 12 mm print margins, 186 mm = 703 CSS px are printable. */
const A4_PRINTABLE_PX = Math.floor(((210 - 2 * 12) / 25.4) * 96);

/** Renders at a desktop and a phone width and for print; returns every layout problem found. */
async function checkAsAPerson(page: Page): Promise<string[]> {
  const problems: string[] = [];
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    problems.push(...(await layoutProblems(page)).map((p) => `${width} px: ${p}`));
  }
  await page.emulateMedia({ media: 'print' });
  await page.setViewportSize({ width: A4_PRINTABLE_PX, height: 1000 });
  problems.push(...(await layoutProblems(page)).map((p) => `print: ${p}`));
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  if (pdf.subarray(0, 5).toString() !== '%PDF-' || pdf.length < 10_000)
    problems.push(`print: no A4 PDF (${pdf.length} bytes)`);
  await page.emulateMedia({ media: 'screen' });
  return problems;
}

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
    const json = JSON.parse(await readFile(join(dir, 'site', 'posture.json'), 'utf8'));
    expect(json.accounts).toHaveLength(2);
    expect(json.coverage.scopes).toHaveLength(1);

    const { page, problems, requests } = await open(out);
    await expect(page.title()).resolves.toBe('Glasswatch posture report');
    for (const id of ['aws-prod-root', 'gcp-super-admin']) {
      const card = page.locator(`#accounts section[data-account="${id}"]`);
      await card.waitFor({ state: 'visible' });
      expect(await card.textContent()).toContain(id);
      expect(await card.locator('tbody tr').count()).toBe(5);
    }
    const chart = page.locator('svg.drill-trend');
    await chart.waitFor({ state: 'visible' });
    expect((await chart.boundingBox())?.width).toBeGreaterThan(300);
    expect(await page.locator('svg.drill-trend circle.s-page').count()).toBe(1);
    expect(await page.locator('#timeline tbody tr').count()).toBe(2);
    expect(await page.locator('#scopes tbody tr').count()).toBe(1);
    expect(await page.locator('#heartbeats').textContent()).not.toContain('No source has delivered');
    expect(await checkAsAPerson(page)).toEqual([]);
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
    expect(await checkAsAPerson(page)).toEqual([]);
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(path).href]);
  }, 60_000);

  it('answers on a big state: 12 months, 5 accounts, 3 clouds, hundreds of incidents', async () => {
    const state = join(dir, 'big-db');
    const registry = join(dir, 'big.yaml');
    const dynamo = await startLocalDynamo({ path: state });
    const { REPORT_STATE_REGISTRY } = await import('../../bench/report-state.js');
    let figures: Awaited<ReturnType<typeof writeReportState>>;
    try {
      figures = await writeReportState(dynamo, { nowMs: Date.now(), incidentsPerMonth: 25 });
    } finally {
      await dynamo.close();
    }
    await writeFile(registry, REPORT_STATE_REGISTRY);
    const out = join(dir, 'big.html');
    const run = await runCli([
      'report',
      '--registry',
      registry,
      '--state',
      state,
      '--out',
      out,
      '--expect',
      'azure-eventhub',
    ]);
    expect(run.code, run.stderr.join('\n')).toBe(0);
    const json = JSON.parse(await readFile(join(dir, 'big.json'), 'utf8'));
    expect(json.incidentTotal).toBe(figures.incidents);
    expect(json.trend.periods.length).toBeGreaterThanOrEqual(12);

    const { page, problems, requests } = await open(out);
    for (const id of [
      'aws-prod-root',
      'aws-payments-root',
      'gcp-super-admin',
      'entra-emergency-1',
      'entra-emergency-2',
    ]) {
      expect(await page.locator(`#accounts section[data-account="${id}"]`).count()).toBe(1);
      expect(await page.locator(`figure[data-drills="${id}"] svg.drill-trend`).count()).toBe(1);
    }
    expect(await page.locator('#timeline tbody tr').count()).toBe(figures.incidents);
    expect(await page.locator('#timeline a[href^="https://example.atlassian.net/browse/SEC-"]').count()).toBe(
      figures.incidents,
    );
    expect(await page.locator('#silent').textContent()).toContain('Entra / Azure (Event Hub)');
    expect(await page.locator('#scopes tbody tr').count()).toBe(figures.coverage);
    expect(await checkAsAPerson(page)).toEqual([]);
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(out).href]);
  }, 240_000);
});
