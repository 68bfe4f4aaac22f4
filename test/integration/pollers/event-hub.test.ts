import { Buffer } from 'node:buffer';
import type {
  CheckpointStore,
  PartitionContext,
  ReceivedEventData,
  SubscriptionEventHandlers,
} from '@azure/event-hubs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoCheckpointStore } from '../../../shared/adapters/azure/event-hub-checkpoints.js';
import { DynamoAssuranceStore } from '../../../shared/adapters/dynamodb/assurance-store.js';
import { Correlator } from '../../../shared/core/correlate/correlator.js';
import type { IncidentChange } from '../../../shared/core/model/incident.js';
import { RegistryMatcher } from '../../../shared/core/registry/index.js';
import { registrySchema } from '../../../shared/core/registry/schema.js';
import {
  consumeEventHub,
  EventHubConsumeError,
  type EventHubSubscriber,
} from '../../../shared/runtime/pollers/event-hub.js';
import { createEventHubLambda } from '../../../shared/runtime/pollers/event-hub-lambda.js';
import { PushProcessor } from '../../../shared/runtime/pollers/push.js';
import { readFixtureJson, readFixtureJsonl } from '../../support/fixtures.js';
import { acceptAll, type LocalStack, startLocalStack } from '../aws/support/stack.js';

/**
 * The Event Hubs push path: a scripted consumer client at the SDK boundary delivers batches of
 * diagnostic-settings documents (the OpenTelemetry collector's real Activity record, and a Panther
 * Entra record), the real core correlates them in the incident table, checkpoints go to the same table.
 */

const NAMESPACE = 'glasswatch-ns.servicebus.windows.net';
const HUB = 'glasswatch';
const GROUP = 'glasswatch';
const ACTIVITY = readFixtureJson<{ records: Record<string, unknown>[] }>(
  'azure/otel-collector/administrative_valid_1.json',
);
/** The record as a diagnostic-setting delete (the sample is the write of one). */
const DELETE_BATCH = {
  records: [
    {
      ...(ACTIVITY.records[0] as Record<string, unknown>),
      operationName: 'MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/DELETE',
    },
  ],
};
/** A Panther Entra sign-in record (trimmed by Panther to the fields its rule reads), readable as it is. */
const SIGN_IN = (
  readFixtureJsonl<{ log: Record<string, unknown> }>(
    'azure/panther/panther_tests_azure_audit_entra.diagnostic-rows.jsonl',
  ).find((r) => r.log.category === 'SignInLogs') as { log: Record<string, unknown> }
).log;
/** Panther's Entra AuditLogs record relabelled as an admin's password reset of the break-glass account (an Entra rotation). */
const AUDIT = (
  readFixtureJsonl<{ log: Record<string, unknown> }>(
    'azure/panther/panther_tests_azure_audit_entra.diagnostic-rows.jsonl',
  ).find((r) => r.log.category === 'AuditLogs') as { log: Record<string, unknown> }
).log;
const PASSWORD_RESET = {
  ...AUDIT,
  operationName: 'Reset password (by admin)',
  correlationId: 'reset-password-001',
  properties: {
    ...(AUDIT.properties as Record<string, unknown>),
    activityDisplayName: 'Reset password (by admin)',
    category: 'UserManagement',
    operationType: 'Update',
    result: 'success',
    targetResources: [{ id: 'user-ea1', type: 'User', userPrincipalName: 'ea1@contoso.com' }],
  },
};
/** A resource log of a category Glasswatch does not read, sent to the same hub by a careless diagnostic setting. */
/** An Activity record relabelled StorageRead: still one of ours (identity.claims), so an error, never a skip. */
const STORAGE_READ = { ...(ACTIVITY.records[0] as Record<string, unknown>), category: 'StorageRead' };
/** A storage resource log (Azure Monitor resource-log schema): well-formed, not read, skipped and counted. */
const BLOB_LOG = {
  time: '2024-05-01T10:00:00.0000000Z',
  resourceId:
    '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct/blobServices/default',
  category: 'StorageRead',
  operationName: 'GetBlob',
  properties: { accountName: 'acct', serviceType: 'blob' },
};

/** Delivers scripted batches through the handlers, as the SDK's partition pump does, then idles. */
class ScriptedEventHub implements EventHubSubscriber {
  delivered: Promise<void> = Promise.resolve();
  constructor(
    private readonly batches: { partitionId: string; events: ReceivedEventData[] }[],
    private readonly checkpoints: CheckpointStore,
  ) {}

