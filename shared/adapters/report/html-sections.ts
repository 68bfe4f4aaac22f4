import { SCOPE_NOUN, SOURCE_KIND_LABELS } from '../../core/assure/coverage.js';
import { formatMs } from '../../core/assure/drill/steps.js';
import type { PostureReport } from '../../core/assure/report.js';
import type { IncidentRow, Step } from '../../core/assure/report-incidents.js';
import { SEVERITIES } from '../../core/assure/report-incidents.js';
import { DETECTION_KINDS } from '../../core/model/finding.js';
import { drillTrend, liveDrills } from './chart.js';
import { escapeHtml, text } from './escape.js';
import { cell, table, when } from './html-parts.js';
import { stackedBars } from './trend-chart.js';

/** The incident, coverage, drill and alert sections of the posture page. */

const ms = (value: number | undefined) => (value === undefined ? '–' : escapeHtml(formatMs(value)));

function step(name: string, s: Step): string {
  const cls = s.done === true ? 'ok' : s.done === false ? 'bad' : 'na';
  return `<li><span class="k">${escapeHtml(name)}</span> <span class="wf-${cls}">${text(s.state, 120)}</span>${s.at ? ` <small>${when(s.at)}</small>` : ''}</li>`;
}

function workflow(i: IncidentRow): string {
  const w = i.workflow;
  const ticket = w.ticket
    ? w.ticket.url
      ? `<a href="${escapeHtml(w.ticket.url)}" rel="noreferrer noopener">${text(w.ticket.key, 80)}</a>`
      : `<code>${text(w.ticket.key, 200)}</code>`
    : '';
  const ticketLine = w.ticket
    ? `<li><span class="k">ticket</span> ${text(w.ticket.system, 12)} ${ticket}${w.ticket.status ? ` <small>${text(w.ticket.status, 40)}</small>` : ''}</li>`
    : '<li><span class="k">ticket</span> <span class="wf-bad">none</span></li>';
  return `<ul class="wf">${step(`page${w.page.via.length ? ` (${w.page.via.join(', ')})` : ''}`, w.page)}${step('acknowledged', w.acknowledged)}${step('resolved', w.resolved)}${ticketLine}${step('review', w.review)}${step('rotation', w.rotation)}${
    w.escalations.length > 0
      ? `<li><span class="k">escalations</span> <span class="wf-bad">${text(w.escalations.join(', '), 120)}</span></li>`
      : ''
  }</ul>`;
}

export function incidentsSection(report: PostureReport): string {
  const periods = report.trend.periods;
  const labels = periods.map((p) => p.period);
  const figure = (caption: string, svg: string) =>
    `<figure class="trend-figure"><figcaption>${escapeHtml(caption)}</figcaption>${svg}</figure>`;
  const bySeverity = `Incidents per ${report.trend.bucket} by severity`;
  const byKind = `Detections per ${report.trend.bucket} by kind`;
  const charts =
    periods.length === 0
      ? '<p class="meta">No incidents recorded.</p>'
      : `<div class="charts">${figure(
          bySeverity,
          stackedBars(
            'trend-severity',
            bySeverity,
            labels,
            SEVERITIES.map((s) => ({
              label: s,
              className: `sev-fill-${s}`,
              values: periods.map((p) => p.bySeverity[s]),
            })),
          ),
        )}${figure(
          byKind,
          stackedBars(
            'trend-kind',
            byKind,
            labels,
            DETECTION_KINDS.map((k, n) => ({
              label: k,
              className: `kind-fill-${n}`,
              values: periods.map((p) => p.byKind[k]),
            })),
          ),
        )}</div>`;
  const rows = report.incidents.map(
    (
      i,
    ) => `<tr class="${i.drill ? 'drill-row' : 'real-row'}">${cell('First seen', `${when(i.firstSeen)}<br><small>to ${when(i.lastSeen)}</small>`)}
${cell('Account', `<code>${text(i.account ?? '(not registered)', 64)}</code>${i.drill ? ' <span class="drill-tag">DRILL</span>' : ''}<br><small>${text(i.principal, 160)}</small>`)}
${cell('Severity', text(i.severity, 10), `sev sev-${text(i.severity, 10)}`)}${cell('Detections', `${text(i.detections.join(', '), 160)}<br><small>${i.events} event(s), ${text(i.status, 8)}</small>`)}
${cell('Workflow', workflow(i))}${cell('Acknowledge / resolve', `${ms(i.workflow.timeToAckMs)} / ${ms(i.workflow.timeToResolveMs)}`, 'num')}${cell('Incident', `<code>${text(i.id, 40)}</code>`)}</tr>`,
  );
  const more =
    report.incidentTotal > report.incidents.length
      ? `<p class="meta">The newest ${report.incidents.length} of ${report.incidentTotal} incidents are listed; the chart and the JSON count them all.</p>`
      : '';
  return `<section id="incidents">
<h2>Incidents</h2>
${charts}
<p class="filter"><label><input type="checkbox" id="hide-drills"> hide drills</label></p>
${table(['First seen (UTC)', 'Account', 'Severity', 'Detections', 'Workflow', 'Acknowledge / resolve', 'Incident'], rows, 'timeline', 'No incidents recorded.')}
${more}
</section>`;
}

