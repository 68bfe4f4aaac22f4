import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { isPending, type RotationWatch, type RotationWatchStore } from '../../core/ports/rotation-watch-store.js';
import { putIfUnchanged } from './conditional-put.js';

/**
 * Rotation watches in the incident table: `pk = ROT#<incident id>`, `sk = WATCH`, the watch as a JSON
 * attribute, written with a condition on `revision` so two responders never both escalate. Pending
 * watches are listed with a filtered scan: there is one per break-glass session, a handful a month.
 */
export class DynamoRotationWatchStore implements RotationWatchStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
  }

  async get(incidentId: string): Promise<RotationWatch | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: key(incidentId), ConsistentRead: true }),
    );
    return Item ? (JSON.parse(Item.watch as string) as RotationWatch) : undefined;
  }

  async listPending(): Promise<RotationWatch[]> {
    const out: RotationWatch[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'sk = :sk AND pending = :yes',
          ExpressionAttributeValues: { ':sk': 'WATCH', ':yes': true },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) out.push(JSON.parse(item.watch as string) as RotationWatch);
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  async compareAndSet(next: RotationWatch, expectedRevision: number | undefined): Promise<boolean> {
    const item = {
      ...key(next.incidentId),
      revision: next.revision,
      pending: isPending(next),
      watch: JSON.stringify(next),
    };
    return putIfUnchanged(this.doc, this.tableName, item, 'revision', expectedRevision);
  }
}

function key(incidentId: string) {
  return { pk: `ROT#${incidentId}`, sk: 'WATCH' };
}
