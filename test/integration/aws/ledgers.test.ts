import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoPublicationLedger, snapshotOf } from '../../../shared/adapters/aws/publication-ledger.js';
import { DynamoDeliveryLedger } from '../../../shared/adapters/dynamodb/delivery-ledger.js';
import { type LocalDynamo, startLocalDynamo } from '../../../shared/adapters/dynamodb/local-dynalite.js';
import { openIncident } from '../../../shared/core/correlate/session.js';
import type { DeliveryRecord } from '../../../shared/core/ports/delivery-ledger.js';
import { finding } from '../../support/findings.js';

/** The two ledgers the Lambda keeps in the incident table, on dynalite. */
let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startLocalDynamo({ tableName: 'ledgers' });
});
afterAll(async () => {
  await dynamo?.close();
});

const policy = { sessionGapMs: () => 3_600_000, drillAt: () => undefined };

describe('DynamoPublicationLedger', () => {
  it('keeps the newest published version of each incident; an older write never replaces it', async () => {
    const ledger = new DynamoPublicationLedger(dynamo.client, dynamo.tableName);
    const v0 = openIncident(finding({ id: 'p1', time: '2026-11-20T10:00:00Z' }), policy);
    const v3 = { ...v0, version: 3, status: 'closed' as const };
    await ledger.record(v3);
    await ledger.record(v0);
    const other = openIncident(finding({ id: 'p2', time: '2026-11-20T10:00:00Z', account: 'other' }), policy);
    await ledger.record(other);
    const found = await ledger.get([v0.id, other.id, 'gw-never-published']);
    expect(found.get(v0.id)).toEqual(snapshotOf(v3));
    expect(found.get(other.id)).toEqual(snapshotOf(other));
    expect(found.has('gw-never-published')).toBe(false);
  });

  it('reads more than one BatchGetItem page of ids', async () => {
    const ledger = new DynamoPublicationLedger(dynamo.client, dynamo.tableName);
    const incidents = Array.from({ length: 130 }, (_, i) =>
      openIncident(finding({ id: `many-${i}`, time: '2026-11-20T10:00:00Z', key: `k${i}` }), policy),
    );
    for (const incident of incidents) await ledger.record(incident);
    expect((await ledger.get(incidents.map((i) => i.id))).size).toBe(130);
  });
});

describe('DynamoDeliveryLedger', () => {
  const record = (revision: number, status: DeliveryRecord['status']): DeliveryRecord => ({
    incidentId: 'gw-1',
    actionKey: 'page:pagerduty',
    status,
    attempts: revision,
    updatedAt: '2026-11-20T10:00:00.000Z',
    revision,
    ref: { dedupKey: 'gw-1' },
  });

  it('writes a record only over the revision the writer read (two responders never both send)', async () => {
    const ledger = new DynamoDeliveryLedger(dynamo.client, dynamo.tableName);
    expect(await ledger.compareAndSet(record(1, 'sending'), undefined)).toBe(true);
    expect(await ledger.compareAndSet(record(1, 'sending'), undefined)).toBe(false);
    expect(await ledger.compareAndSet(record(2, 'delivered'), 0)).toBe(false);
    expect(await ledger.compareAndSet(record(2, 'delivered'), 1)).toBe(true);
    expect(await ledger.get('gw-1', 'page:pagerduty')).toEqual(record(2, 'delivered'));
    await ledger.put({ ...record(3, 'delivered'), actionKey: 'ticket.open:jira' });
    expect((await ledger.list('gw-1')).map((r) => r.actionKey).sort()).toEqual(['page:pagerduty', 'ticket.open:jira']);
    expect(await ledger.list('gw-other')).toEqual([]);
  });

  it('lists one action key across incidents (the periodic ticket check), nothing else', async () => {
    const ledger = new DynamoDeliveryLedger(dynamo.client, dynamo.tableName);
    for (const id of ['gw-a', 'gw-b']) {
      await ledger.put({ ...record(1, 'delivered'), incidentId: id, actionKey: 'ticket:jira:open' });
      await ledger.put({ ...record(1, 'delivered'), incidentId: id, actionKey: 'ticket:jira:ended' });
    }
    const found = await ledger.listByAction('ticket:jira:open');
    expect(found.map((r) => `${r.incidentId} ${r.actionKey}`).sort()).toEqual([
      'gw-a ticket:jira:open',
      'gw-b ticket:jira:open',
    ]);
    expect(await ledger.listByAction('ticket:servicenow:open')).toEqual([]);
  });
});
