/** Pull-source cursors: windows on the source's own clock, an overlap, dedup on record ids, forward-only commits. */
export { type Admission, type BatchCounts, PollBatch } from './batch.js';
export { PollBudgetError, SourcePagingError, SourceUnavailableError } from './errors.js';
export { InMemoryCursorStore } from './memory-store.js';
export { type CursorPolicy, ENTRA_CURSOR_POLICY, GCP_CURSOR_POLICY } from './policy.js';
export {
  type FailureVerdict,
  isRetryableStatus,
  parseRetryAfter,
  type RetryDeps,
  type RetryPolicy,
  retryDelay,
  SOURCE_RETRY_POLICY,
  withRetries,
} from './retry.js';
export type { CursorCommit, CursorItem, CursorState, PollSource, PollWindow, SeenRecord } from './types.js';
export { type PlannedWindow, planWindow } from './window.js';
