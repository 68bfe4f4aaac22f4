import type { CursorCommit, CursorItem, PollWindow, SeenRecord } from './types.js';

/** What the batch made of one item. */
export type Admission =
  /** First time read: process it. */
  | 'new'
  /** Read and processed by an earlier poll (its id is remembered from the overlap): skip. */
  | 'seen'
  /** Already read in this poll (pages of one poll may overlap on a shared cursor time): skip. */
  | 'repeat';

export interface BatchCounts {
  new: number;
  seen: number;
  repeat: number;
}

/**
 * The bookkeeping of one poll, pure: which items to process, and what to commit once every processed
 * item is correlated. The watermark becomes the highest cursor time read (never the clock: an empty
 * poll commits nothing), capped at the window end so a record stamped in the future cannot push the
 * cursor past records not yet read. The ids to remember are those the next overlap will read again.
 *
 * @example
 * const batch = new PollBatch(window, await store.loadSeen(source, window.fromMs), policy.overlapMs);
 * for (const item of page) if (batch.admit(item) === 'new') pipeline.record(item.record);
 * const commit = batch.commit(); // undefined: nothing read, nothing to write
 */
export class PollBatch {
  readonly counts: BatchCounts = { new: 0, seen: 0, repeat: 0 };
  private readonly thisPoll = new Set<string>();
  private readonly fresh: SeenRecord[] = [];
  private maxCursorMs: number | undefined;

  constructor(
    private readonly window: PollWindow,
    private readonly remembered: ReadonlySet<string>,
    private readonly overlapMs: number,
  ) {}

  admit(item: CursorItem): Admission {
    const verdict: Admission = this.thisPoll.has(item.id) ? 'repeat' : this.remembered.has(item.id) ? 'seen' : 'new';
    this.counts[verdict]++;
    if (verdict === 'repeat') return verdict;
    this.thisPoll.add(item.id);
    const cursorTimeMs = this.cursorTime(item);
    if (this.maxCursorMs === undefined || cursorTimeMs > this.maxCursorMs) this.maxCursorMs = cursorTimeMs;
    if (verdict === 'new') this.fresh.push({ id: item.id, cursorTimeMs });
    return verdict;
  }

  /**
   * The commit after every admitted item was processed and correlated; undefined when the poll read
   * nothing (an empty poll advances nothing).
   */
  commit(): CursorCommit | undefined {
    if (this.maxCursorMs === undefined) return undefined;
    const watermarkMs = this.maxCursorMs;
    const keepFrom = watermarkMs - this.overlapMs;
    return { watermarkMs, remember: this.fresh.filter((r) => r.cursorTimeMs >= keepFrom) };
  }

  /** Inside [from, to): a record without a cursor time, or stamped past the window, counts at the window's edge. */
  private cursorTime(item: CursorItem): number {
    const t = item.cursorTimeMs;
    if (t === undefined || Number.isNaN(t)) return this.window.fromMs;
    return Math.min(Math.max(t, this.window.fromMs), this.window.toMs - 1);
  }
}
