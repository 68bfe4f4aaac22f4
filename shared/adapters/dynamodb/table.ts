import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * One table for everything Glasswatch keeps (single-table design): incident heads and copies, delivery
 * records, poller cursors, heartbeats. The SAM template declares the same keys; a test checks they agree.
 */
export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  byKeyIndex: 'byKey',
  byKeyPartition: 'gsi1pk',
  byKeySort: 'gsi1sk',
  ttlAttribute: 'expiresAt',
} as const;

export function createTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: TABLE_KEYS.partitionKey, AttributeType: 'S' },
      { AttributeName: TABLE_KEYS.sortKey, AttributeType: 'S' },
      { AttributeName: TABLE_KEYS.byKeyPartition, AttributeType: 'S' },
      { AttributeName: TABLE_KEYS.byKeySort, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: TABLE_KEYS.byKeyIndex,
        KeySchema: [
          { AttributeName: TABLE_KEYS.byKeyPartition, KeyType: 'HASH' },
          { AttributeName: TABLE_KEYS.byKeySort, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}
