import { isWatchedRotationEvidence } from '../../core/act/aftermath/rotation-seen.js';
import type { Correlator } from '../../core/correlate/correlator.js';
import type { CursorPolicy, PlannedWindow, PollSource } from '../../core/ingest/cursor/index.js';
import { type BatchCounts, PollBatch, PollBudgetError } from '../../core/ingest/cursor/index.js';
import { planWindow } from '../../core/ingest/cursor/window.js';
import { DetectionPipeline, type PipelineCounts, type SourceLastSeen } from '../../core/ingest/detection-pipeline.js';
import type { AuditEvent } from '../../core/model/audit-event.js';
import type { Finding } from '../../core/model/finding.js';
import type { IncidentChange } from '../../core/model/incident.js';
import type { CommitOutcome, CursorStore } from '../../core/ports/cursor-store.js';
import type { RegistryMatcher } from '../../core/registry/index.js';

/**
 * Where a path's results go (the AWS event bus in Lambda, arrays in tests; throws when they could not
 * be delivered): incident changes, and the audit events that may prove a credential
 * rotation (Entra password resets, Workspace `password_edit`…), for the responders. Both are delivered
 * before a cursor or checkpoint moves, so a failed delivery is read again.
 */
export interface ChangeSink {
  deliver(changes: readonly IncidentChange[]): Promise<void>;
  evidence?(events: readonly AuditEvent[]): Promise<void>;
}

export interface PollDeps {
  source: PollSource;
  store: CursorStore;
  policy: CursorPolicy;
  matcher: RegistryMatcher;
  correlator: Correlator;
  sink: ChangeSink;
  now(): number;
  /** Epoch ms by which the window must be read (Lambda: its deadline minus time to correlate and commit). */
  deadlineMs?: number;
  /** A record that failed to normalize or a rule that failed on it; the poll goes on. */
  onRecordError?(error: Error): void;
}

export type PollOutcome = CommitOutcome | 'empty' | 'nothing-to-read';

export interface PollReport {
  source: string;
  window: PlannedWindow;
  pages: number;
  read: BatchCounts;
  pipeline: PipelineCounts;
  /** Newest event time per source read (for the heartbeat). */
  lastSeen: SourceLastSeen[];
  changes: IncidentChange[];
  outcome: PollOutcome;
  /** The watermark this poll knows to be stored: the one it committed, else the one it started from. */
  watermarkMs: number;
}

/**
 * One poll of one source: read `[watermark − overlap, now − settle)`, skip ids already processed,
 * run every new record through normalize → detect, correlate the findings, deliver the changes, and
 * only then commit the cursor. A poll that reaches `deadlineMs` before the end of its window
 * correlates and delivers what it read, then throws PollBudgetError without committing. Anything that throws before the commit (source down, store or bus
 * unavailable, Lambda killed) leaves the cursor where it was: the next poll reads the same window
 * again, and the correlator's idempotency per audit event id keeps every event counted once.
 *
 * @example
 * const report = await runPoll({ source, store, policy: GCP_CURSOR_POLICY, matcher, correlator, sink, now: Date.now });
 */
export async function runPoll(deps: PollDeps): Promise<PollReport> {
  const { source, store } = deps;
  const startedMs = deps.now();
  const state = await store.load(source.name);
  const window = planWindow(state, startedMs, deps.policy);
  // A new source gets its cursor at the start of its first window, so an outage after this first
  // poll is caught up from here and not from "now − initial lookback" at the next start.
  if (!state) await store.initialize(source.name, window.baseMs);
  const findings: Finding[] = [];
  const evidence: AuditEvent[] = [];
  const pipeline = new DetectionPipeline(deps.matcher, {
    onFinding: (finding) => findings.push(finding),
    onError: (error) => deps.onRecordError?.(error),
    onEvent: (event) => {
      if (isWatchedRotationEvidence(event, deps.matcher)) evidence.push(event);
    },
  });
  const report = (
    outcome: PollOutcome,
    batch: PollBatch | undefined,
    pages: number,
    changes: IncidentChange[],
    watermarkMs: number,
  ): PollReport => ({
    source: source.name,
    window,
    pages,
    read: batch ? { ...batch.counts } : { new: 0, seen: 0, repeat: 0 },
    pipeline: { ...pipeline.counts },
    lastSeen: [...pipeline.lastSeen.values()],
    changes,
    outcome,
    watermarkMs,
  });
  if (window.empty) return report('nothing-to-read', undefined, 0, [], state?.watermarkMs ?? window.baseMs);

  const batch = new PollBatch(window, await store.loadSeen(source.name, window.fromMs), deps.policy.overlapMs);
  let pages = 0;
  let outOfTime = false;
  for await (const page of source.pages(window)) {
    pages++;
    for (const item of page) {
      if (batch.admit(item) !== 'new') continue;
      if (item.rejected) {
        pipeline.counts.records++;
        pipeline.counts.errors++;
        deps.onRecordError?.(item.rejected);
      } else pipeline.record(item.record);
    }
    if (deps.deadlineMs !== undefined && deps.now() > deps.deadlineMs) {
      outOfTime = true;
      break;
    }
  }

  const changes = await deps.correlator.record(findings);
  await deps.sink.deliver(changes);
  if (evidence.length > 0) await deps.sink.evidence?.(evidence);
  // Out of time: what was found is already an incident (paged now, not after the next poll), but the
  // window was not read to its end, so nothing is committed and the next poll reads it again.
  if (outOfTime)
    throw new PollBudgetError(
      source.name,
      batch.counts.new + batch.counts.seen,
      (deps.deadlineMs ?? startedMs) - startedMs,
    );
  const commit = batch.commit();
  if (!commit) return report('empty', batch, pages, changes, state?.watermarkMs ?? window.baseMs);
  const outcome = await store.commit(source.name, commit);
  return report(
    outcome,
    batch,
    pages,
    changes,
    outcome === 'advanced' ? commit.watermarkMs : (state?.watermarkMs ?? window.baseMs),
  );
}
