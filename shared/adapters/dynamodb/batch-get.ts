import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** BatchGetItem takes at most 100 keys. */
const BATCH_GET_LIMIT = 100;
/** Rounds that return nothing before giving up (throttling); rounds that make progress do not count. */
const STALLED_RETRIES = 5;

/**
 * Reads items by key, strongly consistent, in one BatchGetItem per 100 keys. Keys DynamoDB leaves
 * unprocessed (over 16 MB in one answer, or throttled) are asked again, at once while answers come
 * back, with a growing pause when none does. Items come back in no particular order.
 *
 * @example
 * const items = await batchGetItems(doc, 'glasswatch', [{ pk: 'KEY#a', sk: 'HEAD' }, { pk: 'KEY#b', sk: 'HEAD' }]);
 */
export async function batchGetItems(
  doc: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Record<string, unknown>[],
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += BATCH_GET_LIMIT) {
    let pending = keys.slice(i, i + BATCH_GET_LIMIT);
    for (let stalled = 0; pending.length > 0; ) {
      if (stalled > STALLED_RETRIES) {
        throw new Error(
          `${tableName}: BatchGetItem left ${pending.length} keys unprocessed after ${STALLED_RETRIES} retries`,
        );
      }
      if (stalled > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** stalled));
      const output = await doc.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
      );
      const found = output.Responses?.[tableName] ?? [];
      items.push(...found);
      stalled = found.length > 0 ? 0 : stalled + 1;
      pending = (output.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return items;
}
