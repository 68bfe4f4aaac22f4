import { DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putIfUnchanged } from '../../../shared/adapters/dynamodb/conditional-put.js';
import { type LocalDynamo, startLocalDynamo } from '../../../shared/adapters/dynamodb/local-dynalite.js';

/**
 * The replay's store client hands its requests to dynalite in the same process: every answer the store
 * code reads — items, pages, a lost compare-and-set, a missing table — must come back as over HTTP, and
 * what it writes must be what an HTTP client of the same dynalite reads.
 */

let dynamo: LocalDynamo;
let overHttp: DynamoDBDocumentClient;
beforeAll(async () => {
  dynamo = await startLocalDynamo({ inProcess: true });
  overHttp = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
});
afterAll(async () => {
  overHttp.destroy();
  await dynamo.close();
});

describe('the in-process transport to dynalite', () => {
  it('writes and reads items, with unicode and nested values, that an HTTP client reads the same', async () => {
    const doc = DynamoDBDocumentClient.from(dynamo.client);
    const item = {
      pk: 'T#1',
      sk: 'A',
      text: 'Zoë ✓ — 東京',
      nested: { list: [1, 'two', { three: true }] },
      version: 0,
    };
    await doc.send(new PutCommand({ TableName: dynamo.tableName, Item: item }));
    const key = { pk: 'T#1', sk: 'A' };
    const here = await doc.send(new GetCommand({ TableName: dynamo.tableName, Key: key, ConsistentRead: true }));
    const there = await overHttp.send(new GetCommand({ TableName: dynamo.tableName, Key: key, ConsistentRead: true }));
    expect(here.Item).toEqual(item);
    expect(there.Item).toEqual(item);
  });

  it('reports a lost compare-and-set as one (ConditionalCheckFailedException), and writes nothing', async () => {
    const doc = DynamoDBDocumentClient.from(dynamo.client);
    const item = { pk: 'T#2', sk: 'A', version: 1 };
    expect(await putIfUnchanged(doc, dynamo.tableName, item, 'version', undefined)).toBe(true);
    expect(await putIfUnchanged(doc, dynamo.tableName, { ...item, version: 2 }, 'version', 5)).toBe(false);
    expect(await putIfUnchanged(doc, dynamo.tableName, { ...item, version: 2 }, 'version', 1)).toBe(true);
    const { Item } = await doc.send(
      new GetCommand({ TableName: dynamo.tableName, Key: { pk: 'T#2', sk: 'A' }, ConsistentRead: true }),
    );
    expect(Item?.version).toBe(2);
  });

  it('pages a query as DynamoDB does (Limit, LastEvaluatedKey)', async () => {
    const doc = DynamoDBDocumentClient.from(dynamo.client);
    for (const sk of ['a', 'b', 'c'])
      await doc.send(new PutCommand({ TableName: dynamo.tableName, Item: { pk: 'T#3', sk } }));
    const query = (start?: Record<string, unknown>) =>
      doc.send(
        new QueryCommand({
          TableName: dynamo.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': 'T#3' },
          Limit: 2,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
    const first = await query();
    expect(first.Items?.map((i) => i.sk)).toEqual(['a', 'b']);
    const second = await query(first.LastEvaluatedKey);
    expect(second.Items?.map((i) => i.sk)).toEqual(['c']);
    expect(second.LastEvaluatedKey).toBeUndefined();
  });

  it('does not sign requests that never leave the process: a fixed header of the SigV4 shape dynalite checks', async () => {
    const seen: string[] = [];
    dynamo.client.middlewareStack.add(
      (next) => async (args) => {
        seen.push(String((args.request as { headers: Record<string, string> }).headers.authorization));
        return next(args);
      },
      { step: 'deserialize', name: 'captureAuthorization' },
    );
    try {
      const doc = DynamoDBDocumentClient.from(dynamo.client);
      await doc.send(new PutCommand({ TableName: dynamo.tableName, Item: { pk: 'T#4', sk: 'A' } }));
      const { Item } = await doc.send(new GetCommand({ TableName: dynamo.tableName, Key: { pk: 'T#4', sk: 'A' } }));
      expect(Item).toEqual({ pk: 'T#4', sk: 'A' });
    } finally {
      dynamo.client.middlewareStack.remove('captureAuthorization');
    }
    expect(seen).toHaveLength(2);
    for (const header of seen) expect(header).toMatch(/^AWS4-HMAC-SHA256 Credential=local\/.* Signature=0$/);
  });

  it('raises a missing table as ResourceNotFoundException', async () => {
    const doc = DynamoDBDocumentClient.from(dynamo.client);
    await expect(
      doc.send(new GetCommand({ TableName: 'no-such-table', Key: { pk: 'x', sk: 'y' } })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});
