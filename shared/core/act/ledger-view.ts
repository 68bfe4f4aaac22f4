import type { DeliveryLedger, DeliveryRecord } from '../ports/delivery-ledger.js';

/**
 * What one delivery run knows of the ledger: an incident's records are read once (one `list`), at its
 * first action in the run, and the run's own writes keep them current. A replay delivers ~300 actions
 * of ~60 incidents; reading each action's record, its dependency and its links one by one was ~60 % of
 * the ledger calls.
 *
 * Only what cannot go stale under another worker is taken from the view: a delivered record (final),
 * and a missing one, which the compare-and-set that follows verifies (it fails when another worker
 * wrote one since; the caller then reads again, see {@link LedgerView.forget}). Any other status
 * (sending, pending, failed) is read again from the ledger before it decides anything.
 */
/** A record as the view has it (absent: none), and whether the ledger was read for it just now. */
export interface ViewedRecord {
  record?: DeliveryRecord;
  fresh: boolean;
}

export class LedgerView {
  private readonly incidents = new Map<string, Promise<Map<string, DeliveryRecord>>>();
  /** Keys whose view went stale (a lost write): read from the ledger until this run writes them. */
  private readonly stale = new Set<string>();

  constructor(private readonly ledger: DeliveryLedger) {}

  /** The record, from the view when it can be trusted, else from the ledger. */
  async get(incidentId: string, actionKey: string): Promise<ViewedRecord> {
    const records = await this.records(incidentId);
    const known = records.get(actionKey);
    if (!this.stale.has(idOf(incidentId, actionKey)) && (known === undefined || known.status === 'delivered')) {
      return known ? { record: known, fresh: false } : { fresh: false };
    }
    const record = await this.ledger.get(incidentId, actionKey);
    this.remember(incidentId, actionKey, record, records);
    return record ? { record, fresh: true } : { fresh: true };
  }

  /** Compare-and-set through to the ledger; a lost or failed write makes the key stale. */
  async compareAndSet(next: DeliveryRecord, expectedRevision: number | undefined): Promise<boolean> {
    const written = await this.ledger.compareAndSet(next, expectedRevision).catch((error: unknown) => {
      this.forget(next.incidentId, next.actionKey);
      throw error;
    });
    if (written) this.remember(next.incidentId, next.actionKey, next, await this.records(next.incidentId));
    else this.forget(next.incidentId, next.actionKey);
    return written;
  }

  /** The next {@link LedgerView.get} of this key reads the ledger. */
  forget(incidentId: string, actionKey: string): void {
    this.stale.add(idOf(incidentId, actionKey));
  }

  private records(incidentId: string): Promise<Map<string, DeliveryRecord>> {
    const known = this.incidents.get(incidentId);
    if (known) return known;
    const records = this.ledger.list(incidentId).then((list) => new Map(list.map((r) => [r.actionKey, r])));
    // A failed read is not remembered: the next action of the incident tries again.
    records.catch(() => {
      if (this.incidents.get(incidentId) === records) this.incidents.delete(incidentId);
    });
    this.incidents.set(incidentId, records);
    return records;
  }

  private remember(
    incidentId: string,
    actionKey: string,
    record: DeliveryRecord | undefined,
    records: Map<string, DeliveryRecord>,
  ): void {
    this.stale.delete(idOf(incidentId, actionKey));
    if (record) records.set(actionKey, record);
    else records.delete(actionKey);
  }
}

function idOf(incidentId: string, actionKey: string): string {
  return `${incidentId}\u0000${actionKey}`;
}
