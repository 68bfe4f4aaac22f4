import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { describeQuery, type LookupQuery, RegionEventHistory } from '../../adapters/aws/cloudtrail-lookup.js';
import type { IncidentChange } from '../../core/model/incident.js';
import { cloudTrailClient } from './clients.js';
import { readSettings } from './config.js';
import { SweepIncompleteError } from './errors.js';
import { createIngestRuntime, detect, type IngestRuntime, recordDetection } from './ingest-runtime.js';
import { COUNT, createObservability, METRIC } from './observability.js';
import { openedSessionKey, type SweepPlan, sweepPlan } from './sweep-plan.js';

/**
 * The backstop for what EventBridge misses (CloudTrail → EventBridge delivery is best effort): looks up
 * the break-glass principals' records, the AssumeRole* calls into registered roles and what each
 * session they opened did (by its access key), and the tamper actions in CloudTrail event history of
 * every configured Region over a trailing window. Records that already arrived by S3 or EventBridge carry
 * the same eventID, so the correlator counts each once.
 */
export interface Sweeper {
  runtime: IngestRuntime;
  plan: SweepPlan;
  regions: readonly string[];
  /** Sweeps `[now - windowMinutes, now]`. Records what it found, then throws SweepIncompleteError if a lookup failed. */
  sweep(options?: { nowMs?: number; windowMinutes?: number }): Promise<SweepResult>;
}

export interface SweepResult {
  window: { start: string; end: string };
  queries: number;
  records: number;
  findings: number;
  changes: IncidentChange[];
  truncated: string[];
}

export function createSweeper(
  env: Readonly<Record<string, string | undefined>> = process.env,
  runtime: IngestRuntime = createIngestRuntime(env, createObservability()),
  clientFor: (region: string) => CloudTrailClient = (region) => cloudTrailClient(runtime.observability, region),
): Sweeper {
  const settings = readSettings(env, [
    'GLASSWATCH_SWEEP_REGIONS',
    'GLASSWATCH_SWEEP_WINDOW_MINUTES',
    'GLASSWATCH_SWEEP_MAX_PAGES',
    'GLASSWATCH_SWEEP_CALL_INTERVAL_MS',
  ]);
  const { logger, metrics } = runtime.observability;
  const plan = sweepPlan(runtime.matcher.registry);
  for (const problem of plan.unsearchable) logger.warn('sweep cannot search for an account', { problem });
  const histories = settings.GLASSWATCH_SWEEP_REGIONS.map(
    (region) =>
      new RegionEventHistory(clientFor(region), region, {
        maxPages: settings.GLASSWATCH_SWEEP_MAX_PAGES,
        minIntervalMs: settings.GLASSWATCH_SWEEP_CALL_INTERVAL_MS,
      }),
  );

  return {
    runtime,
    plan,
    regions: settings.GLASSWATCH_SWEEP_REGIONS,
    async sweep({ nowMs = Date.now(), windowMinutes = settings.GLASSWATCH_SWEEP_WINDOW_MINUTES } = {}) {
      const window = { startMs: nowMs - windowMinutes * 60_000, endMs: nowMs };
      const failures: Error[] = [];
      const truncated: string[] = [];
      const seen = new Set<string>();
      let queries = 0;
      const detection = await detect(runtime, async (pipeline) => {
        await Promise.all(
          histories.map(async (history) => {
            const run = async (query: LookupQuery, sessionKeys?: Set<string>) => {
              const location = `cloudtrail-lookup:${history.region}:${describeQuery(query)}`;
              let index = 0;
              queries++;
              try {
                const result = await history.lookup(query, window, (record) => {
                  // One record answers several queries (root calling StopLogging): read it once.
                  if (record.eventId !== undefined) {
                    if (seen.has(record.eventId)) return;
                    seen.add(record.eventId);
                  }
                  const key = sessionKeys && openedSessionKey(record.cloudTrailEvent, plan);
                  if (key) sessionKeys?.add(key);
                  pipeline.chunk({ text: record.cloudTrailEvent ?? '', line: 1, index: index++ }, 'array', location);
                });
                if (result.truncated) truncated.push(`${location} (${result.pages} pages)`);
              } catch (error) {
                failures.push(error as Error);
              }
            };
            const sessionKeys = new Set<string>();
            for (const query of plan.queries) await run(query, sessionKeys);
            // What each registered role's session did: event history files it under the session
            // name, which the registry cannot know, and under the access key the AssumeRole* call issued.
            for (const value of sessionKeys) await run({ attribute: 'AccessKeyId', value });
          }),
        );
      });
      metrics.addMetric(METRIC.lookupCalls, COUNT, queries);
      if (failures.length > 0) metrics.addMetric(METRIC.lookupFailures, COUNT, failures.length);
      if (truncated.length > 0) {
        metrics.addMetric(METRIC.lookupTruncated, COUNT, truncated.length);
        logger.warn('sweep lookups truncated; widen GLASSWATCH_SWEEP_MAX_PAGES or shorten the window', { truncated });
      }
      // What was found is recorded even when some Region failed; then the failure is reported.
      // No heartbeat: event history is the backstop for a silent EventBridge path, and its records
      // counted as that path's heartbeat would hide the silence (core/assure/heartbeat.ts has no
      // transport for it; lookup failures surface as SweepIncompleteError → dead-letter → alarm).
      const changes = await recordDetection(runtime, detection);
      if (failures.length > 0) throw new SweepIncompleteError(failures);
      return {
        window: { start: new Date(window.startMs).toISOString(), end: new Date(window.endMs).toISOString() },
        queries,
        records: detection.counts.records,
        skipped: detection.counts.skipped,
        findings: detection.findings.length,
        changes,
        truncated,
      };
    },
  };
}
