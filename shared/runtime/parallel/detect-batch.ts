import { isWatchedRotationEvidence } from '../../core/act/aftermath/rotation-seen.js';
import { DetectionPipeline, emptyCounts } from '../../core/ingest/detection-pipeline.js';
import type { AuditEvent } from '../../core/model/audit-event.js';
import type { Finding } from '../../core/model/finding.js';
import type { RegistryMatcher } from '../../core/registry/index.js';
import type { BatchResult, ChunkBatch } from './protocol.js';

/**
 * ingest → normalize → detect for one batch of chunks: what a detection worker runs, and what the
 * single-threaded replay runs for the same chunks, so both give the same findings and errors in the
 * same order.
 */
export function detectBatch(batch: ChunkBatch, matcher: RegistryMatcher): BatchResult {
  const result: BatchResult = {
    counts: emptyCounts(),
    skipped: {},
    findings: [],
    rotationEvidence: [],
    errors: [],
    lastSeen: [],
  };
  const pipeline = new DetectionPipeline(matcher, {
    onFinding: (finding) => result.findings.push(withoutRaw(finding)),
    onError: (error) => result.errors.push({ name: error.name, message: error.message }),
    onEvent: (event) => {
      if (isWatchedRotationEvidence(event, matcher)) result.rotationEvidence.push(eventWithoutRaw(event));
    },
  });
  const { texts, lines, indexes, container, location } = batch;
  for (let i = 0; i < texts.length; i++) {
    pipeline.chunk(
      { text: texts[i] as string, line: lines[i] as number, index: indexes[i] as number },
      container,
      location,
    );
  }
  result.counts = pipeline.counts;
  result.lastSeen = [...pipeline.lastSeen.values()];
  result.skipped = Object.fromEntries(pipeline.skipped);
  return result;
}

/**
 * A finding as correlation needs it: the rules have read the raw record; incidents keep none of it
 * (`IncidentEvent`). Dropping it keeps a replay's memory to its findings' size, not their records'.
 */
export function withoutRaw(finding: Finding): Finding {
  return { ...finding, event: eventWithoutRaw(finding.event) };
}

/** Rotation evidence as the act stage reads it: the proof is in the normalized fields, never the raw record. */
export function eventWithoutRaw(event: AuditEvent): AuditEvent {
  return { ...event, raw: null };
}
