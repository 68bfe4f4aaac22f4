import { DynamoDeliveryLedger } from '../adapters/dynamodb/delivery-ledger.js';
import type { LocalDynamo } from '../adapters/dynamodb/local-dynalite.js';
import { DynamoRotationWatchStore } from '../adapters/dynamodb/rotation-watch-store.js';
import { createDrivers } from '../adapters/http/drivers.js';
import { createAftermathDrivers } from '../adapters/scheduler/aftermath-drivers.js';
import type { OutputName } from '../core/act/actions.js';
import type { Clock, OutputDriver } from '../core/act/driver.js';
import { createResponders, type Responders } from '../core/act/responders.js';
import { EnvSecretResolver } from '../core/act/secrets.js';
import { RULES } from '../core/detect/rules/index.js';
import type { Registry } from '../core/registry/index.js';

export interface LocalResponders {
  responders: Responders;
  drivers: Partial<Record<OutputName, OutputDriver>>;
  ledger: DynamoDeliveryLedger;
}

/**
 * The act stage as every local command runs it (replay, drill): the registry's responders, or the
 * outbox when none is configured, plus the aftermath (review, rotation); the delivery ledger and the
 * rotation watches live in the embedded DynamoDB, so nothing pages twice across runs. Vendor
 * credentials come from `{ env }` references resolved in `env`.
 */
export function createLocalResponders(
  registry: Registry,
  dynamo: LocalDynamo,
  env: Readonly<Record<string, string | undefined>> = process.env,
  clock?: Clock,
): LocalResponders {
  const config = registry.responders;
  const drivers = {
    ...createDrivers(config, { secrets: new EnvSecretResolver(env) }),
    ...createAftermathDrivers(config),
  };
  const ledger = new DynamoDeliveryLedger(dynamo.client, dynamo.tableName, clock ? () => clock.now() : Date.now);
  const responders = createResponders(config, {
    drivers,
    ledger,
    rotations: new DynamoRotationWatchStore(dynamo.client, dynamo.tableName),
    registry,
    rules: RULES,
    ...(clock ? { clock } : {}),
  });
  return { responders, drivers, ledger };
}
