import { describe, expect, it } from 'vitest';
import type { Action } from '../../../shared/core/act/actions.js';
import { respondersSchema } from '../../../shared/core/act/config-schema.js';
import type { OutputDriver } from '../../../shared/core/act/driver.js';
import { LedgerView } from '../../../shared/core/act/ledger-view.js';
import { createResponders } from '../../../shared/core/act/responders.js';
import type { DeliveryLedger, DeliveryRecord } from '../../../shared/core/ports/delivery-ledger.js';
import { InMemoryDeliveryLedger } from '../../../shared/core/ports/in-memory-delivery-ledger.js';
import { FakeClock, seeded } from './support/clock.js';
import { awsRootSignIn, incident, opened } from './support/incidents.js';

/**
 * What a delivery run reads and writes (shared/core/act/ledger-view.ts, delivery.ts): an incident's
 * records once, one write per action of an idempotent output, a claim and a result for a vendor; and a
 * view gone stale under another worker never sends twice.
 */

/** A ledger that counts its calls and can act between a listing and its answer (another worker). */
class CountingLedger implements DeliveryLedger {
  readonly calls = { get: 0, list: 0, listByAction: 0, put: 0, compareAndSet: 0 };
  /** Runs once, after the next listing was read and before it is answered. */
  meanwhile?: () => Promise<void>;

  constructor(readonly inner = new InMemoryDeliveryLedger()) {}

  async get(incidentId: string, actionKey: string) {
    this.calls.get++;
    return this.inner.get(incidentId, actionKey);
  }
  async list(incidentId: string) {
    this.calls.list++;
    const records = await this.inner.list(incidentId);
    const meanwhile = this.meanwhile;
    this.meanwhile = undefined;
    await meanwhile?.();
    return records;
  }
  async listByAction(actionKey: string) {
    this.calls.listByAction++;
    return this.inner.listByAction(actionKey);
  }
  async put(record: DeliveryRecord) {
    this.calls.put++;
    return this.inner.put(record);
  }
  async compareAndSet(next: DeliveryRecord, expectedRevision: number | undefined) {
    this.calls.compareAndSet++;
    return this.inner.compareAndSet(next, expectedRevision);
  }
}

const record = (actionKey: string, status: DeliveryRecord['status'], revision = 1): DeliveryRecord => ({
  incidentId: 'inc-1',
  actionKey,
  status,
  attempts: 1,
  updatedAt: '2026-01-01T00:00:00.000Z',
  revision,
});

/** Records the keys it delivered. */
function driver(idempotent: boolean): OutputDriver & { keys: string[] } {
  const keys: string[] = [];
  return {
    keys,
    ...(idempotent ? { idempotent } : {}),
    async deliver(action: Action) {
      keys.push(action.key);
      return { ok: true };
    },
  };
}

function responders(ledger: DeliveryLedger) {
  const config = respondersSchema.parse({ pagerduty: { routingKey: 'R'.repeat(32) }, outbox: { dir: 'unused' } });
  const drivers = { pagerduty: driver(false), outbox: driver(true) };
  return {
    drivers,
    responders: createResponders(config, { drivers, ledger, clock: new FakeClock(), random: seeded(1) }),
  };
}

describe('LedgerView', () => {
  it("reads an incident's records once; trusts a delivered or missing record, reads any other status again", async () => {
    const ledger = new CountingLedger();
    await ledger.inner.put(record('page:pagerduty', 'delivered'));
    await ledger.inner.put(record('ticket:jira:open', 'sending'));
    const view = new LedgerView(ledger);
    expect((await view.get('inc-1', 'page:pagerduty')).record?.status).toBe('delivered');
    expect(await view.get('inc-1', 'outbox:write:v1')).toEqual({ fresh: false });
    expect(await view.get('inc-1', 'ticket:jira:open')).toMatchObject({ fresh: true, record: { status: 'sending' } });
    expect(ledger.calls).toMatchObject({ list: 1, get: 1 });
  });

  it('a lost compare-and-set makes the next read of that key go to the ledger', async () => {
    const ledger = new CountingLedger();
    const view = new LedgerView(ledger);
    expect(await view.get('inc-1', 'page:pagerduty')).toEqual({ fresh: false });
    await ledger.inner.put(record('page:pagerduty', 'delivered', 4)); // another worker, after the listing
    expect(await view.compareAndSet(record('page:pagerduty', 'sending'), undefined)).toBe(false);
    expect(await view.get('inc-1', 'page:pagerduty')).toMatchObject({ fresh: true, record: { revision: 4 } });
    // Its own successful write is what the view holds next.
    expect(await view.compareAndSet(record('outbox:write:v1', 'delivered'), undefined)).toBe(true);
    expect(await view.get('inc-1', 'outbox:write:v1')).toMatchObject({ fresh: false, record: { revision: 1 } });
    expect(ledger.calls).toMatchObject({ list: 1, get: 1, compareAndSet: 2 });
  });
});

describe('delivery through the view', () => {
  it('one listing per incident; a vendor page is claimed then recorded, an outbox write recorded once', async () => {
    const ledger = new CountingLedger();
    const { responders: r, drivers } = responders(ledger);
    const report = await r.handle([opened(incident([awsRootSignIn()], { id: 'inc-1' }))]);
    expect(report.complete).toBe(true);
    expect([drivers.pagerduty.keys, drivers.outbox.keys]).toEqual([['page:pagerduty'], ['outbox:write:v1']]);
    expect(ledger.calls).toMatchObject({ list: 1, get: 0, compareAndSet: 3 });
    expect((await ledger.inner.get('inc-1', 'page:pagerduty'))?.revision).toBe(2);
    expect(await ledger.inner.get('inc-1', 'outbox:write:v1')).toMatchObject({ status: 'delivered', revision: 1 });
  });

  it('a view gone stale (another worker delivered since the listing) reads again: nothing is sent twice', async () => {
    const ledger = new CountingLedger();
    const change = opened(incident([awsRootSignIn()], { id: 'inc-1' }));
    const other = responders(ledger.inner);
    ledger.meanwhile = async () => {
      await other.responders.handle([change]);
    };
    const { responders: r, drivers } = responders(ledger);
    const report = await r.handle([change]);
    expect(other.drivers.pagerduty.keys).toEqual(['page:pagerduty']);
    expect(drivers.pagerduty.keys).toEqual([]);
    expect(report.incidents[0]?.actions.find((a) => a.key === 'page:pagerduty')).toMatchObject({
      status: 'delivered',
      sent: false,
      detail: 'already delivered',
    });
  });
});