  subscribe(handlers: SubscriptionEventHandlers) {
    this.delivered = (async () => {
      for (const batch of this.batches) {
        const context = {
          fullyQualifiedNamespace: NAMESPACE,
          eventHubName: HUB,
          consumerGroup: GROUP,
          partitionId: batch.partitionId,
          updateCheckpoint: (event: ReceivedEventData) =>
            this.checkpoints.updateCheckpoint({
              fullyQualifiedNamespace: NAMESPACE,
              eventHubName: HUB,
              consumerGroup: GROUP,
              partitionId: batch.partitionId,
              sequenceNumber: event.sequenceNumber,
              offset: event.offset,
            }),
        } as unknown as PartitionContext;
        await handlers.processEvents(batch.events, context);
      }
    })();
    return { close: async () => {}, isRunning: true };
  }
}

const event = (sequenceNumber: number, body: unknown) =>
  ({
    body,
    sequenceNumber,
    offset: String(sequenceNumber * 100),
    enqueuedTimeUtc: new Date(),
    properties: {},
  }) as unknown as ReceivedEventData;

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack(
    'accounts:\n  - { id: entra-ea1, cloud: azure, match: { userPrincipalName: ea1@contoso.com } }\n',
    {
      GLASSWATCH_EVENTHUB_CONNECTION_SECRET_REF: 'glasswatch/eventhub-listen',
    },
  );
});
afterAll(() => stack?.close());
beforeEach(async () => {
  acceptAll(stack.eventBridge);
  await stack.useFreshTables();
});

function processorWith(deliver: (changes: readonly IncidentChange[]) => Promise<void>) {
  const matcher = new RegistryMatcher(
    registrySchema.parse({
      accounts: [{ id: 'entra-ea1', cloud: 'azure', match: { userPrincipalName: 'ea1@contoso.com' } }],
    }),
  );
  return new PushProcessor(matcher, new Correlator(stack.repository(), matcher), { deliver });
}

describe('DynamoCheckpointStore', () => {
  it('lets one consumer win a partition by etag, and keeps checkpoints moving forward only', async () => {
    const store = new DynamoCheckpointStore(stack.dynamo.client, stack.tableName, () => 1_000);
    const claim = { fullyQualifiedNamespace: NAMESPACE, eventHubName: HUB, consumerGroup: GROUP, partitionId: '0' };
    const [mine] = await store.claimOwnership([{ ...claim, ownerId: 'a' }]);
    expect(await store.claimOwnership([{ ...claim, ownerId: 'b' }])).toEqual([]); // no etag: someone owns it already
    expect(await store.claimOwnership([{ ...claim, ownerId: 'b', etag: 'stale' }])).toEqual([]);
    const [stolen] = await store.claimOwnership([{ ...claim, ownerId: 'b', etag: mine?.etag }]);
    expect((await store.listOwnership(NAMESPACE, HUB, GROUP)).map((o) => [o.ownerId, o.etag])).toEqual([
      ['b', stolen?.etag],
    ]);

    await store.updateCheckpoint({ ...claim, sequenceNumber: 12, offset: '1200' });
    await store.updateCheckpoint({ ...claim, sequenceNumber: 7, offset: '700' });
    expect(await store.listCheckpoints(NAMESPACE, HUB, GROUP)).toEqual([
      { ...claim, sequenceNumber: 12, offset: '1200' },
    ]);
  });
});

describe('consumeEventHub', () => {
  it('correlates each batch, reports unreadable records, and checkpoints after publishing', async () => {
    const store = new DynamoCheckpointStore(stack.dynamo.client, stack.tableName);
    const delivered: IncidentChange[][] = [];
    const errors: Error[] = [];
    const hub = new ScriptedEventHub(
      [
        { partitionId: '0', events: [event(10, DELETE_BATCH)] },
        {
          partitionId: '1',
          events: [
            event(3, Buffer.from(JSON.stringify({ records: [SIGN_IN, STORAGE_READ, BLOB_LOG] }))),
            event(4, 'not json'),
          ],
        },
      ],
      store,
    );
    const report = await consumeEventHub({
      subscriber: hub,
      processor: processorWith(async (changes) => void delivered.push([...changes])),
      durationMs: 0,
      sleep: () => hub.delivered,
      onRecordError: (e) => errors.push(e),
    });
    expect(report.changes.map((c) => [c.kind, c.incident.detections])).toEqual([['opened', ['audit.tamper']]]);
    expect(report.counts).toMatchObject({ records: 4, events: 2, skipped: 1, errors: 2 });
    expect(report.checkpoints).toEqual({ '0': 10, '1': 4 });
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(
        /eventhub:glasswatch\/partitions\/1\/sequence\/3#1: azure\.diagnostic record, field category: "StorageRead" is not/,
      ),
      'eventhub:glasswatch/partitions/1/sequence/4: event body is not JSON (8 characters)',
    ]);
    expect((await store.listCheckpoints(NAMESPACE, HUB, GROUP)).map((c) => [c.partitionId, c.sequenceNumber])).toEqual([
      ['0', 10],
      ['1', 4],
    ]);
  });

  it('checkpoints nothing after a batch that could not be published, and fails the run', async () => {
    const store = new DynamoCheckpointStore(stack.dynamo.client, stack.tableName);
    const hub = new ScriptedEventHub(
      [
        { partitionId: '0', events: [event(10, DELETE_BATCH)] },
        { partitionId: '0', events: [event(11, { records: [] })] },
      ],
      store,
    );
    const run = consumeEventHub({
      subscriber: hub,
      processor: processorWith(async () => {
        throw new Error('incident bus unavailable');
      }),
      durationMs: 0,
      sleep: () => hub.delivered,
    });
    await expect(run).rejects.toThrow(EventHubConsumeError);
    await expect(run).rejects.toThrow(/partition 0: batch not recorded, not checkpointed: incident bus unavailable/);
    expect(await store.listCheckpoints(NAMESPACE, HUB, GROUP)).toEqual([]);
  });
});

