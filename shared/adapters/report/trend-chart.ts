import { escapeHtml } from './escape.js';
import { frame, LEGEND_ROW, label, legend, legendRows, niceMax, open, SMALL_FONT, textWidth, yGrid } from './svg.js';

/**
 * Counts over time as stacked bars (incidents per month by severity, or by detection kind). Period
 * labels are thinned so they never overlap, and each is kept inside the viewBox.
 */

export interface StackSeries {
  label: string;
  className: string;
  values: readonly number[];
}

export function stackedBars(
  id: string,
  title: string,
  periods: readonly string[],
  series: readonly StackSeries[],
): string {
  const totals = periods.map((_, i) => series.reduce((n, s) => n + (s.values[i] ?? 0), 0));
  // Four grid steps of a round whole number: counts are integers.
  const max = 4 * niceMax(Math.ceil(Math.max(4, ...totals) / 4));
  const yLabels = [0, 1, 2, 3, 4].map((i) => String((max * i) / 4));
  const rows = legendRows(frame(560, 200, yLabels, 30), series);
  const f = frame(560, 200 + LEGEND_ROW * rows, yLabels, 30 + LEGEND_ROW * rows);
  const parts = [open(f, 'trend', id, title), yGrid(f, yLabels)];
  const slot = f.plotW / Math.max(1, periods.length);
  const barW = Math.max(3, Math.min(28, slot - 4));
  periods.forEach((period, i) => {
    const x = f.left + i * slot + (slot - barW) / 2;
    let y = f.top + f.plotH;
    for (const s of series) {
      const v = s.values[i] ?? 0;
      if (v === 0) continue;
      const h = (f.plotH * v) / max;
      y -= h;
      parts.push(
        `<rect class="${s.className}" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}"><title>${escapeHtml(`${period}: ${v} ${s.label}`)}</title></rect>`,
      );
    }
  });
  // Every n-th period label, so labels never overlap.
  const widest = Math.max(...periods.map((p) => textWidth(p, SMALL_FONT)), 1);
  const every = Math.max(1, Math.ceil((widest + 6) / slot));
  periods.forEach((period, i) => {
    if (i % every !== 0 && i !== periods.length - 1) return;
    if (i === periods.length - 1 && i % every !== 0 && (i % every) * slot < widest + 6) return;
    const cx = f.left + i * slot + slot / 2;
    parts.push(label(cx, f.top + f.plotH + 13, period, 'axis small', f.left, f.width - 2, SMALL_FONT));
  });
  parts.push(
    legend(
      f,
      f.top + f.plotH + 30,
      series.map((s) => ({ label: s.label, className: s.className })),
    ),
  );
  parts.push('</svg>');
  return parts.join('\n');
}
