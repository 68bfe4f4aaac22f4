import type { PipelineCounts, SourceLastSeen } from '../../core/ingest/detection-pipeline.js';
import type { Container } from '../../core/ingest/json-splitter.js';
import type { SegmentScan } from '../../core/ingest/record-segments.js';
import type { AuditEvent } from '../../core/model/audit-event.js';
import type { Finding } from '../../core/model/finding.js';
import type { SkipKind } from '../../core/normalize/skips.js';

/**
 * What the main thread and the detection workers exchange. Plain data only (structured clone): the
 * texts of consecutive records of one file, and what ingest → normalize → detect made of them.
 */

/** Consecutive top-level chunks of one file, as its splitter cut them. */
export interface ChunkBatch {
  location: string;
  container: Container;
  texts: string[];
  lines: number[];
  indexes: number[];
}

/** An error of one record, by name and message (its class does not cross threads). */
export interface ReportedError {
  name: string;
  message: string;
}

export interface BatchResult {
  counts: PipelineCounts;
  /** Skipped records per kind (their sum is `counts.skipped`). */
  skipped: Partial<Record<SkipKind, number>>;
  findings: Finding[];
  /** Events that may prove the rotation of a credential the registry watches (`isWatchedRotationEvidence`). */
  rotationEvidence: AuditEvent[];
  errors: ReportedError[];
  /** Event-time span per source kind, scope and Region: the report's coverage. */
  lastSeen: SourceLastSeen[];
}

/** A batch to detect, or a segment of a CloudTrail log file to split and screen (its bytes moved, not copied). */
export type WorkerRequest = { id: number; batch: ChunkBatch } | { id: number; segment: Uint8Array };
export type WorkerResponse =
  /** Sent once, when the worker has loaded: segments go to it from then on (before, the reader reads them). */
  | { ready: true }
  | { id: number; result: BatchResult }
  | { id: number; scan: SegmentScan }
  | { id: number; failure: ReportedError };
