import type { CursorPolicy } from './policy.js';
import type { CursorState, PollWindow } from './types.js';

/** The window of one poll, and whether the source's retention cut it short. */
export interface PlannedWindow extends PollWindow {
  /** The watermark the window was planned from (the stored one, or now − initial lookback for a new source). */
  baseMs: number;
  /** True when watermark − overlap lay beyond the source's retention and was clamped to it. */
  clamped: boolean;
  /** True when there is nothing to read yet (the watermark is within settle of now). */
  empty: boolean;
}

/**
 * `[watermark − overlap, now − settle)`. A new source starts at now − initial lookback. The lower
 * bound is never older than the source's retention (records older than that cannot be read anyway).
 *
 * @example
 * const window = planWindow(await store.load(source.name), Date.now(), GCP_CURSOR_POLICY);
 */
export function planWindow(state: CursorState | undefined, nowMs: number, policy: CursorPolicy): PlannedWindow {
  const baseMs = state?.watermarkMs ?? nowMs - policy.initialLookbackMs;
  const wanted = baseMs - policy.overlapMs;
  const oldest = nowMs - policy.maxLookbackMs;
  const fromMs = Math.max(wanted, oldest);
  const toMs = nowMs - policy.settleMs;
  return {
    baseMs,
    fromMs,
    toMs: Math.max(toMs, fromMs),
    eventFromMs: fromMs - policy.maxEventLagMs,
    clamped: wanted < oldest,
    empty: toMs <= fromMs,
  };
}
