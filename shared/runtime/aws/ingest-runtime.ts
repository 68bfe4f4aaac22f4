import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EventBridgePublisher } from '../../adapters/aws/eventbridge-publisher.js';
import { DynamoPublicationLedger } from '../../adapters/aws/publication-ledger.js';
import { DynamoAssuranceStore } from '../../adapters/dynamodb/assurance-store.js';
import { DynamoIncidentRepository } from '../../adapters/dynamodb/incident-repository.js';
import { isWatchedRotationEvidence } from '../../core/act/aftermath/rotation-seen.js';
import type { Transport } from '../../core/assure/heartbeat.js';
import { Correlator } from '../../core/correlate/correlator.js';
import { DetectionPipeline, type PipelineCounts, type SourceLastSeen } from '../../core/ingest/detection-pipeline.js';
import type { AuditEvent } from '../../core/model/audit-event.js';
import type { Finding } from '../../core/model/finding.js';
import type { IncidentChange } from '../../core/model/incident.js';
import type { RegistryMatcher } from '../../core/registry/index.js';
import { type IngestHealth, recordIngestHealth } from '../assure/ingest-health.js';
import type { ChangeSink } from '../pollers/poll.js';
import { dynamoClient, eventBridgeClient } from './clients.js';
import { readSettings } from './config.js';
import { COUNT, createObservability, ErrorReporter, METRIC, type Observability } from './observability.js';
import { IncidentPublication } from './publication.js';
import { loadBundledRegistry } from './registry.js';
import { publishRotationEvidence } from './rotation-evidence.js';

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
  /** Heartbeats and error counters (issue 6), in the incident table. */
  assurance: DynamoAssuranceStore;
  /** The incident bus: incident changes and rotation evidence. */
  incidentBus: string;
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
    assurance: new DynamoAssuranceStore(clients.dynamo, settings.GLASSWATCH_TABLE),
    incidentBus: settings.GLASSWATCH_INCIDENT_BUS,
  };
}

/** What one unit of input (an event, an object, a sweep) yielded. */
export interface Detection {
  findings: Finding[];
  counts: PipelineCounts;
  errors: ErrorReporter;
  /** Newest event time per source and Region (drills excluded): what the heartbeat records. */
  lastSeen: SourceLastSeen[];
  /** Events that may prove the rotation of a credential the registry watches (few), for the responders. */
  rotationEvidence: AuditEvent[];
}

/**
 * Runs ingest → normalize → detect over whatever `feed` pushes into the pipeline; record-level errors
 * are logged (capped) and counted, never thrown; skipped records (well-formed, of a kind not read) are
 * counted per kind in the RecordsSkipped metric and one log line. Errors of the source itself (unreadable object) are
 * thrown by `feed` and propagate.
 */
export async function detect(
  runtime: IngestRuntime,
  feed: (pipeline: DetectionPipeline) => Promise<void> | void,
): Promise<Detection> {
  const findings: Finding[] = [];
  const rotationEvidence: AuditEvent[] = [];
  const errors = new ErrorReporter(runtime.observability);
  const pipeline = new DetectionPipeline(runtime.matcher, {
    onFinding: (f) => findings.push(f),
    onError: errors.report,
    onEvent: (event) => {
      if (isWatchedRotationEvidence(event, runtime.matcher)) rotationEvidence.push(event);
    },
  });
  try {
    await feed(pipeline);
  } finally {
    const { metrics } = runtime.observability;
    metrics.addMetric(METRIC.records, COUNT, pipeline.counts.records);
    metrics.addMetric(METRIC.findings, COUNT, pipeline.counts.findings);
    if (pipeline.counts.skipped > 0) {
      metrics.addMetric(METRIC.recordsSkipped, COUNT, pipeline.counts.skipped);
      runtime.observability.logger.info('records skipped', { kinds: Object.fromEntries(pipeline.skipped) });
    }
    errors.emit();
  }
  return { findings, counts: pipeline.counts, errors, lastSeen: [...pipeline.lastSeen.values()], rotationEvidence };
}

/**
 * Everything a unit of input yielded that others act on: incident changes (correlated, published) and
 * rotation evidence (published for the responders). Throws when the store or the bus fails, so the
 * input is redriven (both steps are idempotent per audit event).
 */
export async function recordDetection(runtime: IngestRuntime, detection: Detection): Promise<IncidentChange[]> {
  const evidence = detection.rotationEvidence;
  // Independent of each other, so sent at once; both settle before a failure is thrown (nothing left writing).
  const [changes, published] = await Promise.allSettled([
    recordFindings(runtime, detection.findings),
    evidence.length > 0
      ? publishRotationEvidence(runtime.clients.eventBridge, runtime.incidentBus, evidence)
      : Promise.resolve(),
  ]);
  if (changes.status === 'rejected') throw changes.reason;
  if (published.status === 'rejected') throw published.reason;
  if (evidence.length > 0) runtime.observability.metrics.addMetric(METRIC.rotationEvidence, COUNT, evidence.length);
  return changes.value;
}

/**
 * The sink of the pull and push paths (pollers, Event Hub): incident changes published on the incident
 * bus, and rotation evidence too, so an Entra or Workspace rotation closes its watch like an AWS one.
 */
export function publicationSink(runtime: IngestRuntime): ChangeSink {
  return {
    deliver: (changes) => runtime.publication.publish(changes),
    async evidence(events) {
      await publishRotationEvidence(runtime.clients.eventBridge, runtime.incidentBus, events);
      runtime.observability.metrics.addMetric(METRIC.rotationEvidence, COUNT, events.length);
    },
  };
}

/**
 * Tells the heartbeat what one unit of input showed: the newest event time per source, and the errors.
 * Never throws: a failed write is logged and counted, and a source whose heartbeat is not written
 * looks silent to the heartbeat check, which pages — the input itself must not be redriven for it.
 */
export async function recordHealth(
  runtime: IngestRuntime,
  transport: Transport,
  health: Omit<IngestHealth, 'transport'>,
): Promise<void> {
  try {
    await recordIngestHealth(runtime.assurance, { transport, ...health }, Date.now());
  } catch (error) {
    runtime.observability.metrics.addMetric(METRIC.heartbeatFailures, COUNT, 1);
    runtime.observability.logger.error('heartbeat not recorded', { transport, error: (error as Error).message });
  }
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
