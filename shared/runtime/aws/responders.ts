import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { Context, SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { AwsSecretResolver } from '../../adapters/aws/secret-resolver.js';
import { DynamoIncidentRepository } from '../../adapters/dynamodb/incident-repository.js';
import { DynamoRotationWatchStore } from '../../adapters/dynamodb/rotation-watch-store.js';
import { createDrivers } from '../../adapters/http/drivers.js';
import { createAftermathDrivers } from '../../adapters/scheduler/aftermath-drivers.js';
import { type RespondersConfig, respondersSchema } from '../../core/act/config-schema.js';
import { buildReport, type DeliveryReport } from '../../core/act/report.js';
import { createResponders, type Responders } from '../../core/act/responders.js';
import type { IncidentChange } from '../../core/model/incident.js';
import type { Registry } from '../../core/registry/index.js';
import { dynamoClient } from './clients.js';
import { readSettings } from './config.js';
import { AftermathIncompleteError, ConfigError } from './errors.js';
import { actLedger } from './ledger-guard.js';
import { COUNT, createObservability, METRIC, type Observability } from './observability.js';
import { loadBundledRegistry } from './registry.js';
import { parseResponderMessage, type ResponderMessage } from './responder-messages.js';
import { loadBundledRuleInfo } from './rule-info.js';
import { storedChange } from './stored-changes.js';

/**
 * The act stage on Lambda: incident changes and rotation evidence from the incident bus (EventBridge
 * rule → SQS) and aftermath triggers (EventBridge Scheduler one-time schedules → the same queue) go to
 * the responders, with the delivery ledger and the rotation watches in DynamoDB and vendor credentials
 * from Secrets Manager / SSM. A message stays in the queue until everything it asked for is delivered.
 * A periodic run (the function's own ScheduleV2) requests rotations that came due and pages for
 * rotations overdue: the backstop for a lost one-time schedule.
 */
export interface ResponderRuntime {
  observability: Observability;
  responders: Responders;
  /** Handles one SQS batch; messages whose actions are not all delivered are reported as failures. */
  handleBatch(records: readonly SQSRecord[], context: Context): Promise<SQSBatchResponse>;
  /** `runDue`, `checkOverdue`, then `checkTickets` (closed tickets resolve their pages); throws AftermathIncompleteError when an action is not delivered. */
  runPeriodic(context: Context, nowMs?: number): Promise<DeliveryReport>;
}

/** Stop starting vendor calls this long before the invocation's timeout. */
export const DEADLINE_MARGIN_MS = 15_000;

export function createResponderRuntime(
  env: Readonly<Record<string, string | undefined>> = process.env,
  observability: Observability = createObservability(),
): ResponderRuntime {
  const { GLASSWATCH_TABLE } = readSettings(env, ['GLASSWATCH_TABLE']);
  const registry = loadBundledRegistry(env).registry;
  const config: RespondersConfig | undefined = registry.responders
    ? respondersSchema.parse(withStackScheduler(registry.responders, env))
    : undefined;
  const secrets = new AwsSecretResolver({
    secretsManager: observability.traced(new SecretsManagerClient({})),
    ssm: observability.traced(new SSMClient({})),
  });
  const drivers = {
    ...createDrivers(config, { secrets }),
    ...createAftermathDrivers(config, { iamUsers: breakGlassIamUsers(registry) }),
  };
  const dynamo = dynamoClient(observability);
  const ledger = actLedger(env, { dynamo, table: GLASSWATCH_TABLE, secrets, observability });
  const incidents = new DynamoIncidentRepository(dynamo, GLASSWATCH_TABLE);
  const responders = createResponders(config, {
    drivers,
    ledger,
    rotations: new DynamoRotationWatchStore(dynamo, GLASSWATCH_TABLE),
    registry,
    rules: loadBundledRuleInfo(env),
  });
  if (responders.plan.outbox) {
    throw new ConfigError([
      'registry responders: no pager or ticketing vendor configured; the outbox writes local files, which a Lambda function cannot keep',
    ]);
  }
  const { logger, metrics } = observability;
  const deadline = (context: Context) => ({
    deadlineMs: Math.max(0, context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS),
  });

  return {
    observability,
    responders,
    async handleBatch(records, context) {
      const failures = new Set<string>();
      const messages: ResponderMessage[] = [];
      for (const record of records) {
        const parsed = parseResponderMessage(record);
        if (parsed instanceof Error) {
          logger.error('responders message unreadable', { messageId: record.messageId, error: parsed.message });
          failures.add(record.messageId);
        } else messages.push(parsed);
      }
      const reports: DeliveryReport[] = [];
      // Changes first: a change creates the rotation watch that evidence in the same batch may prove.
      // Each is checked against the store and acted on as stored; a refused one is deleted from the
      // queue (retrying cannot make it true), logged with what it claimed, counted and alarmed.
      const changes: { messageId: string; change: IncidentChange }[] = [];
      for (const m of messages) {
        if (m.kind !== 'change') continue;
        let checked: Awaited<ReturnType<typeof storedChange>>;
        try {
          checked = await storedChange(incidents, m.change);
        } catch (error) {
          logger.error('incident store unavailable', { messageId: m.messageId, error: (error as Error).message });
          failures.add(m.messageId);
          continue;
        }
        if (checked.ok) changes.push({ messageId: m.messageId, change: checked.change });
        else {
          metrics.addMetric(METRIC.changesRefused, COUNT, 1);
          logger.error('incident change refused: it matches no stored incident', {
            messageId: m.messageId,
            reason: checked.reason,
            claimed: { kind: m.change.kind, version: m.change.incident.version },
          });
        }
      }
      ledger.useMessages(new Map(changes.map((m) => [m.change.incident.id, m.messageId])));
      let report: DeliveryReport;
      try {
        report = await responders.handle(
          changes.map((m) => m.change),
          deadline(context),
        );
      } finally {
        ledger.useMessages(new Map());
      }
      reports.push(report);
      const undelivered = undeliveredIncidents(report);
      for (const m of changes) if (undelivered.has(m.change.incident.id)) failures.add(m.messageId);

      const evidence = messages.flatMap((m) => (m.kind === 'evidence' ? [m] : []));
      if (evidence.length > 0) {
        const seen = await responders.rotationSeen(
          evidence.map((m) => m.event),
          deadline(context),
        );
        reports.push(seen);
        // The tasks one event closes are not told apart: all evidence returns to the queue (a second
        // look is idempotent: a seen watch stays seen, delivered closings are in the ledger).
        if (undeliveredIncidents(seen).size > 0) for (const m of evidence) failures.add(m.messageId);
      }

      for (const m of messages) {
        if (m.kind !== 'trigger') continue;
        const fired = await responders.handleTrigger(m.trigger, deadline(context));
        reports.push(fired);
        if (undeliveredIncidents(fired).size > 0) failures.add(m.messageId);
        logger.info('aftermath trigger handled', { ...m.trigger, actions: fired.totals });
      }
      emitReport(mergeReports(reports), observability);
      return { batchItemFailures: [...failures].map((itemIdentifier) => ({ itemIdentifier })) };
    },
    async runPeriodic(context, nowMs) {
      const timed = nowMs === undefined ? {} : { nowMs };
      const report = mergeReports([
        await responders.runDue({ ...deadline(context), ...timed }),
        await responders.checkOverdue({ ...deadline(context), ...timed }),
        await responders.checkTickets(deadline(context)),
      ]);
      emitReport(report, observability);
      const incomplete = [...undeliveredIncidents(report)];
      if (incomplete.length > 0) throw new AftermathIncompleteError(incomplete);
      return report;
    },
  };
}

/**
 * `responders.scheduler` from the stack itself: the template passes its own queue, scheduler role,
 * dead-letter queue and group, so the registry need not carry stack outputs (which would take a second
 * build and deploy). A scheduler block in the registry still wins.
 */
export function withStackScheduler(responders: unknown, env: Readonly<Record<string, string | undefined>>): unknown {
  const { GLASSWATCH_SCHEDULER_TARGET_ARN: targetArn, GLASSWATCH_SCHEDULER_ROLE_ARN: roleArn } = env;
  const { GLASSWATCH_SCHEDULER_DEAD_LETTER_ARN: deadLetterArn, GLASSWATCH_SCHEDULER_GROUP: groupName } = env;
  if (typeof responders !== 'object' || responders === null) return responders;
  const source = responders as Record<string, unknown>;
  if (source.scheduler || !targetArn || !roleArn || !deadLetterArn || !groupName) return responders;
  return { ...source, scheduler: { targetArn, roleArn, deadLetterArn, groupName } };
}

/** The IAM user names the registry's AWS accounts name (userName, or an ARN's `user/` part). */
function breakGlassIamUsers(registry: Registry): string[] {
  return registry.accounts.flatMap((account) => {
    if (account.cloud !== 'aws') return [];
    const { userName, arn } = account.match;
    const name = userName ?? (arn && !arn.includes('*') ? /:user\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1] : undefined);
    return name ? [name] : [];
  });
}

function undeliveredIncidents(report: DeliveryReport): Set<string> {
  return new Set(report.incidents.filter((i) => i.status !== 'delivered').map((i) => i.incidentId));
}

/** One report for several act steps: a later outcome of the same action replaces an earlier one. */
function mergeReports(reports: readonly DeliveryReport[]): DeliveryReport {
  return buildReport(reports.flatMap((report) => report.incidents.flatMap((incident) => incident.actions)));
}

function emitReport(report: DeliveryReport, observability: Observability): void {
  logReport(report, observability);
  const { metrics } = observability;
  metrics.addMetric('ActionsDelivered', COUNT, report.totals.delivered);
  metrics.addMetric('ActionsPending', COUNT, report.totals.pending);
  metrics.addMetric('ActionsFailed', COUNT, report.totals.failed);
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
