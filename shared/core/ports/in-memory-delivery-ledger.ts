import type { DeliveryLedger, DeliveryRecord } from './delivery-ledger.js';

/** A ledger in a Map: for tests and for one local `replay` run. Records are copied in and out. */
export class InMemoryDeliveryLedger implements DeliveryLedger {
  private readonly records = new Map<string, DeliveryRecord>();

  async get(incidentId: string, actionKey: string): Promise<DeliveryRecord | undefined> {
    const record = this.records.get(keyOf(incidentId, actionKey));
    return record ? structuredClone(record) : undefined;
  }

  async list(incidentId: string): Promise<DeliveryRecord[]> {
    return [...this.records.values()].filter((r) => r.incidentId === incidentId).map((r) => structuredClone(r));
  }

  async listByAction(actionKey: string): Promise<DeliveryRecord[]> {
    return [...this.records.values()].filter((r) => r.actionKey === actionKey).map((r) => structuredClone(r));
  }

  async put(record: DeliveryRecord): Promise<void> {
    this.records.set(keyOf(record.incidentId, record.actionKey), structuredClone(record));
  }

  async compareAndSet(next: DeliveryRecord, expectedRevision: number | undefined): Promise<boolean> {
    const key = keyOf(next.incidentId, next.actionKey);
    if (this.records.get(key)?.revision !== expectedRevision) return false;
    this.records.set(key, structuredClone(next));
    return true;
  }

  /** Every record, for assertions and reports. */
  all(): DeliveryRecord[] {
    return [...this.records.values()].map((r) => structuredClone(r));
  }
}

function keyOf(incidentId: string, actionKey: string): string {
  return `${incidentId}\u0000${actionKey}`;
}
