/**
 * Per-incident, per-action delivery bookkeeping (StreamAlert's `outputs_sent`): what was delivered to
 * which output, with the vendor's reference, so a retry or a redelivered change re-sends only what is
 * missing and nothing pages twice. Implementations: in memory (tests, one local run), and a durable
 * store behind the Lambda (e.g. DynamoDB with a condition on `revision`).
 */

export type DeliveryStatus = 'pending' | 'sending' | 'delivered' | 'failed';

export interface DeliveryRecord {
  incidentId: string;
  actionKey: string;
  status: DeliveryStatus;
  /** Attempts made so far, across runs: the fallback pager fires on this count. */
  attempts: number;
  /** While `sending`: epoch ms until which this claim holds; a crashed sender's claim lapses then. */
  leaseUntil?: number;
  /** Incident version whose state the delivered payload rendered. */
  version?: number;
  /** Vendor references: `issueKey`, `sysId`, `dedupKey`, written file paths… Never credentials. */
  ref?: Record<string, string>;
  /** Last HTTP status, when the vendor answered. */
  lastStatus?: number;
  /** Last error, redacted and capped. */
  lastError?: string;
  updatedAt: string;
  /** Optimistic-concurrency token, incremented by every write. */
  revision: number;
}

export interface DeliveryLedger {
  get(incidentId: string, actionKey: string): Promise<DeliveryRecord | undefined>;
  /** All records of one incident (for reports and the outbox). */
  list(incidentId: string): Promise<DeliveryRecord[]>;
  /** The records of one action key across incidents (every incident's `ticket:jira:open`), for periodic checks. */
  listByAction(actionKey: string): Promise<DeliveryRecord[]>;
  /** Unconditional write (seeding, repair tools). Delivery code uses {@link DeliveryLedger.compareAndSet}. */
  put(record: DeliveryRecord): Promise<void>;
  /**
   * Writes `next` only if the stored record's revision is `expectedRevision` (`undefined`: only if no
   * record exists). Returns false when another writer got there first; nothing is written then.
   */
  compareAndSet(next: DeliveryRecord, expectedRevision: number | undefined): Promise<boolean>;
}
