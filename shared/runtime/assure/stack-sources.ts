import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { requireOutput, stackOutputs } from '../../adapters/aws/stack-outputs.js';
import { DynamoAssuranceStore } from '../../adapters/dynamodb/assurance-store.js';
import { DynamoDeliveryLedger } from '../../adapters/dynamodb/delivery-ledger.js';
import { DynamoIncidentRepository } from '../../adapters/dynamodb/incident-repository.js';
import { DynamoRotationWatchStore } from '../../adapters/dynamodb/rotation-watch-store.js';
import { planFor } from '../../core/act/plan.js';
import type { RotationWatchStore } from '../../core/ports/rotation-watch-store.js';
import type { Registry } from '../../core/registry/index.js';
import type { AssuranceSources } from './facts.js';

/**
 * What the posture report reads on AWS: the deployed stack's incident table (named by the stack's
 * `IncidentTableName` output, or given directly), read only, with the caller's AWS credentials and
 * Region from the SDK's default chain (profile, environment, SSO).
 */
export interface StackTarget {
  stack?: string;
  /** The table itself, for a caller allowed to read it but not to describe the stack. */
  table?: string;
  region?: string;
}

export interface StackSources {
  table: string;
  sources: AssuranceSources;
  rotations: RotationWatchStore;
  close(): void;
}

/**
 * @example
 * const { sources, rotations, close } = await openStackSources(registry, { stack: 'glasswatch' });
 */
export async function openStackSources(registry: Registry, target: StackTarget): Promise<StackSources> {
  const region = target.region ? { region: target.region } : {};
  let table = target.table;
  if (!table) {
    const stack = target.stack as string;
    const cloudformation = new CloudFormationClient(region);
    try {
      table = requireOutput(await stackOutputs(cloudformation, stack), 'IncidentTableName', stack);
    } finally {
      cloudformation.destroy();
    }
  }
  const dynamo = new DynamoDBClient(region);
  return {
    table,
    sources: {
      registry,
      repository: new DynamoIncidentRepository(dynamo, table),
      ledger: new DynamoDeliveryLedger(dynamo, table),
      store: new DynamoAssuranceStore(dynamo, table),
      plan: planFor(registry.responders),
      runtime: 'aws',
      readOnly: true,
    },
    rotations: new DynamoRotationWatchStore(dynamo, table),
    close: () => dynamo.destroy(),
  };
}
