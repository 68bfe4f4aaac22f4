import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { type CheckpointStore, EventHubConsumerClient } from '@azure/event-hubs';
import { AwsSecretResolver } from '../../adapters/aws/secret-resolver.js';
import { DynamoCheckpointStore } from '../../adapters/azure/event-hub-checkpoints.js';
import { readSettings } from '../aws/config.js';
import { createIngestRuntime, type IngestRuntime, publicationSink, recordHealth } from '../aws/ingest-runtime.js';
import { COUNT, ErrorReporter, METRIC } from '../aws/observability.js';
import { readPollerSettings } from './config.js';
import { type ConsumeReport, consumeEventHub, type EventHubSubscriber } from './event-hub.js';
import { PushProcessor } from './push.js';

/** Time kept back from the Lambda deadline to close the subscription and flush metrics. */
const CLOSE_MARGIN_MS = 10_000;

export interface EventHubLambda {
  runtime: IngestRuntime;
  consume(remainingMs: number): Promise<ConsumeReport>;
}

export interface EventHubFactories {
  secretText?: (secretId: string) => Promise<string>;
  subscriber?: (connectionString: string, consumerGroup: string, checkpoints: CheckpointStore) => EventHubSubscriber;
}

/**
 * The composition root of the Event Hub consumer Lambda: the shared ingest runtime, checkpoints and
 * partition ownership in the incident table, the listen connection string from Secrets Manager.
 */
export function createEventHubLambda(
  env: Readonly<Record<string, string | undefined>> = process.env,
  runtime: IngestRuntime = createIngestRuntime(env),
  factories: EventHubFactories = {},
): EventHubLambda {
  const settings = readPollerSettings(env, [
    'GLASSWATCH_EVENTHUB_CONNECTION_SECRET_REF',
    'GLASSWATCH_EVENTHUB_CONSUMER_GROUP',
    'GLASSWATCH_EVENTHUB_RUN_SECONDS',
  ]);
  const { GLASSWATCH_TABLE } = readSettings(env, ['GLASSWATCH_TABLE']);
  const { logger, metrics, traced } = runtime.observability;
  const resolver = new AwsSecretResolver({
    secretsManager: traced(new SecretsManagerClient({})),
    ssm: traced(new SSMClient({})),
  });
  const secretText = factories.secretText ?? ((id: string) => resolver.resolve({ secretsManager: id }));
  const subscriber =
    factories.subscriber ??
    ((connection: string, group: string, checkpoints: CheckpointStore) =>
      new EventHubConsumerClient(group, connection, checkpoints));
  const checkpoints = new DynamoCheckpointStore(runtime.clients.dynamo, GLASSWATCH_TABLE);
  const processor = new PushProcessor(runtime.matcher, runtime.correlator, publicationSink(runtime));

  return {
    runtime,
    async consume(remainingMs) {
      const errors = new ErrorReporter(runtime.observability);
      let report: ConsumeReport | undefined;
      let client: EventHubSubscriber | undefined;
      try {
        const connection = await secretText(settings.GLASSWATCH_EVENTHUB_CONNECTION_SECRET_REF);
        client = subscriber(connection, settings.GLASSWATCH_EVENTHUB_CONSUMER_GROUP, checkpoints);
        report = await consumeEventHub({
          subscriber: client,
          processor,
          durationMs: Math.max(
            1_000,
            Math.min(settings.GLASSWATCH_EVENTHUB_RUN_SECONDS * 1000, remainingMs - CLOSE_MARGIN_MS),
          ),
          onRecordError: errors.report,
          onReceiveError: (error, partitionId) =>
            logger.warn('event hub receive error', { partitionId, error: error.message }),
        });
        metrics.addMetric(METRIC.records, COUNT, report.counts.records);
        metrics.addMetric(METRIC.findings, COUNT, report.counts.findings);
        metrics.addMetric(METRIC.recordsSkipped, COUNT, report.counts.skipped);
        metrics.addMetric(METRIC.incidentChanges, COUNT, report.changes.length);
        logger.info('event hub run done', {
          events: report.events,
          records: report.counts.records,
          findings: report.counts.findings,
          skipped: report.counts.skipped,
          changes: report.changes.map((c) => ({ kind: c.kind, incidentId: c.incident.id })),
          checkpoints: report.checkpoints,
        });
        return report;
      } finally {
        errors.emit();
        // The heartbeat of the Event Hub path: newest event times, or a failed run (silence pages either way).
        await recordHealth(
          runtime,
          'azure.eventhub',
          report
            ? { lastSeen: report.lastSeen, errors: errors.kept }
            : { lastSeen: [], errors: errors.kept, pollerErrors: 1 },
        );
        if (client && 'close' in client && typeof client.close === 'function') await client.close();
      }
    },
  };
}
