import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, startLocalDynamo } from '../../../shared/adapters/dynamodb/local-dynalite.js';
import { DynamoRotationWatchStore } from '../../../shared/adapters/dynamodb/rotation-watch-store.js';
import type { RotationWatch } from '../../../shared/core/ports/rotation-watch-store.js';

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startLocalDynamo();
});
afterAll(async () => {
  await dynamo.close();
});

function watch(incidentId: string, overrides: Partial<RotationWatch> = {}): RotationWatch {
  return {
    incidentId,
    account: 'aws-prod-root',
    cloud: 'aws',
    drill: false,
    reason: 'session-ended',
    immediate: false,
    principal: 'root (111122223333)',
    dueAt: '2026-11-20T12:00:00.000Z',
    since: '2026-11-20T10:00:00.000Z',
    deadlineAt: '2026-11-21T12:00:00.000Z',
    evidence: [],
    executors: {} as RotationWatch['executors'],
    status: 'open',
    updatedAt: '2026-11-20T11:00:00.000Z',
    revision: 0,
    ...overrides,
  };
}

describe('DynamoRotationWatchStore (dynalite)', () => {
  it('creates once, then writes only on the expected revision', async () => {
    const store = new DynamoRotationWatchStore(dynamo.client, dynamo.tableName);
    expect(await store.compareAndSet(watch('gw-1'), undefined)).toBe(true);
    expect(await store.compareAndSet(watch('gw-1'), undefined)).toBe(false);
    expect(await store.compareAndSet(watch('gw-1', { revision: 1, status: 'escalated' }), 0)).toBe(true);
    expect(await store.compareAndSet(watch('gw-1', { revision: 2 }), 0)).toBe(false);
    expect((await store.get('gw-1'))?.status).toBe('escalated');
  });

  it('lists only watches with work left', async () => {
    const store = new DynamoRotationWatchStore(dynamo.client, dynamo.tableName);
    const done = watch('gw-done', {
      status: 'seen',
      requestedAt: '2026-11-20T12:00:00.000Z',
      closedAt: '2026-11-20T13:00:00.000Z',
    });
    await store.compareAndSet(done, undefined);
    await store.compareAndSet(watch('gw-open'), undefined);
    const pending = (await store.listPending()).map((w) => w.incidentId);
    expect(pending).toContain('gw-open');
    expect(pending).not.toContain('gw-done');
  });
});
