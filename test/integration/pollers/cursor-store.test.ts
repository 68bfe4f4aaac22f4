import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCursorStore } from '../../../shared/adapters/dynamodb/cursor-store.js';
import { type LocalDynamo, startLocalDynamo } from '../../../shared/adapters/dynamodb/local-dynalite.js';
import { InMemoryCursorStore } from '../../../shared/core/ingest/cursor/index.js';
import type { CursorStore } from '../../../shared/core/ports/cursor-store.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-18T14:00:00Z');

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startLocalDynamo();
});
afterAll(() => dynamo.close());

const stores: [string, () => CursorStore][] = [
  ['DynamoCursorStore', () => new DynamoCursorStore(dynamo.client, dynamo.tableName, 31 * DAY, () => NOW)],
  ['InMemoryCursorStore', () => new InMemoryCursorStore(() => NOW)],
];

describe.each(stores)('%s', (_name, make) => {
  it('creates a cursor once and only ever moves it forward', async () => {
    const store = make();
    const source = `gcp-logging:forward-${_name}`;
    expect(await store.load(source)).toBeUndefined();
    expect(await store.initialize(source, 1_000)).toBe(true);
    expect(await store.initialize(source, 5_000)).toBe(false);
    expect(await store.commit(source, { watermarkMs: 2_000, remember: [] })).toBe('advanced');
    expect(await store.commit(source, { watermarkMs: 2_000, remember: [] })).toBe('unchanged');
    expect(await store.commit(source, { watermarkMs: 1_500, remember: [] })).toBe('unchanged');
    expect(await store.load(source)).toEqual({ source, watermarkMs: 2_000, updatedAt: new Date(NOW).toISOString() });
  });

  it('remembers ids by cursor time and loads those of a window, even when the watermark did not move', async () => {
    const store = make();
    const source = `azure-log-analytics:seen-${_name}`;
    await store.commit(source, { watermarkMs: 10_000, remember: [{ id: 'a', cursorTimeMs: 9_000 }] });
    const late = 'SigninLogs|a-very-long-id-'.padEnd(900, 'x');
    await store.commit(source, {
      watermarkMs: 9_500,
      remember: [
        { id: late, cursorTimeMs: 8_000 },
        { id: 'b', cursorTimeMs: 9_400 },
      ],
    });
    expect(await store.loadSeen(source, 0)).toEqual(new Set(['a', late, 'b']));
    expect(await store.loadSeen(source, 9_000)).toEqual(new Set(['a', 'b']));
    expect(await store.loadSeen(`${source}-other`, 0)).toEqual(new Set());
  });
});

describe('DynamoCursorStore items', () => {
  it('keep remembered ids under the cursor key with a TTL past every window that can reach them', async () => {
    const store = new DynamoCursorStore(dynamo.client, dynamo.tableName, 31 * DAY, () => NOW);
    const ids = Array.from({ length: 60 }, (_, i) => ({ id: `id-${i}`, cursorTimeMs: NOW - i * 1000 }));
    await store.commit('gcp-logging:ttl', { watermarkMs: NOW, remember: ids });
    const { Items = [] } = await DynamoDBDocumentClient.from(dynamo.client).send(
      new QueryCommand({
        TableName: dynamo.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'CURSOR#gcp-logging:ttl' },
      }),
    );
    const cursor = Items.find((i) => i.sk === 'CURSOR');
    expect(cursor).toMatchObject({ watermarkMs: NOW, watermark: '2026-11-18T14:00:00.000Z' });
    const seen = Items.filter((i) => String(i.sk).startsWith('SEEN#'));
    expect(seen).toHaveLength(60);
    const first = seen.find((i) => i.recordId === 'id-0');
    expect(first?.expiresAt).toBe(Math.ceil((NOW + 31 * DAY) / 1000));
  });
});
