import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { CursorCommit, CursorState, SeenRecord } from '../../core/ingest/cursor/types.js';
import type { CommitOutcome, CursorStore } from '../../core/ports/cursor-store.js';
import { TABLE_KEYS } from './table.js';

/** BatchWriteItem takes at most 25 puts. */
const BATCH_SIZE = 25;
/** Unprocessed items (throttling) are retried this often, with a doubling pause, before the commit fails. */
const MAX_BATCH_ROUNDS = 8;

/**
 * Poller cursors in the incident table: `pk=CURSOR#<source>, sk=CURSOR` holds the watermark; the ids
 * of the overlap window are `sk=SEEN#<cursor time>#<hash>` items under the same key, with a TTL
 * (`expiresAt`) so DynamoDB removes them once no window can reach them. The sort key starts with the
 * zero-padded cursor time, so loading the ids of a window is one range query.
 */
export class DynamoCursorStore implements CursorStore {
  private readonly doc: DynamoDBDocumentClient;

  /**
   * @param seenTtlMs how long after its cursor time a remembered id is kept: at least the longest a
   * window reaches back (the source's retention clamp) plus the overlap.
   */
  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    private readonly seenTtlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
  }

  async load(source: string): Promise<CursorState | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: cursorKey(source), ConsistentRead: true }),
    );
    if (!Item || typeof Item.watermarkMs !== 'number') return undefined;
    return { source, watermarkMs: Item.watermarkMs, updatedAt: String(Item.updatedAt ?? '') };
  }

  async loadSeen(source: string, fromMs: number): Promise<Set<string>> {
    const ids = new Set<string>();
    const pages = paginateQuery(
      { client: this.doc },
      {
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lo AND :hi',
        ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey, '#sk': TABLE_KEYS.sortKey },
        ExpressionAttributeValues: { ':pk': partition(source), ':lo': `SEEN#${pad(fromMs)}`, ':hi': 'SEEN#~' },
        ProjectionExpression: 'recordId',
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) if (typeof item.recordId === 'string') ids.add(item.recordId);
    }
    return ids;
  }

  async initialize(source: string, watermarkMs: number): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...cursorKey(source), ...this.cursorAttributes(watermarkMs), initializedAt: this.isoNow() },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async commit(source: string, commit: CursorCommit): Promise<CommitOutcome> {
    await this.remember(source, commit.remember);
    const attributes = this.cursorAttributes(commit.watermarkMs);
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: cursorKey(source),
          UpdateExpression: 'SET watermarkMs = :w, watermark = :iso, updatedAt = :now',
          // Forward only: a slower concurrent poll, or a re-read, never moves the cursor back.
          ConditionExpression: 'attribute_not_exists(watermarkMs) OR watermarkMs < :w',
          ExpressionAttributeValues: {
            ':w': attributes.watermarkMs,
            ':iso': attributes.watermark,
            ':now': attributes.updatedAt,
          },
        }),
      );
      return 'advanced';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'unchanged';
      throw error;
    }
  }

  private async remember(source: string, records: readonly SeenRecord[]): Promise<void> {
    for (let i = 0; i < records.length; i += BATCH_SIZE) {
      let requests = records
        .slice(i, i + BATCH_SIZE)
        .map((record) => ({ PutRequest: { Item: this.seenItem(source, record) } }));
      for (let round = 0; requests.length > 0; round++) {
        if (round >= MAX_BATCH_ROUNDS) {
          throw new Error(
            `DynamoDB ${this.tableName}: ${requests.length} cursor dedup item(s) of ${source} still unprocessed after ${round} rounds`,
          );
        }
        if (round > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** round));
        const { UnprocessedItems } = await this.doc.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }),
        );
        requests = (UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
      }
    }
  }

  private seenItem(source: string, record: SeenRecord): Record<string, unknown> {
    return {
      [TABLE_KEYS.partitionKey]: partition(source),
      [TABLE_KEYS.sortKey]: `SEEN#${pad(record.cursorTimeMs)}#${digest(record.id)}`,
      recordId: record.id,
      cursorTimeMs: record.cursorTimeMs,
      [TABLE_KEYS.ttlAttribute]: Math.ceil((record.cursorTimeMs + this.seenTtlMs) / 1000),
    };
  }

  private cursorAttributes(watermarkMs: number) {
    return { watermarkMs, watermark: new Date(watermarkMs).toISOString(), updatedAt: this.isoNow() };
  }

  private isoNow(): string {
    return new Date(this.now()).toISOString();
  }
}

function partition(source: string): string {
  return `CURSOR#${source}`;
}

function cursorKey(source: string) {
  return { [TABLE_KEYS.partitionKey]: partition(source), [TABLE_KEYS.sortKey]: 'CURSOR' };
}

/** Epoch ms as 15 digits: sorts as text until the year 33658. */
function pad(ms: number): string {
  return String(Math.max(0, Math.floor(ms))).padStart(15, '0');
}

/** Record ids are provider text of any length: the key carries a fixed-size digest, the item the id itself. */
function digest(id: string): string {
  return createHash('sha256').update(id).digest('base64url').slice(0, 22);
}
