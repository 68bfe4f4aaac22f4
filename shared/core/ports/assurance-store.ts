import type { CoverageRecord } from '../assure/coverage.js';
import type { DrillResult } from '../assure/drill/steps.js';
import type { ErrorCounts, OpenAlert } from '../assure/health.js';
import type { HeartbeatRecord, SourceKey } from '../assure/heartbeat.js';
import type { CheckResult } from '../assure/verify/result.js';

/** A plumbing check's last result and when it was read. */
export interface StoredCheck extends CheckResult {
  checkedAtMs: number;
}

/** Errors one ingest run saw, added to the source's hourly counters. */
export interface ErrorIncrement {
  ruleErrors: number;
  pollerErrors: number;
  recordErrors: number;
  /** The last error's message, already capped; never a credential. */
  lastError?: string;
}

/**
 * What assurance keeps between runs, shaped by the core: drill results per account, the newest event
 * time per source (the heartbeat), what each path delivered from where (coverage), hourly error counters per source, the pipeline alerts that have
 * paged and not been resolved, and the plumbing checks' last results (`glasswatch verify`). DynamoDB implements it in the incident table; tests use the in-memory one.
 */
export interface AssuranceStore {
  /** Stores one drill result (a re-save of the same drill replaces it). */
  saveDrill(result: DrillResult): Promise<void>;
  /** One account's drill results, newest first. */
  listDrills(account: string, limit?: number): Promise<DrillResult[]>;
  /** Records an event time for a source, only if newer than the stored one. Returns whether it moved. */
  recordHeartbeat(key: SourceKey, timeMs: number): Promise<boolean>;
  listHeartbeats(): Promise<HeartbeatRecord[]>;
  /** Widens the stored first/last event times of one coverage key to include the record's (never narrows). */
  recordCoverage(record: CoverageRecord): Promise<void>;
  listCoverage(): Promise<CoverageRecord[]>;
  /** Adds to the counters of the hour containing `atMs`. */
  addErrors(key: SourceKey, atMs: number, increment: ErrorIncrement): Promise<void>;
  /** Counters of every source summed over the hours from the one containing `sinceMs`. */
  errorCounts(sinceMs: number): Promise<ErrorCounts[]>;
  openAlerts(): Promise<OpenAlert[]>;
  saveOpenAlert(alert: OpenAlert): Promise<void>;
  removeOpenAlert(key: string): Promise<void>;
  /** Replaces the stored check results with one run's: a check that run no longer made (a rule gone) is removed. */
  saveChecks(results: readonly CheckResult[], atMs: number): Promise<void>;
  listChecks(): Promise<StoredCheck[]>;
}

/** Start of the UTC hour containing `ms`: the error counters' bucket. */
export function hourOf(ms: number): number {
  return ms - (((ms % 3_600_000) + 3_600_000) % 3_600_000);
}
