import { createHash } from 'node:crypto';
import type { AccountPosture, CheckRow, PostureReport } from '../../core/assure/report.js';
import type { ControlStatus } from '../../core/assure/report-controls.js';
import { escapeHtml, text } from './escape.js';
import { credentialSection } from './html-credential.js';
import { cell, STATUS_WORDS, scoreText, table, when } from './html-parts.js';
import { alertsSection, coverageSection, drillsSection, incidentsSection } from './html-sections.js';
import { REPORT_CSS, REPORT_JS } from './styles.js';

/**
 * The posture report as one self-contained HTML page: inline CSS, one inline script, inline SVG. The
 * only URLs are ticket links built from the configured ticketing site and the vendor's own key; a
 * content security policy allows only that style and that script (by hash), so even a string that
 * escaped escaping could not load or run anything.
 */

const hash = (content: string) => `'sha256-${createHash('sha256').update(content).digest('base64')}'`;

/**
 * @example
 * await writeFile('posture.html', renderPostureHtml(report));
 */
export function renderPostureHtml(report: PostureReport): string {
  const csp = [
    "default-src 'none'",
    `style-src ${hash(REPORT_CSS)}`,
    `script-src ${hash(REPORT_JS)}`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Glasswatch posture report</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<h1>Glasswatch posture report</h1>
<p class="meta">Generated <time datetime="${text(report.generatedAt, 40)}">${text(report.generatedAt.slice(0, 16).replace('T', ' '), 20)} UTC</time> · ${windowText(report)}</p>
${summary(report)}
</header>
<main>
${controlsSection(report)}
${credentialSection(report)}
${incidentsSection(report)}
${coverageSection(report)}
${drillsSection(report)}
${alertsSection(report)}
</main>
<script>${REPORT_JS}</script>
</body>
</html>
`;
}

function windowText(report: PostureReport): string {
  const { from, to } = report.window;
  if (!from || !to) return '<span class="st-unknown">no audit logs recorded yet</span>';
  return `logs from ${when(from)} to ${when(to)}`;
}

function summary(report: PostureReport): string {
  const { estate } = report;
  const silent = report.coverage.sources.filter((s) => s.state !== 'ok').length;
  const open = report.incidents.filter((i) => !i.drill && i.status === 'open').length;
  const tile = (value: string, what: string, cls = '') =>
    `<div class="tile${cls ? ` ${cls}` : ''}"><strong>${value}</strong><span>${what}</span></div>`;
  return `<div class="tiles" id="summary">
${tile(scoreText(estate.score), `estate score (${estate.score.passed} of ${estate.score.applicable} controls pass)`, estate.counts.fail > 0 ? 'bad' : '')}
${tile(String(estate.counts.fail), 'controls failing', estate.counts.fail > 0 ? 'bad' : 'ok')}
${tile(String(estate.counts.unknown), 'controls the logs cannot decide', estate.counts.unknown > 0 ? 'warn' : 'ok')}
${tile(String(report.accounts.length), 'break-glass accounts')}
${tile(String(report.incidentTotal), `incidents (${open} real, open)`)}
${tile(String(silent), 'sources silent or never heard', silent > 0 ? 'bad' : 'ok')}
</div>`;
}

function status(s: ControlStatus): string {
  return `<span class="status st-${s === 'n/a' ? 'na' : s}">${escapeHtml(STATUS_WORDS[s])}</span>`;
}

function accountCard(a: AccountPosture): string {
  const rows = a.controls.map(
    (c) =>
      `<tr class="control-${text(c.id, 20)}">${cell('Control', escapeHtml(c.label))}${cell('Result', status(c.status))}${cell('Evidence', text(c.evidence, 400))}</tr>`,
  );
  return `<section class="account" data-account="${text(a.id, 64)}">
<h3><code>${text(a.id, 64)}</code> <small>${text(a.cloud, 8)}</small> <span class="score">${scoreText(a.score)}</span></h3>
${a.description ? `<p class="meta">${text(a.description, 300)}</p>` : ''}
${table(['Control', 'Result', 'Evidence'], rows, `controls-${text(a.id, 64)}`, 'None.', 'controls')}
</section>`;
}

function checksTable(checks: readonly CheckRow[]): string {
  if (checks.length === 0) {
    return '<p class="meta" id="checks">No plumbing check results stored: <code>glasswatch verify</code> records them (trail logging, event selectors, rules, sinks, diagnostic settings).</p>';
  }
  const rows = checks.map(
    (c) =>
      `<tr>${cell('Path', text(c.path, 60))}${cell('Check', text(c.check, 120))}${cell('Result', status(c.status))}${cell('Detail', text(c.detail, 300))}${cell('Checked', when(c.checkedAt))}</tr>`,
  );
  return table(['Path', 'Check', 'Result', 'Detail', 'Checked'], rows, 'checks');
}

function controlsSection(report: PostureReport): string {
  return `<section id="accounts">
<h2>Controls per break-glass account</h2>
${report.accounts.map(accountCard).join('\n')}
<h3>Plumbing (<code>glasswatch verify</code>)</h3>
${checksTable(report.checks)}
</section>`;
}
