import type { CursorCommit, CursorState } from '../ingest/cursor/types.js';

/** What a commit did to the stored watermark. */
export type CommitOutcome =
  /** The watermark moved forward to the committed value. */
  | 'advanced'
  /** The stored watermark was already at or past it (a re-read, or a concurrent poll got further). Remembered ids were still written. */
  | 'unchanged';

/**
 * Where pollers keep their place, shaped by the cursor logic: one cursor per source, and the record
 * ids of the overlap window so a re-read skips what was processed. DynamoDB implements it in the
 * incident table; an in-memory store serves local runs and tests.
 */
export interface CursorStore {
  /** The source's cursor, or undefined before its first poll. Strongly consistent. */
  load(source: string): Promise<CursorState | undefined>;
  /** Ids remembered for this source whose cursor time is at or after `fromMs`. */
  loadSeen(source: string, fromMs: number): Promise<Set<string>>;
  /**
   * Creates the cursor at `watermarkMs` if the source has none (the first poll of a new source, so a
   * later outage is caught up from there). Returns false when a cursor already exists.
   */
  initialize(source: string, watermarkMs: number): Promise<boolean>;
  /**
   * Writes the remembered ids, then moves the watermark forward with a conditional write: never
   * backwards, never over a newer value. Called only after every record of the poll was processed
   * and correlated.
   */
  commit(source: string, commit: CursorCommit): Promise<CommitOutcome>;
}
