import { describe, expect, it } from 'vitest';
import { ENTRA_CURSOR_POLICY, GCP_CURSOR_POLICY, planWindow } from '../../../../shared/core/ingest/cursor/index.js';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const now = Date.parse('2026-11-18T14:00:00Z');
const state = (watermarkMs: number) => ({ source: 's', watermarkMs, updatedAt: '' });

describe('planWindow', () => {
  it('reads [watermark − overlap, now − settle) on the source’s own clock', () => {
    const w = planWindow(state(now - 5 * MIN), now, GCP_CURSOR_POLICY);
    expect(w.fromMs).toBe(now - 5 * MIN - 15 * MIN);
    expect(w.toMs).toBe(now - 1 * MIN);
    expect(w.eventFromMs).toBe(w.fromMs - 3 * DAY);
    expect(w).toMatchObject({ clamped: false, empty: false });
  });

  it('uses a 30-minute overlap and 2-minute settle for Entra', () => {
    const w = planWindow(state(now - 5 * MIN), now, ENTRA_CURSOR_POLICY);
    expect(now - 5 * MIN - w.fromMs).toBe(30 * MIN);
    expect(now - w.toMs).toBe(2 * MIN);
  });

  it('starts a new source one day back', () => {
    const w = planWindow(undefined, now, GCP_CURSOR_POLICY);
    expect(w.baseMs).toBe(now - DAY);
    expect(w.fromMs).toBe(now - DAY - 15 * MIN);
  });

  it('never reaches past the source’s retention, and says so', () => {
    const w = planWindow(state(now - 90 * DAY), now, GCP_CURSOR_POLICY);
    expect(w.fromMs).toBe(now - 30 * DAY);
    expect(w.clamped).toBe(true);
  });

  it('has nothing to read while the watermark is within settle of now', () => {
    const w = planWindow(state(now + 20 * MIN), now, GCP_CURSOR_POLICY);
    expect(w.empty).toBe(true);
    expect(w.toMs).toBeGreaterThanOrEqual(w.fromMs);
  });
});
