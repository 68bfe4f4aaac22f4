import { isWatchedRotationEvidence } from '../../core/act/aftermath/rotation-seen.js';
import type { Correlator } from '../../core/correlate/correlator.js';
import { DetectionPipeline, type PipelineCounts, type SourceLastSeen } from '../../core/ingest/detection-pipeline.js';
import type { AuditEvent, EventOrigin } from '../../core/model/audit-event.js';
import type { Finding } from '../../core/model/finding.js';
import type { IncidentChange } from '../../core/model/incident.js';
import type { RegistryMatcher } from '../../core/registry/index.js';
import type { ChangeSink } from './poll.js';

/** What one pushed document came to. */
export interface PushResult {
  counts: PipelineCounts;
  changes: IncidentChange[];
  /** Records (or the wrapper) that could not be read; the caller refuses the delivery so it is retried, then dead-lettered. */
  errors: Error[];
  /** Newest event time per source (for the heartbeat). */
  lastSeen: SourceLastSeen[];
}

/**
 * The push path's stage: one document as the cloud pushes it (a Pub/Sub push body, a CloudEvent's
 * data, an Event Hub `{records}` batch) through ingest → normalize → detect → correlate, and the
 * resulting IncidentChanges to the sink. Findings of the readable records are correlated and
 * delivered even when another record of the same document fails, so one bad record never hides a
 * break-glass sign-in; a redelivery is harmless (the correlator is idempotent per audit event).
 */
export class PushProcessor {
  constructor(
    private readonly matcher: RegistryMatcher,
    private readonly correlator: Correlator,
    private readonly sink: ChangeSink,
  ) {}

  async process(document: unknown, origin: EventOrigin): Promise<PushResult> {
    const findings: Finding[] = [];
    const errors: Error[] = [];
    const evidence: AuditEvent[] = [];
    const pipeline = new DetectionPipeline(this.matcher, {
      onFinding: (finding) => findings.push(finding),
      onError: (error) => errors.push(error),
      onEvent: (event) => {
        if (isWatchedRotationEvidence(event, this.matcher)) evidence.push(event);
      },
    });
    pipeline.document(document, origin);
    const changes = await this.correlator.record(findings);
    await this.sink.deliver(changes);
    if (evidence.length > 0) await this.sink.evidence?.(evidence);
    return { counts: { ...pipeline.counts }, changes, errors, lastSeen: [...pipeline.lastSeen.values()] };
  }
}
