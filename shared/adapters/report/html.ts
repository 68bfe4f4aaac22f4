import { createHash } from 'node:crypto';
import type { Light } from '../../core/assure/compliance.js';
import { formatMs } from '../../core/assure/drill/steps.js';
import type { AccountPosture, HeartbeatRow, PostureReport, TimelineEntry } from '../../core/assure/report.js';
import { drillChart } from './chart.js';
import { escapeHtml, text } from './escape.js';
import { REPORT_CSS, REPORT_JS } from './styles.js';

/**
 * The posture report as one self-contained HTML page: inline CSS, one inline script, inline SVG; no
 * URL anywhere, and a content security policy that allows only that style and that script (by hash),
 * so even a string that escaped escaping could not load or run anything.
 */

const LIGHT_WORDS: Readonly<Record<Light, string>> = { ok: 'ok', warn: 'check', bad: 'overdue', unknown: 'not seen' };
const MFA_WORDS: Readonly<Record<Light, string>> = { ok: 'MFA', warn: 'unknown', bad: 'no MFA', unknown: 'no sign-in' };

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
<title>Glasswatch posture report</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<h1>Glasswatch posture report</h1>
<p class="meta">Generated <time datetime="${text(report.generatedAt, 40)}">${text(report.generatedAt, 40)}</time> ·
${report.accounts.length} break-glass account(s) · ${report.timeline.length} incident(s) · ${report.drills.length} drill(s)</p>
${accountsSection(report.accounts)}
<h2>Drill latencies</h2>
${drillChart(report.drills)}
${drillsTable(report)}
${timelineSection(report.timeline)}
${heartbeatsSection(report.heartbeats)}
${alertsSection(report)}
<script>${REPORT_JS}</script>
</body>
</html>
`;
}

function light(value: Light, words: Readonly<Record<Light, string>> = LIGHT_WORDS): string {
  return `<span class="light light-${value}">${escapeHtml(words[value])}</span>`;
}

function when(iso: string | undefined): string {
  return iso ? `<time datetime="${text(iso, 40)}">${text(iso.replace('T', ' ').slice(0, 16), 20)}</time>` : '–';
}

function accountsSection(accounts: readonly AccountPosture[]): string {
  const rows = accounts.map((a) => {
    const violations = a.violations.length
      ? `<ul class="violations">${a.violations.map((v) => `<li>${text(v.summary, 300)}</li>`).join('')}</ul>`
      : '';
    return `<tr data-account="${text(a.id, 64)}">
<td><code>${text(a.id, 64)}</code> <small>${text(a.cloud, 8)}</small>${a.description ? `<br><small>${text(a.description, 200)}</small>` : ''}${violations}</td>
<td>${light(a.lights.rotation)}<br><small>${when(a.lastRotation)}</small></td>
<td>${light(a.lights.drill)}<br><small>${when(a.lastDrill)}</small></td>
<td>${light(a.lights.lastUse, { ok: 'in use', warn: 'review', bad: 'review', unknown: 'none seen' })}<br><small>${when(a.lastRealUse)}</small></td>
<td>${light(a.lights.mfa, MFA_WORDS)}<br><small>${when(a.lastSignIn)}</small></td>
</tr>`;
  });
  return `<h2>Break-glass accounts</h2>
<table id="accounts"><thead><tr><th>Account</th><th>Rotation</th><th>Last drill</th><th>Last real use</th><th>MFA on last sign-in</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>`;
}

function drillsTable(report: PostureReport): string {
  if (report.drills.length === 0) return '<p class="meta">No drill results stored.</p>';
  const cell = (ms: number | undefined) => `<td class="num">${ms === undefined ? '–' : escapeHtml(formatMs(ms))}</td>`;
  const rows = [...report.drills].reverse().map(
    (
      d,
    ) => `<tr><td>${when(d.startedAt)}</td><td><code>${text(d.account, 64)}</code></td><td>${text(d.kind, 12)} (${text(d.runtime, 8)})</td>
<td class="status-${text(d.status, 10)}">${text(d.status, 10)}${d.reason ? `<br><small>${text(d.reason, 200)}</small>` : ''}</td>${cell(d.incidentMs)}${cell(d.pageMs)}${cell(d.ticketMs)}</tr>`,
  );
  return `<table id="drills"><thead><tr><th>Started</th><th>Account</th><th>Kind</th><th>Result</th><th>To incident</th><th>To page</th><th>To ticket</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>`;
}

function timelineSection(timeline: readonly TimelineEntry[]): string {
  const rows = timeline.map(
    (i) => `<tr class="${i.drill ? 'drill-row' : 'real-row'}"><td>${when(i.firstSeen)}</td><td>${when(i.lastSeen)}</td>
<td><code>${text(i.account ?? '(not registered)', 64)}</code>${i.drill ? '<span class="drill-tag">DRILL</span>' : ''}</td>
<td>${text(i.principal, 120)}</td><td class="sev-${text(i.severity, 10)}">${text(i.severity, 10)}</td>
<td>${text(i.detections.join(', '), 120)}</td><td class="num">${i.events}</td><td>${text(i.status, 8)}</td><td><code>${text(i.id, 40)}</code></td></tr>`,
  );
  return `<h2>Incident timeline</h2>
<p class="filter"><label><input type="checkbox" id="hide-drills"> hide drills</label></p>
<table id="timeline"><thead><tr><th>First seen (UTC)</th><th>Last seen</th><th>Account</th><th>Principal</th><th>Severity</th><th>Detections</th><th>Events</th><th>Status</th><th>Incident</th></tr></thead>
<tbody>
${rows.join('\n') || '<tr><td colspan="9">No incidents recorded.</td></tr>'}
</tbody></table>`;
}

function heartbeatsSection(heartbeats: readonly HeartbeatRow[]): string {
  const rows = heartbeats.map(
    (
      h,
    ) => `<tr><td>${text(h.label, 80)}</td><td>${text(h.region === '-' ? 'all' : h.region, 40)}</td><td>${when(h.lastSeen)}</td>
<td class="num">${h.ageMs === undefined ? '–' : escapeHtml(formatMs(h.ageMs))}</td><td class="num">${escapeHtml(formatMs(h.thresholdMs))}</td>
<td class="state-${text(h.state, 8)}">${text(h.state, 8)}</td></tr>`,
  );
  return `<h2>Source heartbeats</h2>
<table id="heartbeats"><thead><tr><th>Source</th><th>Region</th><th>Last audit event</th><th>Age</th><th>Threshold</th><th>State</th></tr></thead>
<tbody>
${rows.join('\n') || '<tr><td colspan="6">No source has delivered an audit event yet.</td></tr>'}
</tbody></table>`;
}

function alertsSection(report: PostureReport): string {
  if (report.openAlerts.length === 0) return '<h2>Open pipeline alerts</h2>\n<p class="meta">None.</p>';
  const rows = report.openAlerts.map(
    (a) =>
      `<tr><td>${text(a.kind, 20)}</td><td>${text(a.summary, 300)}</td><td>${a.sinceMs === 0 ? 'never' : when(new Date(a.sinceMs).toISOString())}</td></tr>`,
  );
  return `<h2>Open pipeline alerts</h2>
<table id="alerts"><thead><tr><th>Kind</th><th>What</th><th>Since</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}
