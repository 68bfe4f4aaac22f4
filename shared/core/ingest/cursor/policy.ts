/**
 * How far back a poll reads and how long it waits for the source to settle, per source. The numbers
 * are the documented latencies with a wide margin: a poll that re-reads a few minutes costs a query
 * and some dedup look-ups; a poll that reads too little loses a break-glass sign-in.
 */
export interface CursorPolicy {
  /** Re-read this much before the watermark: records that became readable after the last poll passed their cursor time. */
  overlapMs: number;
  /** Do not read the last `settleMs` before now: the source may still be writing them. */
  settleMs: number;
  /** First poll of a new source: read this far back. */
  initialLookbackMs: number;
  /**
   * Never read further back than the source keeps records (Cloud Logging `_Default` bucket, a default
   * Log Analytics workspace: 30 days). Clamping there loses nothing: older records are gone.
   */
  maxLookbackMs: number;
  /** How much older than its receive/ingestion time a record's event time may be (the event-time index bound). */
  maxEventLagMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Cloud Logging. `receiveTimestamp` is stamped on arrival and entries are listable within seconds;
 * Google's own streaming reader buffers at most 60 s against late-arriving entries (entries.tail
 * `bufferWindow`, 2 s default, 60 s maximum), so settle is that maximum and the overlap is 15× it.
 * Workspace audit entries may carry an event time hours old (Workspace reports lag "a few hours" at
 * most): the event-time bound is 3 days.
 */
export const GCP_CURSOR_POLICY: CursorPolicy = {
  overlapMs: 15 * MINUTE,
  settleMs: 1 * MINUTE,
  initialLookbackMs: 1 * DAY,
  maxLookbackMs: 30 * DAY,
  maxEventLagMs: 3 * DAY,
};

/**
 * Log Analytics, Entra and Activity tables. Entra delivers 95% of sign-in and audit records within
 * 2 min and 99% within 5 min (Microsoft Entra reporting latencies) and Azure Monitor ingestion adds
 * 20 s–3 min; the cursor is `ingestion_time()`, so those delays only matter for the short gap between a
 * row's ingestion stamp and its visibility to queries. A 30 min overlap covers that gap and a
 * throttled previous poll many times over. `TimeGenerated` (the timespan index) may precede ingestion
 * by the same delays, or by hours for Activity log backfills: 3 days.
 */
export const ENTRA_CURSOR_POLICY: CursorPolicy = {
  overlapMs: 30 * MINUTE,
  settleMs: 2 * MINUTE,
  initialLookbackMs: 1 * DAY,
  maxLookbackMs: 30 * DAY,
  maxEventLagMs: 3 * DAY,
};
