import type { RawRecord } from '../../normalize/types.js';

/**
 * The pull side of ingestion: a source read in time windows of its own clock (GCP `receiveTimestamp`,
 * Log Analytics `ingestion_time()`), never of event time, so a record that arrives late is still inside
 * a later window.
 */

/** Where a poller stands. One per source, stored in the incident table as `pk=CURSOR#<source>`. */
export interface CursorState {
  source: string;
  /**
   * Highest cursor time (epoch ms) of a record that was fully processed and correlated. Only moves
   * forward, only to a time actually seen.
   */
  watermarkMs: number;
  /** ISO time of the last write, for operators. */
  updatedAt: string;
}

/** One record read from a source, with what the cursor needs to know about it. */
export interface CursorItem {
  /** Dedup key inside the overlap window: LogEntry `logName|timestamp|insertId`, Entra `table|Id`. */
  id: string;
  /** The source's receive/ingestion time in epoch ms; undefined if the record does not say (it then never moves the watermark). */
  cursorTimeMs: number | undefined;
  record: RawRecord;
  /**
   * Set when the source could place the item (id, cursor time) but not read its content (a LogEntry in
   * the gRPC shape): the poll reports it like a record that fails to normalize and goes on.
   */
  rejected?: Error;
}

/** What one poll reads. */
export interface PollWindow {
  /** Cursor time lower bound, inclusive: watermark − overlap. */
  fromMs: number;
  /** Cursor time upper bound, exclusive: now − settle. */
  toMs: number;
  /** Event-time lower bound for sources that index on event time (Cloud Logging `timestamp`, Log Analytics `TimeGenerated`). */
  eventFromMs: number;
}

/**
 * A pull source at the SDK boundary. `pages` yields the records of one window in pages as they are
 * fetched; it retries throttling itself and throws when the source stays unavailable, which aborts the
 * poll before anything is committed.
 */
export interface PollSource {
  /** Stable name of what is read: `gcp-logging:organizations/123`, `azure-log-analytics:<workspace id>`. */
  readonly name: string;
  pages(window: PollWindow): AsyncIterable<CursorItem[]>;
}

/** A record id remembered for the overlap window, with the cursor time it was read at. */
export interface SeenRecord {
  id: string;
  cursorTimeMs: number;
}

/** What a finished poll writes: the new watermark and the ids the next overlap will read again. */
export interface CursorCommit {
  watermarkMs: number;
  remember: SeenRecord[];
}
