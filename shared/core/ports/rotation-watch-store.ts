import type { RotationEvidence, RotationExecutors } from '../act/aftermath/types.js';
import type { Cloud } from '../model/audit-event.js';

/**
 * Rotations Glasswatch waits to see in the audit logs, one per incident: when the rotation is due,
 * what log record proves it, and by when it must appear before someone is paged. The delivery ledger
 * records what was sent; this records what is still expected. Implementations: in memory (tests, one
 * local run) and a durable store behind the Lambdas (e.g. DynamoDB with a condition on `revision` and a
 * sparse index on pending watches).
 */

/**
 * `open`: requested or due, not yet seen. `seen`: an audit record proved it. `escalated`: the deadline
 * passed unseen and the pagers were told (it can still be seen later, which closes its tasks).
 */
export type RotationWatchStatus = 'open' | 'seen' | 'escalated';

/** Why the rotation was asked for. */
export type RotationReason = 'session-ended' | 'audit.tamper' | 'failed-then-successful sign-in';

export interface RotationWatch {
  incidentId: string;
  /** Registry id of the break-glass account. */
  account: string;
  cloud: Cloud;
  drill: boolean;
  reason: RotationReason;
  /** Rotating at once (tampering, a failed-then-successful sign-in) or after the session and the delay. */
  immediate: boolean;
  /** Sanitized, for pages and tasks. */
  principal: string;
  where?: string;
  /** When the rotation is requested (tasks created, executors run). ISO 8601. */
  dueAt: string;
  /** Rotation records before this instant belong to the session and prove nothing. */
  since: string;
  /** Unseen by then: a high-severity page. */
  deadlineAt: string;
  evidence: RotationEvidence[];
  executors: RotationExecutors;
  status: RotationWatchStatus;
  /** Set once every action of the request was delivered. */
  requestedAt?: string;
  seen?: { eventId: string; time: string; action: string; actor: string };
  /** Set once the tasks created for it were closed after the rotation was seen. */
  closedAt?: string;
  escalatedAt?: string;
  updatedAt: string;
  /** Optimistic-concurrency token, incremented by every write. */
  revision: number;
}

export interface RotationWatchStore {
  get(incidentId: string): Promise<RotationWatch | undefined>;
  /** Watches with work left: not yet requested, not yet seen, or seen but tasks not closed. Few. */
  listPending(): Promise<RotationWatch[]>;
  /**
   * Writes `next` only if the stored revision is `expectedRevision` (`undefined`: only if none exists).
   * Returns false when another writer got there first; nothing is written then.
   */
  compareAndSet(next: RotationWatch, expectedRevision: number | undefined): Promise<boolean>;
}

/** A watch still has work: its request is not delivered, its rotation not seen, or its tasks not closed. */
export function isPending(watch: RotationWatch): boolean {
  return watch.requestedAt === undefined || watch.status !== 'seen' || watch.closedAt === undefined;
}
