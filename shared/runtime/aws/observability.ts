import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';

/**
 * Logger, metrics and tracer of one function (Powertools), created once per cold start, and the middy
 * stack every handler is wrapped in. Service name and namespace come from POWERTOOLS_SERVICE_NAME and
 * POWERTOOLS_METRICS_NAMESPACE, which the template sets.
 */
export interface Observability {
  logger: Logger;
  metrics: Metrics;
  /** Absent where POWERTOOLS_TRACE_ENABLED is false: the X-Ray SDK is then not loaded at all. */
  tracer?: Tracer;
  /** An SDK client with an X-Ray subsegment per call, where tracing is on; else the client itself. */
  traced<Client>(client: Client): Client;
}

/**
 * Powertools' own switch (POWERTOOLS_TRACE_ENABLED, default true). Where it is false the X-Ray SDK is not
 * even imported: importing it enables cls-hooked's async hooks, which cost the s3-log-files function
 * 5.5 % of its time on a 50 MB object on one vCPU (bench lambda-s3). Lambda's active tracing still
 * records each invocation; the calls it makes are not broken out.
 */
const xray = process.env.POWERTOOLS_TRACE_ENABLED === 'false' ? undefined : await import('./xray.js');

/** Every metric Glasswatch emits: a caught error nobody sees is a lost alert, so each has a name here. */
export const METRIC = {
  /** Provider records read (log file elements, EventBridge events, event-history records). */
  records: 'RecordsRead',
  findings: 'Findings',
  /**
   * Well-formed records of a kind not read (CloudTrail Insights, other EventBridge detail-types, Azure
   * resource-log categories): counted, never errors, never retried or dead-lettered.
   */
  recordsSkipped: 'RecordsSkipped',
  /** Records, documents or rule runs that failed; each is logged with where it came from. */
  recordErrors: 'RecordErrors',
  incidentChanges: 'IncidentChangesPublished',
  /** Changes the reconciler found stored but never published, and published late. */
  lateChanges: 'IncidentChangesReconciled',
  objectsRead: 'ObjectsRead',
  objectsSkipped: 'ObjectsSkipped',
  objectsFailed: 'ObjectsFailed',
  bytesRead: 'CompressedBytesRead',
  lookupCalls: 'LookupQueries',
  lookupFailures: 'LookupFailures',
  lookupTruncated: 'LookupTruncated',
  sessionsClosed: 'SessionsClosed',
  /** Audit events that may prove a credential rotation, published for the responders. */
  rotationEvidence: 'RotationEvidencePublished',
  /** Heartbeat or error-counter writes that failed (the heartbeat check then sees silence and pages). */
  heartbeatFailures: 'HeartbeatWriteFailures',
  /** Incident changes on the responders' queue that match no stored incident (forged, or a lost write). */
  changesRefused: 'IncidentChangesRefused',
  /** Delivery-ledger records whose seal does not verify (written by someone other than the act stage). */
  ledgerUntrusted: 'LedgerRecordsUntrusted',
} as const;

export const COUNT = MetricUnit.Count;

/** One function's Powertools instances. */
export function createObservability(): Observability {
  const serviceName = process.env.POWERTOOLS_SERVICE_NAME || 'glasswatch';
  const tracer = xray && new xray.Tracer({ serviceName });
  return {
    logger: new Logger({ serviceName }),
    metrics: new Metrics({ serviceName, namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || 'Glasswatch' }),
    ...(tracer ? { tracer } : {}),
    traced: (client) => (tracer ? tracer.captureAWSv3Client(client) : client),
  };
}

/**
 * The middy stack of every Glasswatch function: X-Ray segment, Lambda context in every log line,
 * metrics flushed once per invocation (with a cold-start metric).
 *
 * @example
 * export const handler = withPowertools(lambdaHandler, observability).use(parser({ schema: SqsSchema }));
 */
export function withPowertools<TEvent, TResult>(
  handler: (event: TEvent, context: Context) => Promise<TResult>,
  { logger, metrics, tracer }: Observability,
) {
  const wrapped = middy(handler);
  if (xray && tracer) wrapped.use(xray.captureLambdaHandler(tracer, { captureResponse: false }));
  return wrapped
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }));
}

/** Errors kept per unit of work for the heartbeat's error counters: a corrupt file has a million. */
export const KEPT_ERRORS = 1000;

/**
 * Logs at most `limit` record-level errors per unit of work (a corrupt 50 MB file has a million), and
 * counts all of them into one metric value when the work is done. Keeps the first {@link KEPT_ERRORS}
 * for the heartbeat's error counters (which therefore saturate there; the metric counts all).
 */
export class ErrorReporter {
  private logged = 0;
  count = 0;
  first: Error | undefined;
  readonly kept: Error[] = [];

  constructor(
    private readonly observability: Observability,
    private readonly limit = 20,
  ) {}

  report = (error: Error): void => {
    this.count++;
    this.first ??= error;
    if (this.kept.length < KEPT_ERRORS) this.kept.push(error);
    if (this.logged < this.limit) {
      this.logged++;
      this.observability.logger.warn('record skipped', { error: error.message, errorName: error.name });
    } else if (this.logged === this.limit) {
      this.logged++;
      this.observability.logger.warn(`more record errors here; only the first ${this.limit} are logged`);
    }
  };

  /** Adds the count to the RecordErrors metric. */
  emit(): void {
    if (this.count > 0) this.observability.metrics.addMetric(METRIC.recordErrors, COUNT, this.count);
  }
}
