import { describe, expect, it } from 'vitest';
import type { DeliveryRecord } from '../../../shared/core/ports/delivery-ledger.js';
import { InMemoryDeliveryLedger } from '../../../shared/core/ports/in-memory-delivery-ledger.js';

const record = (revision: number, status: DeliveryRecord['status'] = 'pending'): DeliveryRecord => ({
  incidentId: 'inc-1',
  actionKey: 'page:pagerduty',
  status,
  attempts: revision,
  updatedAt: '2026-01-01T00:00:00.000Z',
  revision,
});

describe('InMemoryDeliveryLedger', () => {
  it('creates only when absent and updates only from the expected revision', async () => {
    const ledger = new InMemoryDeliveryLedger();
    expect(await ledger.compareAndSet(record(1), undefined)).toBe(true);
    expect(await ledger.compareAndSet(record(1), undefined)).toBe(false);
    expect(await ledger.compareAndSet(record(2, 'delivered'), 7)).toBe(false);
    expect(await ledger.compareAndSet(record(2, 'delivered'), 1)).toBe(true);
    expect((await ledger.get('inc-1', 'page:pagerduty'))?.status).toBe('delivered');
  });

  it('hands out copies, so a caller cannot change stored state by mutation', async () => {
    const ledger = new InMemoryDeliveryLedger();
    await ledger.put(record(1));
    const copy = await ledger.get('inc-1', 'page:pagerduty');
    if (copy) copy.status = 'delivered';
    expect((await ledger.get('inc-1', 'page:pagerduty'))?.status).toBe('pending');
    expect(await ledger.list('inc-1')).toHaveLength(1);
    expect(await ledger.list('inc-2')).toEqual([]);
  });
});
