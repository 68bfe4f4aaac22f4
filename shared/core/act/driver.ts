import type { DeliveryRecord } from '../ports/delivery-ledger.js';
import type { Action, OutputName } from './actions.js';
import type { AttemptResult } from './retry-policy.js';

/** What the delivery loop needs from the outside world: one driver per output, and a clock. */

/** Sends one action to one vendor. Vendor answers become an {@link AttemptResult}; it does not throw for them. */
export interface OutputDriver {
  deliver(action: Action, context: DeliveryContext): Promise<AttemptResult>;
  /**
   * Delivering an action again leaves what delivering it once did (the outbox rewrites whole files):
   * nothing to keep two workers from, so no claim is written before sending — one ledger write per
   * action instead of two. Vendors (a page, a ticket, a comment) are never idempotent.
   */
  readonly idempotent?: boolean;
  /** Ticketers: whether the ticket a `ticket.open` delivered (its `ref`) was closed by a person. */
  ticketStatus?(ref: Readonly<Record<string, string>>): Promise<TicketStatus>;
}

/** A ticket's state as its vendor reports it: `closed` for Jira's done category, ServiceNow resolved/closed. */
export type TicketStatus =
  | {
      ok: true;
      closed: boolean /** "SEC-12 Done", "INC0010001 Resolved". Vendor text, sanitized by the caller. */;
      label: string;
    }
  | Extract<AttemptResult, { ok: false }>;

/** A link a page carries: the incident's ticket (our own vendor URL, never a string from a log). */
export interface PageLink {
  href: string;
  text: string;
}

export interface DeliveryContext {
  /** The delivered record of `action.after` (e.g. the ticket key for a comment). */
  dependency?: DeliveryRecord;
  /** Attempts made before this one, in any run: > 0 means an earlier try may have landed. */
  previousAttempts: number;
  /** The tickets named by `action.links` that exist by now. */
  links?: PageLink[];
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export type OutcomeStatus = 'delivered' | 'pending' | 'failed';

/** What became of one action in one run. */
export interface ActionOutcome {
  incidentId: string;
  key: string;
  output: OutputName;
  kind: Action['kind'];
  status: OutcomeStatus;
  /** True when this run made the request that delivered it (not "already delivered" or "covered"). */
  sent: boolean;
  /** Requests made in this run. */
  attempts: number;
  detail?: string;
  httpStatus?: number;
  ref?: Record<string, string>;
}
