import { describe, expect, it } from 'vitest';
import { type CursorItem, PollBatch } from '../../../../shared/core/ingest/cursor/index.js';

const MIN = 60_000;
const window = { fromMs: 100 * MIN, toMs: 200 * MIN, eventFromMs: 0 };
const item = (id: string, cursorTimeMs: number | undefined): CursorItem => ({
  id,
  cursorTimeMs,
  record: { format: 'gcp.log-entry', value: {}, origin: { location: 'test' } },
});

describe('PollBatch', () => {
  it('admits new ids once, skips ids remembered from the overlap and repeats within the poll', () => {
    const batch = new PollBatch(window, new Set(['old']), 15 * MIN);
    expect(batch.admit(item('old', 110 * MIN))).toBe('seen');
    expect(batch.admit(item('a', 120 * MIN))).toBe('new');
    expect(batch.admit(item('a', 120 * MIN))).toBe('repeat');
    expect(batch.counts).toEqual({ new: 1, seen: 1, repeat: 1 });
  });

  it('commits the highest cursor time read and the new ids the next overlap will read again', () => {
    const batch = new PollBatch(window, new Set(['old']), 15 * MIN);
    batch.admit(item('early', 101 * MIN));
    batch.admit(item('late-1', 180 * MIN));
    batch.admit(item('late-2', 190 * MIN));
    batch.admit(item('old', 195 * MIN));
    expect(batch.commit()).toEqual({
      watermarkMs: 195 * MIN,
      remember: [
        { id: 'late-1', cursorTimeMs: 180 * MIN },
        { id: 'late-2', cursorTimeMs: 190 * MIN },
      ],
    });
  });

  it('commits nothing when nothing was read: an empty poll advances nothing', () => {
    expect(new PollBatch(window, new Set(), 15 * MIN).commit()).toBeUndefined();
  });

  it('keeps a record stamped past the window from pushing the cursor over unread records', () => {
    const batch = new PollBatch(window, new Set(), 15 * MIN);
    batch.admit(item('future', 500 * MIN));
    expect(batch.commit()?.watermarkMs).toBe(200 * MIN - 1);
  });

  it('places a record without cursor time at the window start', () => {
    const batch = new PollBatch(window, new Set(), 15 * MIN);
    batch.admit(item('no-time', undefined));
    expect(batch.commit()).toEqual({ watermarkMs: 100 * MIN, remember: [{ id: 'no-time', cursorTimeMs: 100 * MIN }] });
  });
});
