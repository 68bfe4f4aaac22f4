import { evaluateHeartbeats, type SourceKey, type Thresholds } from '../../core/assure/heartbeat.js';
import { buildPostureReport, type PostureReport } from '../../core/assure/report.js';
import { type AssuranceSources, gatherFacts } from './facts.js';

export interface PostureOptions {
  expected?: readonly SourceKey[];
  thresholds?: Thresholds;
}

/**
 * The posture report from the stores: accounts with their status lights, the incident timeline, drill
 * latencies, source heartbeats and the pipeline alerts still open.
 *
 * @example
 * const report = await collectPosture(sources, Date.now());
 */
export async function collectPosture(
  sources: AssuranceSources,
  nowMs: number,
  options: PostureOptions = {},
): Promise<PostureReport> {
  const facts = await gatherFacts(sources, nowMs);
  return buildPostureReport({
    registry: sources.registry,
    incidents: facts.incidents,
    drills: facts.drills,
    heartbeats: evaluateHeartbeats(facts.heartbeats, options.expected ?? [], options.thresholds ?? {}, nowMs),
    openAlerts: await sources.store.openAlerts(),
    observedSinceMs: facts.observedSinceMs,
    nowMs,
  });
}
