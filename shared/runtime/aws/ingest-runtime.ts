import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EventBridgePublisher } from '../../adapters/aws/eventbridge-publisher.js';
import { DynamoPublicationLedger } from '../../adapters/aws/publication-ledger.js';
import { DynamoIncidentRepository } from '../../adapters/dynamodb/incident-repository.js';
import { Correlator } from '../../core/correlate/correlator.js';
import { DetectionPipeline, type PipelineCounts } from '../../core/ingest/detection-pipeline.js';
import type { Finding } from '../../core/model/finding.js';
import type { IncidentChange } from '../../core/model/incident.js';
import type { RegistryMatcher } from '../../core/registry/index.js';
import { dynamoClient, eventBridgeClient } from './clients.js';
import { readSettings } from './config.js';
import { COUNT, createObservability, ErrorReporter, METRIC, type Observability } from './observability.js';
import { IncidentPublication } from './publication.js';
import { loadBundledRegistry } from './registry.js';

/**
 * The composition root shared by every function that turns audit records into incidents: registry,
 * correlator on the DynamoDB incident store, publication on the incident bus. Built once per cold
 * start; the step "findings → correlator → publish" lives here once.
 */
export interface IngestRuntime {
  observability: Observability;
  clients: IngestClients;
  matcher: RegistryMatcher;
  repository: DynamoIncidentRepository;
  correlator: Correlator;
  publication: IncidentPublication;
}

export interface IngestClients {
  dynamo: DynamoDBClient;
  eventBridge: EventBridgeClient;
}

/**
 * Reads GLASSWATCH_TABLE, GLASSWATCH_INCIDENT_BUS and the bundled registry; throws ConfigError or
 * RegistryError at cold start, before any event is taken.
 */
export function createIngestRuntime(
  env: Readonly<Record<string, string | undefined>> = process.env,
  observability: Observability = createObservability(),
  clients: IngestClients = { dynamo: dynamoClient(observability), eventBridge: eventBridgeClient(observability) },
): IngestRuntime {
  const settings = readSettings(env, ['GLASSWATCH_TABLE', 'GLASSWATCH_INCIDENT_BUS']);
  const matcher = loadBundledRegistry(env);
  const repository = new DynamoIncidentRepository(clients.dynamo, settings.GLASSWATCH_TABLE);
  return {
    observability,
    clients,
    matcher,
    repository,
    correlator: new Correlator(repository, matcher),
    publication: new IncidentPublication(
      new EventBridgePublisher(clients.eventBridge, settings.GLASSWATCH_INCIDENT_BUS),
      new DynamoPublicationLedger(clients.dynamo, settings.GLASSWATCH_TABLE),
    ),
  };
}

/** What one unit of input (an event, an object, a sweep) yielded. */
export interface Detection {
  findings: Finding[];
  counts: PipelineCounts;
  errors: ErrorReporter;
}

/**
 * Runs ingest → normalize → detect over whatever `feed` pushes into the pipeline; record-level errors
 * are logged (capped) and counted, never thrown. Errors of the source itself (unreadable object) are
 * thrown by `feed` and propagate.
 */
export async function detect(
  runtime: IngestRuntime,
  feed: (pipeline: DetectionPipeline) => Promise<void> | void,
): Promise<Detection> {
  const findings: Finding[] = [];
  const errors = new ErrorReporter(runtime.observability);
  const pipeline = new DetectionPipeline(runtime.matcher, {
    onFinding: (f) => findings.push(f),
    onError: errors.report,
  });
  try {
    await feed(pipeline);
  } finally {
    const { metrics } = runtime.observability;
    metrics.addMetric(METRIC.records, COUNT, pipeline.counts.records);
    metrics.addMetric(METRIC.findings, COUNT, pipeline.counts.findings);
    errors.emit();
  }
  return { findings, counts: pipeline.counts, errors };
}

/**
 * Correlates findings into incidents (atomic per key, idempotent per audit event) and publishes the
 * resulting changes. Throws when the store or the bus fails, so the input is redriven.
 */
export async function recordFindings(runtime: IngestRuntime, findings: readonly Finding[]): Promise<IncidentChange[]> {
  if (findings.length === 0) return [];
  const changes = await runtime.correlator.record(findings);
  await runtime.publication.publish(changes);
  runtime.observability.metrics.addMetric(METRIC.incidentChanges, COUNT, changes.length);
  for (const change of changes) {
    runtime.observability.logger.info('incident change published', {
      kind: change.kind,
      incidentId: change.incident.id,
      severity: change.incident.severity,
      newEvents: change.newEvents.length,
    });
  }
  return changes;
}
