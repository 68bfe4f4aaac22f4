import { readFile } from 'node:fs/promises';
import { DynamoAssuranceStore } from '../../adapters/dynamodb/assurance-store.js';
import { DynamoDeliveryLedger } from '../../adapters/dynamodb/delivery-ledger.js';
import { DynamoIncidentRepository } from '../../adapters/dynamodb/incident-repository.js';
import { type LocalDynamo, startLocalDynamo } from '../../adapters/dynamodb/local-dynalite.js';
import { createDrivers } from '../../adapters/http/drivers.js';
import type { Clock } from '../../core/act/driver.js';
import { createResponders, type Responders } from '../../core/act/responders.js';
import { EnvSecretResolver } from '../../core/act/secrets.js';
import { RULES } from '../../core/detect/rules/index.js';
import { parseRegistry, type Registry, RegistryMatcher } from '../../core/registry/index.js';
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
  const registry = parseRegistry(await readFile(options.registryPath, 'utf8'), options.registryPath);
  const dynamo = await startLocalDynamo(options.stateDir ? { path: options.stateDir } : {});
  try {
    const { clock: optionalClock } = options;
    const ledger = new DynamoDeliveryLedger(
      dynamo.client,
      dynamo.tableName,
      optionalClock ? () => optionalClock.now() : Date.now,
    );
    const drivers = createDrivers(registry.responders, { secrets: new EnvSecretResolver(options.env ?? process.env) });
    const clock = optionalClock ? { clock: optionalClock } : {};
    return {
      registry,
      matcher: new RegistryMatcher(registry),
      dynamo,
      repository: new DynamoIncidentRepository(dynamo.client, dynamo.tableName),
      ledger,
      store: new DynamoAssuranceStore(dynamo.client, dynamo.tableName),
      responders: createResponders(registry.responders, { drivers, ledger, rules: RULES, ...clock }),
      alerts: createAlertSender(registry.responders, { drivers, ledger, ...clock }),
      close: () => dynamo.close(),
    };
  } catch (error) {
    await dynamo.close();
    throw error;
  }
}
