import { describe, expect, it } from 'vitest';
import type { DrillResult } from '../../../shared/core/assure/drill/steps.js';
import { hourOf } from '../../../shared/core/ports/assurance-store.js';
import { InMemoryAssuranceStore } from '../../../shared/core/ports/in-memory-assurance-store.js';

const T0 = Date.parse('2026-03-02T12:34:56Z');

describe('InMemoryAssuranceStore', () => {
  it('moves a heartbeat forward only, and its first-seen time back only', async () => {
    const store = new InMemoryAssuranceStore();
    const key = { source: 'cloudtrail-s3' as const, region: '-' };
    expect(await store.recordHeartbeat(key, T0)).toBe(true);
    expect(await store.recordHeartbeat(key, T0 - 1000)).toBe(false);
    expect(await store.recordHeartbeat(key, T0 + 1000)).toBe(true);
    expect(await store.listHeartbeats()).toEqual([{ ...key, lastSeenMs: T0 + 1000, firstSeenMs: T0 - 1000 }]);
  });

  it('widens coverage: last seen forward, first seen back, per key', async () => {
    const store = new InMemoryAssuranceStore();
    const key = { path: 'replay' as const, source: 'gcp.audit' as const, scope: 'proj-1', region: '-' };
    await store.recordCoverage({ ...key, firstSeenMs: T0, lastSeenMs: T0 + 10 });
    await store.recordCoverage({ ...key, firstSeenMs: T0 - 10, lastSeenMs: T0 });
    await store.recordCoverage({ ...key, region: 'europe-west1', firstSeenMs: T0, lastSeenMs: T0 });
    expect(await store.listCoverage()).toEqual([
      { ...key, firstSeenMs: T0 - 10, lastSeenMs: T0 + 10 },
      { ...key, region: 'europe-west1', firstSeenMs: T0, lastSeenMs: T0 },
    ]);
  });

  it("lists an account's drills newest first and sums error counters from an hour on", async () => {
    const store = new InMemoryAssuranceStore();
    for (const [id, at] of [
      ['d-1', '2026-01-01'],
      ['d-2', '2026-02-01'],
    ] as const)
      await store.saveDrill({ drillId: id, account: 'a', startedAt: `${at}T00:00:00.000Z` } as DrillResult);
    expect((await store.listDrills('a')).map((d) => d.drillId)).toEqual(['d-2', 'd-1']);
    const key = { source: 'gcp-pull' as const, region: '-' };
    await store.addErrors(key, T0 - 2 * 3_600_000, { ruleErrors: 5, pollerErrors: 0, recordErrors: 0 });
    await store.addErrors(key, T0, { ruleErrors: 1, pollerErrors: 1, recordErrors: 2, lastError: 'x' });
    expect(await store.errorCounts(T0 - 60_000)).toEqual([
      { ...key, ruleErrors: 1, pollerErrors: 1, recordErrors: 2, lastError: 'x' },
    ]);
    expect(hourOf(T0)).toBe(Date.parse('2026-03-02T12:00:00Z'));
  });
});
