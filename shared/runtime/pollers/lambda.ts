import { createHash } from 'node:crypto';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { AwsSecretResolver } from '../../adapters/aws/secret-resolver.js';
import type { LogsQueryApi } from '../../adapters/azure/log-analytics-source.js';
import type { EntriesClient } from '../../adapters/gcp/entries-client.js';
import type { Transport } from '../../core/assure/heartbeat.js';
import { readSettings } from '../aws/config.js';
import { type IngestRuntime, publicationSink, recordHealth } from '../aws/ingest-runtime.js';
import { COUNT, ErrorReporter, METRIC } from '../aws/observability.js';
import type { PollReport } from './poll.js';
import type { Poller, PollerParts } from './pollers.js';

/**
 * The Lambda composition roots of the two scheduled pollers, over the shared ingest runtime (bundled
 * registry, correlator on the incident table, publication on the incident bus with its ledger, so the
 * reconciler also covers a poll that stored a change and died before publishing it).
 */

/** Metrics of the pollers, beside the shared RecordsRead / Findings / RecordErrors / IncidentChangesPublished. */
export const POLLER_METRIC = {
  recordsNew: 'PollerRecordsNew',
  /** Records skipped because an earlier poll processed them (overlap re-reads). */
  recordsSeen: 'PollerRecordsSeen',
  /** Seconds between now and the newest cursor time processed: grows when the source or the poller stalls. */
  lagSeconds: 'PollerLagSeconds',
} as const;

/** Time kept back from the Lambda deadline to correlate, publish and commit after reading. */
const COMMIT_MARGIN_MS = 60_000;

export interface LambdaPoller {
  runtime: IngestRuntime;
  /** One poll; the Lambda's remaining time bounds the reading. */
  poll(remainingMs: number): Promise<PollReport>;
}

/** Client factories, replaced in tests by scripted SDK clients. */
export interface PollerClientFactories {
  secretText?: (secretId: string) => Promise<string>;
  entries?: (secretText: string, secretId: string) => EntriesClient;
  logs?: (secretText: string, secretId: string) => LogsQueryApi;
}

export function table(env: Readonly<Record<string, string | undefined>>): string {
  return readSettings(env, ['GLASSWATCH_TABLE']).GLASSWATCH_TABLE;
}

/**
 * A poller rebuilt whenever its credentials secret changes (read through the resolver's 5-minute
 * cache), so a rotated secret is used without a cold start and never logged.
 */
export function lambdaPoller(
  runtime: IngestRuntime,
  /** Which source the heartbeat records this poller's events under. */
  transport: Transport,
  secretId: string,
  factories: PollerClientFactories,
  build: (parts: Omit<PollerParts, 'store'>, secretText: string) => Poller,
): LambdaPoller {
  const { logger, metrics } = runtime.observability;
  const secretText =
    factories.secretText ??
    (() => {
      const resolver = new AwsSecretResolver({
        secretsManager: runtime.observability.traced(new SecretsManagerClient({})),
        ssm: runtime.observability.traced(new SSMClient({})),
      });
      return (id: string) => resolver.resolve({ secretsManager: id });
    })();
  let current: { fingerprint: string; poller: Poller } | undefined;
  // Record errors go to the reporter of the poll under way (polls run one at a time per container).
  const underway: { errors?: ErrorReporter } = {};

  return {
    runtime,
    async poll(remainingMs) {
      const text = await secretText(secretId);
      const fingerprint = createHash('sha256').update(text).digest('hex');
      const errors = new ErrorReporter(runtime.observability);
      underway.errors = errors;
      if (current?.fingerprint !== fingerprint) {
        const parts: Omit<PollerParts, 'store'> = {
          matcher: runtime.matcher,
          correlator: runtime.correlator,
          sink: publicationSink(runtime),
          onRecordError: (error) => underway.errors?.report(error),
          onRetry: (attempt, delayMs, verdict) =>
            logger.warn('source retry', { attempt, delayMs, reason: verdict.describe }),
        };
        current = { fingerprint, poller: build(parts, text) };
      }
      let report: PollReport;
      try {
        report = await current.poller.poll(Date.now() + Math.max(0, remainingMs - COMMIT_MARGIN_MS));
      } catch (error) {
        // A poll that failed after its retries is a pipeline failure the heartbeat surfaces.
        await recordHealth(runtime, transport, { lastSeen: [], errors: errors.kept, pollerErrors: 1 });
        throw error;
      }
      errors.emit();
      await recordHealth(runtime, transport, { lastSeen: report.lastSeen, errors: errors.kept });
      metrics.addMetric(METRIC.records, COUNT, report.pipeline.records);
      metrics.addMetric(METRIC.findings, COUNT, report.pipeline.findings);
      metrics.addMetric(METRIC.recordsSkipped, COUNT, report.pipeline.skipped);
      metrics.addMetric(METRIC.incidentChanges, COUNT, report.changes.length);
      metrics.addMetric(POLLER_METRIC.recordsNew, COUNT, report.read.new);
      metrics.addMetric(POLLER_METRIC.recordsSeen, COUNT, report.read.seen + report.read.repeat);
      metrics.addMetric(
        POLLER_METRIC.lagSeconds,
        'Seconds',
        Math.max(0, Math.round((Date.now() - report.watermarkMs) / 1000)),
      );
      logger.info('poll done', {
        source: report.source,
        window: {
          from: new Date(report.window.fromMs).toISOString(),
          to: new Date(report.window.toMs).toISOString(),
          clamped: report.window.clamped,
        },
        pages: report.pages,
        read: report.read,
        events: report.pipeline.events,
        findings: report.pipeline.findings,
        skipped: report.pipeline.skipped,
        recordErrors: report.pipeline.errors,
        changes: report.changes.map((c) => ({ kind: c.kind, incidentId: c.incident.id })),
        outcome: report.outcome,
        watermark: new Date(report.watermarkMs).toISOString(),
      });
      return report;
    },
  };
}
