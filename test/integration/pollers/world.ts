import { ClientSecretCredential } from '@azure/identity';
import { DynamoCursorStore } from '../../../shared/adapters/dynamodb/cursor-store.js';
import { DynamoIncidentRepository } from '../../../shared/adapters/dynamodb/incident-repository.js';
import { type LocalDynamo, startLocalDynamo } from '../../../shared/adapters/dynamodb/local-dynalite.js';
import { Correlator } from '../../../shared/core/correlate/correlator.js';
import type { CursorPolicy } from '../../../shared/core/ingest/cursor/index.js';
import type { IncidentChange } from '../../../shared/core/model/incident.js';
import { type RegistryInput, RegistryMatcher } from '../../../shared/core/registry/index.js';
import { registrySchema } from '../../../shared/core/registry/schema.js';
import { logsQueryClient } from '../../../shared/runtime/pollers/azure-lambda.js';
import type { PollerParts } from '../../../shared/runtime/pollers/pollers.js';
import { azurePoller, seenTtlMs } from '../../../shared/runtime/pollers/pollers.js';
import type { LogAnalyticsServer } from '../../support/cloud-servers/log-analytics.js';

/**
 * What a poller runs against in these tests: the real core and the real DynamoDB store code on
 * dynalite, a scripted clock, recorded sleeps, and a sink that collects IncidentChanges (or fails,
 * to stand for the bus being down after correlation).
 */
export interface PollerWorld {
  dynamo: LocalDynamo;
  repository: DynamoIncidentRepository;
  store: DynamoCursorStore;
  delivered: IncidentChange[][];
  recordErrors: Error[];
  sleeps: number[];
  clock: { now: number };
  /** When set, the next delivery throws this once. */
  failNextDelivery: Error | undefined;
  parts: PollerParts;
  close(): Promise<void>;
}

export async function pollerWorld(
  accounts: RegistryInput['accounts'],
  policy: CursorPolicy,
  nowIso: string,
): Promise<PollerWorld> {
  const dynamo = await startLocalDynamo();
  const matcher = new RegistryMatcher(registrySchema.parse({ accounts }));
  const repository = new DynamoIncidentRepository(dynamo.client, dynamo.tableName);
  const clock = { now: Date.parse(nowIso) };
  const store = new DynamoCursorStore(dynamo.client, dynamo.tableName, seenTtlMs(policy), () => clock.now);
  const world: PollerWorld = {
    dynamo,
    repository,
    store,
    delivered: [],
    recordErrors: [],
    sleeps: [],
    clock,
    failNextDelivery: undefined,
    parts: undefined as unknown as PollerParts,
    close: () => dynamo.close(),
  };
  world.parts = {
    matcher,
    correlator: new Correlator(repository, matcher),
    store,
    policy,
    sink: {
      async deliver(changes) {
        const failure = world.failNextDelivery;
        world.failNextDelivery = undefined;
        if (failure) throw failure;
        world.delivered.push([...changes]);
      },
    },
    now: () => clock.now,
    sleep: async (ms) => {
      world.sleeps.push(ms);
    },
    random: () => 0.5,
    onRecordError: (error) => world.recordErrors.push(error),
  };
  return world;
}

/** Distinct audit events over all stored incidents, and how often each appears (must be once). */
export async function storedEventCounts(repository: DynamoIncidentRepository): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const incident of await repository.listIncidents()) {
    for (const event of incident.events) counts.set(event.id, (counts.get(event.id) ?? 0) + 1);
  }
  return counts;
}

/** The production Log Analytics poller of this world: the real client, token and TLS, against the local query API. */
export function logAnalyticsPoller(world: PollerWorld, server: LogAnalyticsServer) {
  const credential = new ClientSecretCredential(server.tenantId, server.clientId, server.clientSecret, {
    authorityHost: server.url,
    disableInstanceDiscovery: true,
    tlsOptions: server.tlsOptions,
  });
  const logs = logsQueryClient(credential, { endpoint: server.endpoint, tlsOptions: server.tlsOptions });
  return azurePoller({ ...world.parts, logs, workspaceId: server.workspaceId });
}

/** The sign-in and Activity tables every poll reads, empty, with the columns its queries name. */
export function entraTables(server: LogAnalyticsServer): void {
  for (const table of ['SigninLogs', 'AADNonInteractiveUserSignInLogs'])
    server.table(table, { TimeGenerated: 'datetime', Id: 'string', UserPrincipalName: 'string', UserId: 'string' });
  server.table('AzureActivity', {
    TimeGenerated: 'datetime',
    EventDataId: 'string',
    OperationNameValue: 'string',
    Caller: 'string',
    Properties_d: 'dynamic',
  });
}