describe('Event Hub consumer Lambda', () => {
  it('reads the connection string from its secret and publishes what the stream carries', async () => {
    let connection = '';
    let hub: ScriptedEventHub | undefined;
    const lambda = createEventHubLambda(process.env, undefined, {
      secretText: async (id) =>
        `Endpoint=sb://${NAMESPACE}/;SharedAccessKeyName=listen;SharedAccessKey=k;EntityPath=${HUB} (${id})`,
      subscriber: (text, group, checkpoints) => {
        connection = `${text} → ${group}`;
        hub = new ScriptedEventHub([{ partitionId: '0', events: [event(1, DELETE_BATCH)] }], checkpoints);
        return hub;
      },
    });
    const report = await lambda.consume(11_000);
    expect(connection).toMatch(/EntityPath=glasswatch \(glasswatch\/eventhub-listen\) → glasswatch$/);
    expect(report.checkpoints).toEqual({ '0': 1 });
    expect((await stack.published()).map((p) => p.detailType)).toEqual(['Glasswatch Incident Opened']);
  });

  it('records the azure-eventhub heartbeat and publishes an Entra password reset as rotation evidence', async () => {
    const lambda = createEventHubLambda(process.env, undefined, {
      secretText: async () =>
        `Endpoint=sb://${NAMESPACE}/;SharedAccessKeyName=listen;SharedAccessKey=k;EntityPath=${HUB}`,
      subscriber: (_text, _group, checkpoints) =>
        new ScriptedEventHub([{ partitionId: '0', events: [event(1, { records: [PASSWORD_RESET] })] }], checkpoints),
    });
    await lambda.consume(11_000);
    const evidence = (await stack.published()).filter((p) => p.detailType === 'Glasswatch Rotation Evidence');
    expect(evidence.map((p) => (p.detail as unknown as { action: string }).action)).toEqual([
      'Reset password (by admin)',
    ]);
    const heartbeats = await new DynamoAssuranceStore(stack.dynamo.client, stack.tableName).listHeartbeats();
    expect(heartbeats.map((h) => h.source)).toContain('azure-eventhub');
  });

  it('opens a sign-in incident for the emergency account from a SignInLogs batch, worded as the steps prove', async () => {
    // Entra sign-in diagnostic records written from the Graph signIn / authenticationDetail pages.
    const shapes = readFixtureJsonl<{ name: string; record: Record<string, unknown> }>(
      'azure/written-from-docs/entra_signin_shapes.jsonl',
    );
    const records = shapes.filter((s) => s.name === 'password-only' || s.name === 'push-after-password');
    expect(records).toHaveLength(2);
    const lambda = createEventHubLambda(process.env, undefined, {
      secretText: async () =>
        `Endpoint=sb://${NAMESPACE}/;SharedAccessKeyName=listen;SharedAccessKey=k;EntityPath=${HUB}`,
      subscriber: (_text, _group, checkpoints) =>
        new ScriptedEventHub(
          [{ partitionId: '0', events: [event(1, { records: records.map((r) => r.record) })] }],
          checkpoints,
        ),
    });
    await lambda.consume(11_000);
    const incidents = (await stack.published())
      .filter((p) => p.detailType.startsWith('Glasswatch Incident'))
      .map((p) => p.detail.incident);
    const last = incidents.at(-1);
    expect(last).toMatchObject({ account: 'entra-ea1', severity: 'critical' });
    expect([...(last?.detections ?? [])].sort()).toEqual(['signin.success', 'signin.without-mfa']);
  });

  it('records a failed run for the heartbeat when the stream cannot be read', async () => {
    const lambda = createEventHubLambda(process.env, undefined, {
      secretText: async () => {
        throw new Error('secret unavailable');
      },
    });
    await expect(lambda.consume(11_000)).rejects.toThrow(/secret unavailable/);
    const errors = await new DynamoAssuranceStore(stack.dynamo.client, stack.tableName).errorCounts(0);
    expect(errors.map((e) => [e.source, e.pollerErrors])).toEqual([['azure-eventhub', 1]]);
  });
});
