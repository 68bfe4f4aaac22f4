import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { Checkpoint, CheckpointStore, PartitionOwnership } from '@azure/event-hubs';
import { TABLE_KEYS } from '../dynamodb/table.js';

/**
 * The Event Hubs consumer's partition ownership and checkpoints in the incident table, so the
 * consumer needs no Azure storage account: `pk=EVENTHUB#<namespace>/<hub>/<consumer group>` with
 * `sk=OWNER#<partition>` (claimed with an etag compare-and-set, as the SDK's load balancing expects)
 * and `sk=CHECKPOINT#<partition>` (the last event processed and correlated; only moves forward).
 */
export class DynamoCheckpointStore implements CheckpointStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
  }

  async listOwnership(namespace: string, eventHubName: string, consumerGroup: string): Promise<PartitionOwnership[]> {
    const items = await this.query(partition(namespace, eventHubName, consumerGroup), 'OWNER#');
    return items.map((item) => ({
      fullyQualifiedNamespace: namespace,
      eventHubName,
      consumerGroup,
      partitionId: String(item.partitionId),
      ownerId: String(item.ownerId),
      lastModifiedTimeInMs: Number(item.lastModifiedTimeInMs),
      etag: String(item.etag),
    }));
  }

  /** Claims each ownership whose stored etag is still the one given (or that nobody owns yet); returns those won. */
  async claimOwnership(ownerships: PartitionOwnership[]): Promise<PartitionOwnership[]> {
    const won: PartitionOwnership[] = [];
    for (const ownership of ownerships) {
      const claimed = { ...ownership, etag: randomUUID(), lastModifiedTimeInMs: this.now() };
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              [TABLE_KEYS.partitionKey]: partition(
                ownership.fullyQualifiedNamespace,
                ownership.eventHubName,
                ownership.consumerGroup,
              ),
              [TABLE_KEYS.sortKey]: `OWNER#${ownership.partitionId}`,
              partitionId: ownership.partitionId,
              ownerId: claimed.ownerId,
              etag: claimed.etag,
              lastModifiedTimeInMs: claimed.lastModifiedTimeInMs,
            },
            ...(ownership.etag === undefined
              ? { ConditionExpression: 'attribute_not_exists(etag)' }
              : { ConditionExpression: 'etag = :etag', ExpressionAttributeValues: { ':etag': ownership.etag } }),
          }),
        );
        won.push(claimed);
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    return won;
  }

  /** Forward only: a slower consumer that lost the partition never moves a checkpoint back. */
  async updateCheckpoint(checkpoint: Checkpoint): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            [TABLE_KEYS.partitionKey]: partition(
              checkpoint.fullyQualifiedNamespace,
              checkpoint.eventHubName,
              checkpoint.consumerGroup,
            ),
            [TABLE_KEYS.sortKey]: `CHECKPOINT#${checkpoint.partitionId}`,
            partitionId: checkpoint.partitionId,
            sequenceNumber: checkpoint.sequenceNumber,
            offset: checkpoint.offset,
            updatedAt: new Date(this.now()).toISOString(),
          },
          ConditionExpression: 'attribute_not_exists(sequenceNumber) OR sequenceNumber < :seq',
          ExpressionAttributeValues: { ':seq': checkpoint.sequenceNumber },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async listCheckpoints(namespace: string, eventHubName: string, consumerGroup: string): Promise<Checkpoint[]> {
    const items = await this.query(partition(namespace, eventHubName, consumerGroup), 'CHECKPOINT#');
    return items.map((item) => ({
      fullyQualifiedNamespace: namespace,
      eventHubName,
      consumerGroup,
      partitionId: String(item.partitionId),
      sequenceNumber: Number(item.sequenceNumber),
      offset: String(item.offset),
    }));
  }

  private async query(pk: string, prefix: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    const pages = paginateQuery(
      { client: this.doc },
      {
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey, '#sk': TABLE_KEYS.sortKey },
        ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) items.push(...(page.Items ?? []));
    return items;
  }
}

/** Namespaces and hubs are lower-cased by Event Hubs itself; the key keeps them as given. */
function partition(namespace: string, eventHubName: string, consumerGroup: string): string {
  return `EVENTHUB#${namespace}/${eventHubName}/${consumerGroup}`;
}
