import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveryLedger, DeliveryRecord } from '../../core/ports/delivery-ledger.js';
import { putIfUnchanged } from './conditional-put.js';

/**
 * The responders' delivery ledger in the incident table (single-table design): one item per incident
 * and action, `pk = DLV#<incident id>`, `sk = ACT#<action key>`, written with a condition on `revision`
 * so two responders racing on one action never both send it. Records expire by TTL 180 days after
 * their last write: long after any redelivery (SQS keeps messages 14 days) could ask again.
 */
const RETENTION_SECONDS = 180 * 86_400;

export class DynamoDeliveryLedger implements DeliveryLedger {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async get(incidentId: string, actionKey: string): Promise<DeliveryRecord | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: itemKey(incidentId, actionKey), ConsistentRead: true }),
    );
    return Item ? toRecord(Item) : undefined;
  }

  /**
   * The incident's partition holds only its delivery records (`ACT#…`), so the key condition is the
   * partition alone: a `begins_with` on the sort key cost the embedded store a third more per listing.
   */
  async list(incidentId: string): Promise<DeliveryRecord[]> {
    return this.pages((start) =>
      this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `DLV#${incidentId}` },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      ),
    );
  }

  /**
   * A filtered scan on the sort key: delivery records are a handful per incident and incidents a
   * handful a month (the same trade as `listIncidents`), so an index would cost more than it saves.
   */
  async listByAction(actionKey: string): Promise<DeliveryRecord[]> {
    return this.pages((start) =>
      this.doc.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'sk = :sk AND begins_with(pk, :dlv)',
          ExpressionAttributeValues: { ':sk': `ACT#${actionKey}`, ':dlv': 'DLV#' },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      ),
    );
  }

  /** Every page of a Query or Scan, as records. */
  private async pages(
    read: (start: Record<string, unknown> | undefined) => Promise<{
      Items?: Record<string, unknown>[];
      LastEvaluatedKey?: Record<string, unknown>;
    }>,
  ): Promise<DeliveryRecord[]> {
    const records: DeliveryRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await read(start);
      for (const item of page.Items ?? []) records.push(toRecord(item));
      start = page.LastEvaluatedKey;
    } while (start);
    return records;
  }

  async put(record: DeliveryRecord): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: this.toItem(record) }));
  }

  async compareAndSet(next: DeliveryRecord, expectedRevision: number | undefined): Promise<boolean> {
    return putIfUnchanged(this.doc, this.tableName, this.toItem(next), 'revision', expectedRevision);
  }

  private toItem(record: DeliveryRecord): Record<string, unknown> {
    return {
      ...itemKey(record.incidentId, record.actionKey),
      ...record,
      expiresAt: Math.floor(this.now() / 1000) + RETENTION_SECONDS,
    };
  }
}

function itemKey(incidentId: string, actionKey: string) {
  return { pk: `DLV#${incidentId}`, sk: `ACT#${actionKey}` };
}

function toRecord(item: Record<string, unknown>): DeliveryRecord {
  const { pk: _pk, sk: _sk, expiresAt: _expiresAt, ...record } = item;
  return record as unknown as DeliveryRecord;
}
