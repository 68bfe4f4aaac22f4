import { formatMs } from '../../core/assure/drill/steps.js';
import type { DrillRow } from '../../core/assure/report.js';
import { escapeHtml, text } from './escape.js';

/**
 * Drill latencies as an inline SVG bar chart: per drill, time to incident, to page and to ticket
 * (window drills: from the real audit event to the page). Presentation attributes and classes only,
 * no inline `style`, so the page's content security policy holds.
 */

const SERIES = [
  { key: 'incidentMs', label: 'to incident', className: 'bar-incident' },
  { key: 'pageMs', label: 'to page', className: 'bar-page' },
  { key: 'ticketMs', label: 'to ticket', className: 'bar-ticket' },
] as const;

const WIDTH = 760;
const HEIGHT = 260;
const MARGIN = { top: 16, right: 16, bottom: 56, left: 64 };
/** Newest drills shown; older ones stay in the table and the JSON. */
const MAX_DRILLS = 24;

export function drillChart(drills: readonly DrillRow[]): string {
  const shown = drills.slice(-MAX_DRILLS);
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const values = shown.flatMap((d) => SERIES.map((s) => d[s.key]).filter((v): v is number => v !== undefined));
  const max = niceMax(Math.max(1, ...values));
  const parts: string[] = [
    `<svg class="chart" role="img" aria-labelledby="chart-title" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}">`,
    '<title id="chart-title">Drill latencies: time from the drill event to incident, page and ticket</title>',
  ];
  // Axis and grid: four steps of the rounded maximum.
  for (let i = 0; i <= 4; i++) {
    const y = MARGIN.top + plotH - (plotH * i) / 4;
    parts.push(
      `<line class="grid" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y}" y2="${y}"/>`,
      `<text class="axis" x="${MARGIN.left - 6}" y="${y + 4}" text-anchor="end">${escapeHtml(formatMs((max * i) / 4))}</text>`,
    );
  }
  if (shown.length === 0) {
    parts.push(
      `<text class="empty" x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle">No drills recorded yet: run "glasswatch drill --account ID".</text>`,
    );
  }
  const slot = plotW / Math.max(1, shown.length);
  const barW = Math.max(2, Math.min(18, (slot - 8) / SERIES.length));
  shown.forEach((drill, i) => {
    const x0 = MARGIN.left + i * slot + (slot - barW * SERIES.length) / 2;
    SERIES.forEach((series, j) => {
      const value = drill[series.key];
      if (value === undefined) return;
      const h = Math.max(1, (plotH * value) / max);
      const x = x0 + j * barW;
      const y = MARGIN.top + plotH - h;
      parts.push(
        `<rect class="${series.className}${drill.status === 'failed' ? ' failed' : ''}" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(barW - 1).toFixed(1)}" height="${h.toFixed(1)}">` +
          `<title>${text(`${drill.account} ${drill.drillId}: ${formatMs(value)} ${series.label}`, 200)}</title></rect>`,
      );
    });
    const labelX = MARGIN.left + i * slot + slot / 2;
    parts.push(
      `<text class="axis" x="${labelX.toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 14}" text-anchor="middle">${text(drill.startedAt.slice(5, 10), 10)}</text>`,
      `<text class="axis small" x="${labelX.toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 27}" text-anchor="middle">${text(drill.account, 14)}</text>`,
    );
  });
  SERIES.forEach((series, j) => {
    const x = MARGIN.left + j * 130;
    parts.push(
      `<rect class="${series.className}" x="${x}" y="${HEIGHT - 14}" width="10" height="10"/>`,
      `<text class="axis" x="${x + 14}" y="${HEIGHT - 5}">${escapeHtml(series.label)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** 1, 2 or 5 times a power of ten, at or above `value`: round axis labels. */
function niceMax(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}
