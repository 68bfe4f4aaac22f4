import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { Context, SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { INCIDENT_DETAIL_TYPES, INCIDENT_EVENT_SOURCE } from '../../adapters/aws/eventbridge-publisher.js';
import { AwsSecretResolver } from '../../adapters/aws/secret-resolver.js';
import { DynamoDeliveryLedger } from '../../adapters/dynamodb/delivery-ledger.js';
import { createDrivers } from '../../adapters/http/drivers.js';
import { type RespondersConfig, respondersSchema } from '../../core/act/config-schema.js';
import type { DeliveryReport } from '../../core/act/report.js';
import { createResponders, type Responders } from '../../core/act/responders.js';
import { RULES } from '../../core/detect/rules/index.js';
import type { IncidentChange } from '../../core/model/incident.js';
import { dynamoClient } from './clients.js';
import { readSettings } from './config.js';
import { ConfigError } from './errors.js';
import { COUNT, createObservability, type Observability } from './observability.js';
import { loadBundledRegistry } from './registry.js';

/**
 * The act stage on Lambda: incident changes from the incident bus (EventBridge rule → SQS) go to the
 * responders, with the delivery ledger in DynamoDB and vendor credentials from Secrets Manager / SSM.
 * A message stays in the queue until every action of its incident is delivered.
 */
export interface ResponderRuntime {
  observability: Observability;
  responders: Responders;
  /** Handles one SQS batch; messages whose incident is not fully delivered are reported as failures. */
  handleBatch(records: readonly SQSRecord[], context: Context): Promise<SQSBatchResponse>;
}

/** Stop starting vendor calls this long before the invocation's timeout. */
export const DEADLINE_MARGIN_MS = 15_000;

/** The EventBridge event as the rule's SQS target delivers it; the change itself is our own JSON. */
const incidentEvent = z.object({
  source: z.literal(INCIDENT_EVENT_SOURCE),
  'detail-type': z.enum(Object.values(INCIDENT_DETAIL_TYPES) as [string, ...string[]]),
  detail: z
    .object({
      kind: z.enum(['opened', 'extended', 'closed']),
      incident: z.looseObject({ id: z.string().min(1), version: z.number().int(), events: z.array(z.unknown()) }),
      newEvents: z.array(z.unknown()),
    })
    .loose(),
});

export function createResponderRuntime(
  env: Readonly<Record<string, string | undefined>> = process.env,
  observability: Observability = createObservability(),
): ResponderRuntime {
  const { GLASSWATCH_TABLE } = readSettings(env, ['GLASSWATCH_TABLE']);
  const registry = loadBundledRegistry(env).registry;
  const config: RespondersConfig | undefined = registry.responders
    ? respondersSchema.parse(registry.responders)
    : undefined;
  const drivers = createDrivers(config, {
    secrets: new AwsSecretResolver({
      secretsManager: observability.tracer.captureAWSv3Client(new SecretsManagerClient({})),
      ssm: observability.tracer.captureAWSv3Client(new SSMClient({})),
    }),
  });
  const responders = createResponders(config, {
    drivers,
    ledger: new DynamoDeliveryLedger(dynamoClient(observability), GLASSWATCH_TABLE),
    rules: RULES,
  });
  if (responders.plan.outbox) {
    throw new ConfigError([
      'registry responders: no pager or ticketing vendor configured; the outbox writes local files, which a Lambda function cannot keep',
    ]);
  }
  const { logger, metrics } = observability;

  return {
    observability,
    responders,
    async handleBatch(records, context) {
      const failures = new Set<string>();
      const changes: { messageId: string; change: IncidentChange }[] = [];
      for (const record of records) {
        const parsed = parseChange(record);
        if (parsed instanceof Error) {
          logger.error('incident change message unreadable', { messageId: record.messageId, error: parsed.message });
          failures.add(record.messageId);
        } else {
          changes.push({ messageId: record.messageId, change: parsed });
        }
      }
      const report = await responders.handle(
        changes.map((c) => c.change),
        { deadlineMs: Math.max(0, context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS) },
      );
      logReport(report, observability);
      const undelivered = new Set(report.incidents.filter((i) => i.status !== 'delivered').map((i) => i.incidentId));
      for (const { messageId, change } of changes) if (undelivered.has(change.incident.id)) failures.add(messageId);
      metrics.addMetric('ActionsDelivered', COUNT, report.totals.delivered);
      metrics.addMetric('ActionsPending', COUNT, report.totals.pending);
      metrics.addMetric('ActionsFailed', COUNT, report.totals.failed);
      return { batchItemFailures: [...failures].map((itemIdentifier) => ({ itemIdentifier })) };
    },
  };
}

function parseChange(record: SQSRecord): IncidentChange | Error {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch (error) {
    return new Error(`body is not JSON: ${(error as Error).message.slice(0, 120)}`);
  }
  const parsed = incidentEvent.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return new Error(
      `not a Glasswatch incident change: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data.detail as unknown as IncidentChange;
}

/** One line per action that is not delivered; vendor details are already redacted by the drivers. */
function logReport(report: DeliveryReport, { logger }: Observability): void {
  for (const incident of report.incidents) {
    for (const action of incident.actions) {
      if (action.status === 'delivered') continue;
      logger.warn('action not delivered', {
        incidentId: incident.incidentId,
        action: action.key,
        status: action.status,
        attempts: action.attempts,
        detail: action.detail,
        httpStatus: action.httpStatus,
      });
    }
  }
}
