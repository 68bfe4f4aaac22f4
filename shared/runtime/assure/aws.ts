import { PutEventsCommand, type PutEventsCommandOutput } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { describeAwsError } from '../../adapters/aws/errors.js';
import { AwsSecretResolver } from '../../adapters/aws/secret-resolver.js';
import { DynamoAssuranceStore } from '../../adapters/dynamodb/assurance-store.js';
import { createDrivers } from '../../adapters/http/drivers.js';
import { type RespondersConfig, respondersSchema } from '../../core/act/config-schema.js';
import { systemClock } from '../../core/act/driver.js';
import type { DrillEvent } from '../../core/assure/drill/record.js';
import { AWS_DRILL_BOUNDS, type DrillResult } from '../../core/assure/drill/steps.js';
import { drillFailureAlert } from '../../core/assure/notices.js';
import type { DeliveryLedger } from '../../core/ports/delivery-ledger.js';
import type { BreakGlassAccount } from '../../core/registry/index.js';
import { ConfigError } from '../aws/errors.js';
import { createIngestRuntime, type IngestRuntime } from '../aws/ingest-runtime.js';
import { actLedger } from '../aws/ledger-guard.js';
import { COUNT } from '../aws/observability.js';
import { type AlertSender, createAlertSender } from './alert-sender.js';
import { type AssuranceSettings, readAssuranceSettings } from './config.js';
import { type DrillEnvironment, runDrill } from './drill-runner.js';
import type { AssuranceSources } from './facts.js';

/**
 * The composition root of the scheduled assurance functions (drill, heartbeat check, compliance check):
 * the ingest runtime's registry, incident store and incident bus, the delivery ledger, the assurance
 * store, and the registry's responders for Glasswatch's own alerts (vendor credentials from Secrets
 * Manager / SSM, as the responders function reads them).
 */
export interface AssuranceRuntime {
  ingest: IngestRuntime;
  settings: AssuranceSettings;
  ledger: DeliveryLedger;
  store: DynamoAssuranceStore;
  alerts: AlertSender;
  sources: AssuranceSources;
  /** Secrets Manager / SSM through a 5-minute cache (vendor credentials, the pollers' cloud credentials). */
  secrets: AwsSecretResolver;
}

export function createAssuranceRuntime(
  env: Readonly<Record<string, string | undefined>> = process.env,
  ingest: IngestRuntime = createIngestRuntime(env),
): AssuranceRuntime {
  const settings = readAssuranceSettings(env);
  const table = env.GLASSWATCH_TABLE as string; // checked by createIngestRuntime
  const registry = ingest.matcher.registry;
  const config: RespondersConfig | undefined = registry.responders
    ? respondersSchema.parse(registry.responders)
    : undefined;
  const { traced } = ingest.observability;
  const secrets = new AwsSecretResolver({
    secretsManager: traced(new SecretsManagerClient({})),
    ssm: traced(new SSMClient({})),
  });
  const drivers = createDrivers(config, { secrets });
  const ledger = actLedger(env, { dynamo: ingest.clients.dynamo, table, secrets, observability: ingest.observability });
  const alerts = createAlertSender(config, { drivers, ledger });
  if (alerts.plan.outbox) {
    throw new ConfigError([
      'registry responders: no pager or ticketing vendor configured; a failed drill or a silent source could page nobody',
    ]);
  }
  const store = new DynamoAssuranceStore(ingest.clients.dynamo, table);
  return {
    ingest,
    settings,
    ledger,
    store,
    alerts,
    sources: { registry, repository: ingest.repository, ledger, store, plan: alerts.plan, runtime: 'aws' },
    secrets,
  };
}

/**
 * One drill on the deployed stack: the event goes on the ingest bus as `glasswatch.drill` (only this
 * function may put that source), the ingest function turns it into a drill incident, the responders
 * page and ticket; this function watches DynamoDB, closes the drill's session through the incident bus,
 * stores the result and pages for real when a step failed.
 *
 * @example
 * const results = await Promise.all(accounts.map((a) => runAwsDrill(runtime, a)));
 */
export async function runAwsDrill(runtime: AssuranceRuntime, account: BreakGlassAccount): Promise<DrillResult> {
  const { ingest, settings } = runtime;
  const bus = settings.GLASSWATCH_INGEST_BUS;
  if (!bus) throw new ConfigError(['GLASSWATCH_INGEST_BUS: must be set for drills']);
  const environment: DrillEnvironment = {
    runtime: 'aws',
    plan: runtime.alerts.plan,
    responders: ingest.matcher.registry.responders ?? respondersSchema.parse({}),
    clock: systemClock,
    pollMs: 2000,
    repository: ingest.repository,
    sessionGapMs: ingest.matcher.sessionGapMs(account.id),
    ...(process.env.AWS_REGION ? { region: process.env.AWS_REGION } : {}),
    inject: (event) => putDrillEvent(runtime, bus, event),
    deliveries: (incidentId) => runtime.ledger.list(incidentId),
    publish: (changes) => ingest.publication.publish(changes),
  };
  const result = await runDrill(environment, account, { bounds: AWS_DRILL_BOUNDS });
  await runtime.store.saveDrill(result);
  const { logger, metrics } = ingest.observability;
  metrics.addMetric(result.status === 'failed' ? 'DrillsFailed' : 'DrillsPassed', COUNT, 1);
  if (result.status === 'failed') {
    logger.error('drill failed', { account: account.id, drillId: result.drillId, steps: result.steps });
    await runtime.alerts.send(drillFailureAlert(result));
  } else logger.info('drill finished', { account: account.id, drillId: result.drillId, status: result.status });
  return result;
}

async function putDrillEvent(runtime: AssuranceRuntime, bus: string, event: DrillEvent): Promise<void> {
  let answer: PutEventsCommandOutput;
  try {
    answer = await runtime.ingest.clients.eventBridge.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: bus,
            Source: event.source,
            DetailType: event['detail-type'],
            Time: new Date(event.time),
            Detail: JSON.stringify(event.detail),
          },
        ],
      }),
    );
  } catch (error) {
    throw new Error(`PutEvents to ${bus}: ${describeAwsError(error)}`, { cause: error });
  }
  const failed = answer.Entries?.[0];
  if ((answer.FailedEntryCount ?? 0) > 0 || failed?.ErrorCode) {
    throw new Error(
      `PutEvents to ${bus} rejected the drill event: ${failed?.ErrorCode ?? 'unknown'} ${failed?.ErrorMessage ?? ''}`.trim(),
    );
  }
}

/** The accounts a scheduled drill exercises: its input's, else the configured ones, else every account. */
export function drillAccounts(
  runtime: AssuranceRuntime,
  requested: readonly string[] | undefined,
): BreakGlassAccount[] {
  const { matcher } = runtime.ingest;
  const ids = requested?.length ? requested : runtime.settings.GLASSWATCH_DRILL_ACCOUNTS;
  if (ids.length === 0) return [...matcher.registry.accounts];
  const unknown = ids.filter((id) => !matcher.account(id));
  if (unknown.length > 0) throw new ConfigError([`drill accounts not in the registry: ${unknown.join(', ')}`]);
  return ids.map((id) => matcher.account(id) as BreakGlassAccount);
}
