import { formatMs } from '../../core/assure/drill/steps.js';
import type { DrillRow } from '../../core/assure/report-drills.js';
import { text } from './escape.js';
import { frame, label, legend, open, SMALL_FONT } from './svg.js';

/**
 * One account's live drills as a trend: time to incident, to page and to ticket per drill, on a log
 * scale (latencies span milliseconds to minutes), with each step's bound as a dashed line. Replayed
 * history is never drawn: it has no latency.
 */

export const SERIES = [
  { key: 'incidentMs', label: 'to incident', className: 's-incident' },
  { key: 'pageMs', label: 'to page', className: 's-page' },
  { key: 'ticketMs', label: 'to ticket', className: 's-ticket' },
] as const;

/** Newest live drills drawn per account; older ones stay in the table and the JSON. */
const MAX_DRILLS = 24;
const TICKS: readonly [number, string][] = [
  [10, '10 ms'],
  [100, '100 ms'],
  [1000, '1 s'],
  [10_000, '10 s'],
  [60_000, '1 min'],
  [600_000, '10 min'],
  [3_600_000, '1 h'],
  [86_400_000, '1 d'],
  [864_000_000, '10 d'],
];

/** The drills of one account that ran live and measured something, oldest first. */
export function liveDrills(drills: readonly DrillRow[], account: string): DrillRow[] {
  return drills
    .filter((d) => d.account === account && d.live && SERIES.some((s) => d[s.key] !== undefined))
    .slice(-MAX_DRILLS);
}

export function drillTrend(account: string, drills: readonly DrillRow[], index: number): string {
  const values = drills.flatMap((d) => SERIES.flatMap((s) => d[s.key] ?? []));
  const bounds = SERIES.map((s) => Math.max(0, ...drills.map((d) => d.bounds[s.key] ?? 0)));
  const all = [...values, ...bounds.filter((b) => b > 0)];
  const lo = TICKS.findLast(([v]) => v <= Math.max(10, Math.min(...all)))?.[0] ?? 10;
  const top = TICKS.find(([v]) => v >= Math.max(...all))?.[0] ?? (TICKS.at(-1) as [number, string])[0];
  const hi = top > lo ? top : (TICKS.find(([v]) => v > lo)?.[0] as number);
  const ticks = TICKS.filter(([v]) => v >= lo && v <= hi);
  const f = frame(
    560,
    220,
    ticks.map(([, l]) => l),
    44,
  );
  const y = (ms: number) =>
    f.top + f.plotH - (f.plotH * (Math.log10(Math.max(ms, lo)) - Math.log10(lo))) / (Math.log10(hi) - Math.log10(lo));
  const t0 = Date.parse(drills[0]?.startedAt ?? '');
  const t1 = Date.parse(drills.at(-1)?.startedAt ?? '');
  const x = (iso: string) =>
    drills.length === 1 || t1 === t0
      ? f.left + f.plotW / 2
      : f.left + 8 + ((f.plotW - 16) * (Date.parse(iso) - t0)) / (t1 - t0);
  const parts = [
    open(
      f,
      'drill-trend',
      `drill-trend-${index}`,
      `Drill latencies of ${account}: time to incident, page and ticket per live drill, with bounds`,
    ),
  ];
  for (const [v, l] of ticks) {
    const ty = y(v).toFixed(1);
    parts.push(
      `<line class="grid" x1="${f.left}" x2="${f.width - f.right}" y1="${ty}" y2="${ty}"/>`,
      `<text class="axis" x="4" y="${(y(v) + 4).toFixed(1)}">${l}</text>`,
    );
  }
  SERIES.forEach((s, j) => {
    const bound = bounds[j] as number;
    if (bound > 0) {
      const by = y(bound).toFixed(1);
      parts.push(
        `<line class="bound ${s.className}" x1="${f.left}" x2="${f.width - f.right}" y1="${by}" y2="${by}"><title>${s.label} bound ${formatMs(bound)}</title></line>`,
      );
    }
    const points = drills.flatMap((d) =>
      d[s.key] === undefined ? [] : [[x(d.startedAt), y(d[s.key] as number), d] as const],
    );
    if (points.length > 1) {
      parts.push(
        `<polyline class="line ${s.className}" points="${points.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(' ')}"/>`,
      );
    }
    for (const [px, py, d] of points) {
      parts.push(
        `<circle class="dot ${s.className}${d.status === 'failed' ? ' failed' : ''}" cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="3.5">` +
          `<title>${text(`${d.startedAt.slice(0, 16).replace('T', ' ')} ${d.drillId}: ${formatMs(d[s.key] as number)} ${s.label}${d.status === 'failed' ? ' (failed)' : ''}`, 200)}</title></circle>`,
      );
    }
  });
  const axisY = f.top + f.plotH + 14;
  const dates = [...new Set([drills[0]?.startedAt, drills.at(-1)?.startedAt].filter((v): v is string => !!v))];
  // Drills of one day are told apart by their time.
  const oneDay = t1 - t0 < 2 * 86_400_000;
  const stamp = (iso: string) => (oneDay ? iso.slice(5, 16).replace('T', ' ') : iso.slice(0, 10));
  for (const iso of dates) parts.push(label(x(iso), axisY, stamp(iso), 'axis', f.left, f.width - 2, SMALL_FONT));
  parts.push(
    legend(f, f.height - 6, [
      ...SERIES.map((s) => ({ label: s.label, className: `key ${s.className}` })),
      { label: 'dashed: bound', className: 'key s-bound' },
    ]),
  );
  parts.push('</svg>');
  return parts.join('\n');
}
