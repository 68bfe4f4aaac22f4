import type { Registry } from '../registry/index.js';
import { type DrillKind, type DrillResult, type DrillStatus, type DrillStep, formatMs } from './drill/steps.js';
import type { DrillFacts } from './report-controls.js';

/**
 * Drill rows for the report. Only a drill that ran live measures the pipeline: an injected drill always
 * does; a window drill (a real sign-in inside a declared drill window) does only when it was handled
 * while its window was open or shortly after. Replaying old logs today handles a 2016 window's sign-in
 * now, and "now minus 2016" is not a latency: such a drill is shown as replayed history, without
 * latencies, and is neither a passed nor a failed drill.
 */

/**
 * How long after its window closed a window drill may still be handled live: the slowest documented
 * delivery is Google Workspace's login audit ("a few hours", older docs 1–2 days), so two days.
 */
export const WINDOW_LIVE_GRACE_MS = 2 * 86_400_000;

export type DrillOutcome = DrillStatus | 'replayed';

export interface DrillRow {
  drillId: string;
  account: string;
  kind: DrillKind;
  runtime: DrillResult['runtime'];
  startedAt: string;
  status: DrillOutcome;
  /** Ran live: its latencies measure the pipeline. */
  live: boolean;
  reason?: string;
  incidentMs?: number;
  pageMs?: number;
  ticketMs?: number;
  /** Each step's bound, for the trend's bound lines. */
  bounds: { incidentMs?: number; pageMs?: number; ticketMs?: number };
}

const TIMED: readonly [DrillStep, 'incidentMs' | 'pageMs' | 'ticketMs'][] = [
  ['incident', 'incidentMs'],
  ['page', 'pageMs'],
  ['ticket', 'ticketMs'],
];

/** One drill result as a report row, judged live or replayed against the registry's drill windows. */
export function drillRow(result: DrillResult, registry: Registry, nowMs: number): DrillRow {
  const row: DrillRow = {
    drillId: result.drillId,
    account: result.account,
    kind: result.kind,
    runtime: result.runtime,
    startedAt: result.startedAt,
    status: result.status,
    live: true,
    ...(result.reason ? { reason: result.reason } : {}),
    bounds: {},
  };
  for (const [step, key] of TIMED) {
    const s = result.steps.find((x) => x.step === step);
    if (!s) continue;
    if (s.status !== 'unavailable') row.bounds[key] = s.boundMs;
    if (s.latencyMs !== undefined) row[key] = s.latencyMs;
  }
  const replayed = result.kind === 'window' ? replayReason(row, registry, nowMs) : undefined;
  if (!replayed) return row;
  const { incidentMs: _i, pageMs: _p, ticketMs: _t, ...rest } = row;
  return { ...rest, status: 'replayed', live: false, reason: replayed };
}

function replayReason(row: DrillRow, registry: Registry, nowMs: number): string | undefined {
  const start = Date.parse(row.startedAt);
  const window = registry.drills.find(
    (w) => w.account === row.account && Date.parse(w.start) <= start && start <= Date.parse(w.end),
  );
  const closeMs = (window ? Date.parse(window.end) : start) + WINDOW_LIVE_GRACE_MS;
  const latencies = [row.incidentMs, row.pageMs, row.ticketMs].filter((v): v is number => v !== undefined);
  if (latencies.length === 0) {
    return nowMs > closeMs
      ? 'replayed history or never handled: no page or ticket recorded for it, so no latency'
      : undefined;
  }
  const handledMs = start + Math.max(...latencies);
  if (handledMs <= closeMs) return undefined;
  return `replayed: handled ${formatMs(handledMs - (closeMs - WINDOW_LIVE_GRACE_MS))} after its drill window closed, so no latency`;
}

/** The latest passed live drill, and the latest drill when that is a different one. */
export function drillFacts(rows: readonly DrillRow[], account: string): DrillFacts {
  const mine = rows.filter((r) => r.account === account).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const passed = mine.filter((r) => r.live && r.status === 'passed').at(-1);
  const last = mine.at(-1);
  return {
    ...(passed ? { lastPassedMs: Date.parse(passed.startedAt) } : {}),
    ...(last && last !== passed ? { last: { startedAt: last.startedAt, outcome: outcomeWords(last) } } : {}),
  };
}

function outcomeWords(row: DrillRow): string {
  if (row.status === 'replayed') return 'was replayed history, not a live drill';
  return row.status === 'failed' ? `failed${row.reason ? ` (${row.reason})` : ''}` : row.status;
}
