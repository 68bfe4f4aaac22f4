import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';

/**
 * Optimistic concurrency on one item: writes `item` only if the stored `attribute` (a version or
 * revision counter) still equals `expected`, or, with `expected` undefined, only if no item exists yet.
 * Returns false when another writer got there first; nothing is written then.
 */
export async function putIfUnchanged(
  doc: DynamoDBDocumentClient,
  tableName: string,
  item: Record<string, unknown>,
  attribute: string,
  expected: number | undefined,
): Promise<boolean> {
  try {
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: item,
        ...(expected === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: '#counter = :expected',
              ExpressionAttributeNames: { '#counter': attribute },
              ExpressionAttributeValues: { ':expected': expected },
            }),
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