export function coverageSection(report: PostureReport): string {
  const { sources, scopes } = report.coverage;
  const silent = sources.filter((s) => s.state !== 'ok');
  const alert =
    silent.length > 0
      ? `<p class="alert" id="silent">${silent.length} source(s) silent or never heard: ${silent.map((s) => `<strong>${text(s.label, 80)}${s.region === '-' ? '' : ` (${text(s.region, 40)})`}</strong>`).join(', ')}</p>`
      : '';
  const sourceRows = sources.map(
    (
      h,
    ) => `<tr class="state-row-${text(h.state, 8)}">${cell('Source', text(h.label, 80))}${cell('Region', text(h.region === '-' ? 'all' : h.region, 40))}${cell('Last audit event', when(h.lastSeen))}
${cell('Age', ms(h.ageMs), 'num')}${cell('Threshold', ms(h.thresholdMs), 'num')}${cell('State', text(h.state, 8), `state-${text(h.state, 8)}`)}</tr>`,
  );
  const sourcesTable =
    sources.length > 0
      ? table(['Source', 'Region', 'Last audit event', 'Age', 'Threshold', 'State'], sourceRows, 'heartbeats')
      : `<p class="meta" id="heartbeats">No deployed ingest path (EventBridge, S3 notifications, pollers, push) has reported a heartbeat${
          scopes.length > 0 ? ': the events below came from replayed files' : ''
        }. Name the sources that must deliver with <code>--expect</code>.</p>`;
  const scopeRows = scopes.map(
    (
      c,
    ) => `<tr>${cell('Cloud', text(c.cloud, 8))}${cell(SCOPE_NOUN[c.cloud] ?? 'scope', `<code>${text(c.scope === '-' ? '(not named)' : c.scope, 160)}</code>`)}
${cell('Region', text(c.region === '-' ? '–' : c.region, 40))}${cell('Records', text(SOURCE_KIND_LABELS[c.source] ?? c.source, 40))}${cell('Path', text(c.path === 'replay' ? 'replayed files' : c.path, 20))}
${cell('First event', when(c.firstSeen))}${cell('Last heard', when(c.lastSeen))}</tr>`,
  );
  return `<section id="coverage">
<h2>Coverage</h2>
${alert}
<h3>Sources (dead-man's switch)</h3>
${sourcesTable}
<h3>Accounts, projects, subscriptions and Regions that delivered events</h3>
${table(['Cloud', 'Account / project / subscription', 'Region', 'Records', 'Path', 'First event', 'Last heard'], scopeRows, 'scopes', 'No audit event recorded from any cloud yet.')}
</section>`;
}

export function drillsSection(report: PostureReport): string {
  const trends = report.accounts.map((a, n) => {
    const live = liveDrills(report.drills, a.id);
    return `<figure class="trend-figure" data-drills="${text(a.id, 64)}"><figcaption><code>${text(a.id, 64)}</code></figcaption>${
      live.length > 0 ? drillTrend(a.id, live, n) : '<p class="meta">No live drill recorded.</p>'
    }</figure>`;
  });
  const rows = [...report.drills].reverse().map(
    (
      d,
    ) => `<tr class="${d.live ? 'live' : 'replayed'}">${cell('Started', when(d.startedAt))}${cell('Account', `<code>${text(d.account, 64)}</code>`)}${cell('Kind', `${text(d.kind, 12)} (${text(d.runtime, 8)})`)}
${cell('Result', `${text(d.status, 10)}${d.reason ? `<br><small>${text(d.reason, 200)}</small>` : ''}`, `status-${text(d.status, 10)}`)}${cell('To incident', ms(d.incidentMs), 'num')}${cell('To page', ms(d.pageMs), 'num')}${cell('To ticket', ms(d.ticketMs), 'num')}</tr>`,
  );
  return `<section id="drills">
<h2>Drills</h2>
<p class="meta">Live drills only: time from the drill event to incident, page and ticket, with each step's bound. Replayed history is listed below without a latency.</p>
<div class="charts">${trends.join('\n')}</div>
${table(['Started', 'Account', 'Kind', 'Result', 'To incident', 'To page', 'To ticket'], rows, 'drill-table', 'No drill results stored: run "glasswatch drill --account ID".')}
</section>`;
}

export function alertsSection(report: PostureReport): string {
  const rows = report.openAlerts.map(
    (a) =>
      `<tr>${cell('Kind', text(a.kind, 20))}${cell('What', text(a.summary, 300))}${cell('Since', a.sinceMs === 0 ? 'never' : when(new Date(a.sinceMs).toISOString()))}</tr>`,
  );
  return `<section id="pipeline-alerts">
<h2>Open pipeline alerts</h2>
${table(['Kind', 'What', 'Since'], rows, 'alerts')}
</section>`;
}
