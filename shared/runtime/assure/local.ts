import { DynamoAssuranceStore } from '../../adapters/dynamodb/assurance-store.js';
import type { DynamoDeliveryLedger } from '../../adapters/dynamodb/delivery-ledger.js';
import { DynamoIncidentRepository } from '../../adapters/dynamodb/incident-repository.js';
import { type LocalDynamo, startLocalDynamo } from '../../adapters/dynamodb/local-dynalite.js';
import type { Clock } from '../../core/act/driver.js';
import type { Responders } from '../../core/act/responders.js';
import { type Registry, RegistryMatcher } from '../../core/registry/index.js';
import { createLocalResponders } from '../local-responders.js';
import { loadRegistry } from '../replay.js';
import { type AlertSender, createAlertSender } from './alert-sender.js';

/**
 * The local composition root of the assurance commands: the registry, the embedded DynamoDB (the same
 * state folder as `glasswatch replay`), the incident store, the delivery ledger, the assurance store, the
 * registry's responders (the outbox when none is configured) and the alert sender on the same drivers.
 */
export interface LocalAssurance {
  registry: Registry;
  matcher: RegistryMatcher;
  dynamo: LocalDynamo;
  repository: DynamoIncidentRepository;
  ledger: DynamoDeliveryLedger;
  store: DynamoAssuranceStore;
  responders: Responders;
  alerts: AlertSender;
  close(): Promise<void>;
}

export interface LocalOptions {
  registryPath: string;
  /** Embedded DynamoDB folder; undefined keeps everything in memory. */
  stateDir?: string;
  /** Where `{ env }` secret references resolve; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  clock?: Clock;
}

export async function openLocalAssurance(options: LocalOptions): Promise<LocalAssurance> {
  const registry = await loadRegistry(options.registryPath);
  const dynamo = await startLocalDynamo(options.stateDir ? { path: options.stateDir } : {});
  try {
    const { responders, drivers, ledger } = createLocalResponders(registry, dynamo, options.env, options.clock);
    const clock = options.clock ? { clock: options.clock } : {};
    return {
      registry,
      matcher: new RegistryMatcher(registry),
      dynamo,
      repository: new DynamoIncidentRepository(dynamo.client, dynamo.tableName),
      ledger,
      store: new DynamoAssuranceStore(dynamo.client, dynamo.tableName),
      responders,
      alerts: createAlertSender(registry.responders, { drivers, ledger, ...clock }),
      close: () => dynamo.close(),
    };
  } catch (error) {
    await dynamo.close();
    throw error;
  }
}
