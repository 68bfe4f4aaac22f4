import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsCommandOutput,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import type { IncidentChange, IncidentChangeKind } from '../../core/model/incident.js';
import { describeAwsError, PublishError } from './errors.js';

/**
 * Incident changes as EventBridge events on the stack's incident bus, for the responders and any other
 * subscriber: `source: glasswatch`, `detail-type: Glasswatch Incident Opened|Extended|Closed`,
 * `detail` = the change. Entries EventBridge does not accept are retried; if some still fail the call
 * throws PublishError, so the invocation fails and its input is redriven.
 */

export const INCIDENT_EVENT_SOURCE = 'glasswatch';

export const INCIDENT_DETAIL_TYPES: Readonly<Record<IncidentChangeKind, string>> = {
  opened: 'Glasswatch Incident Opened',
  extended: 'Glasswatch Incident Extended',
  closed: 'Glasswatch Incident Closed',
};

/** EventBridge limits: 10 entries per PutEvents, 256 KiB per entry and per request (as EventBridge counts them). */
const MAX_ENTRIES = 10;
export const MAX_ENTRY_BYTES = 256 * 1024;
/** A change listing this few events is serialized whole at once (it fits, in practice). */
const FEW_EVENTS = 200;

/** What the bus carries as `detail`: the change, and how many events were left out to fit 256 KiB. */
export type IncidentChangeDetail = IncidentChange & {
  truncated?: { incidentEvents: number; newEvents: number };
};

export interface PublisherOptions {
  /** Attempts for entries EventBridge rejected (ThrottlingException, InternalFailure); the SDK retries whole-request errors itself. */
  attempts?: number;
  /** First back-off; doubles per attempt. */
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export class EventBridgePublisher {
  private readonly attempts: number;
  private readonly baseDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
    options: PublisherOptions = {},
  ) {
    this.attempts = options.attempts ?? 4;
    this.baseDelayMs = options.baseDelayMs ?? 200;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Publishes every change, in order. Resolves when EventBridge accepted all; throws PublishError otherwise. */
  async publish(changes: readonly IncidentChange[]): Promise<void> {
    let pending = changes.map((change) => toEntry(change, this.busName));
    let lastErrors: string[] = [];
    for (let attempt = 1; pending.length > 0 && attempt <= this.attempts; attempt++) {
      if (attempt > 1) await this.sleep(this.baseDelayMs * 2 ** (attempt - 2));
      const failed: PutEventsRequestEntry[] = [];
      lastErrors = [];
      for (const batch of batches(pending)) {
        let output: PutEventsCommandOutput;
        try {
          output = await this.client.send(new PutEventsCommand({ Entries: batch }));
        } catch (error) {
          // The SDK already retried throttling and 5xx; a request that still fails is retried whole here.
          failed.push(...batch);
          lastErrors.push(...batch.map((entry) => `${describeEntry(entry)}: ${describeAwsError(error)}`));
          continue;
        }
        if (!output.FailedEntryCount) continue;
        (output.Entries ?? []).forEach((result, i) => {
          const entry = batch[i];
          if (!entry || !result.ErrorCode) return;
          failed.push(entry);
          lastErrors.push(
            `${describeEntry(entry)}: ${result.ErrorCode}${result.ErrorMessage ? ` ${result.ErrorMessage}` : ''}`,
          );
        });
      }
      pending = failed;
    }
    if (pending.length > 0) throw new PublishError(this.busName, lastErrors);
  }
}

/** One change as one entry, with incident events dropped (oldest first) until it fits the entry limit. */
export function toEntry(change: IncidentChange, busName: string): PutEventsRequestEntry {
  const base = { EventBusName: busName, Source: INCIDENT_EVENT_SOURCE, DetailType: INCIDENT_DETAIL_TYPES[change.kind] };
  const fixed = byteLength(base.Source) + byteLength(base.DetailType);
  const whole = () => JSON.stringify(change satisfies IncidentChangeDetail);
  if (change.incident.events.length + change.newEvents.length <= FEW_EVENTS) {
    const text = whole();
    if (fixed + byteLength(text) <= MAX_ENTRY_BYTES) return { ...base, Detail: text };
  }

  // Maybe too big (a session of thousands of actions): keep the newest events of both lists, the ones
  // this change is about; subscribers read the whole incident from the store when they need it. How
  // many fit is counted from the newest events' own sizes (each measured once; `opened` lists the same
  // events twice) beside the rest of the change, so a long session is not serialized whole, nor again
  // at every try.
  const incidentEvents = change.incident.events;
  const newEvents = change.newEvents;
  const truncatedTo = (keep: number): IncidentChangeDetail => ({
    ...change,
    incident: { ...change.incident, events: lastOf(incidentEvents, keep) },
    newEvents: lastOf(newEvents, keep),
    truncated: {
      incidentEvents: incidentEvents.length - Math.min(keep, incidentEvents.length),
      newEvents: newEvents.length - Math.min(keep, newEvents.length),
    },
  });
  const sizes = new Map<object, number>();
  // An event's bytes and its comma; the same event in both lists counts twice, as it is written twice.
  const sizeOf = (event: object | undefined) => {
    if (!event) return 0;
    const known = sizes.get(event) ?? byteLength(JSON.stringify(event)) + 1;
    sizes.set(event, known);
    return known;
  };
  // The counts of the emptiest version have the most digits: the estimate errs on the small side.
  let room = MAX_ENTRY_BYTES - fixed - byteLength(JSON.stringify(truncatedTo(0)));
  let keep = 0;
  for (; keep < Math.max(incidentEvents.length, newEvents.length); keep++) {
    const cost =
      sizeOf(incidentEvents[incidentEvents.length - 1 - keep]) + sizeOf(newEvents[newEvents.length - 1 - keep]);
    if (cost > room) break;
    room -= cost;
  }
  const most = Math.max(incidentEvents.length, newEvents.length);
  let text = keep === most ? whole() : JSON.stringify(truncatedTo(keep));
  // Held to the limit whatever the estimate said.
  while (fixed + byteLength(text) > MAX_ENTRY_BYTES && keep > 0) {
    keep = Math.floor(keep / 2);
    text = JSON.stringify(truncatedTo(keep));
  }
  return { ...base, Detail: text };
}

function lastOf<T>(list: readonly T[], keep: number): T[] {
  return list.slice(Math.max(0, list.length - keep));
}

/** EventBridge's own size rule: Source + DetailType + Detail (+ Resources, + 14 for Time), UTF-8 bytes. */
export function entrySize(entry: PutEventsRequestEntry): number {
  return (
    byteLength(entry.Source ?? '') +
    byteLength(entry.DetailType ?? '') +
    byteLength(entry.Detail ?? '') +
    (entry.Resources ?? []).reduce((sum, r) => sum + byteLength(r), 0) +
    (entry.Time ? 14 : 0)
  );
}

function* batches(entries: readonly PutEventsRequestEntry[]): Generator<PutEventsRequestEntry[]> {
  let batch: PutEventsRequestEntry[] = [];
  let size = 0;
  for (const entry of entries) {
    const bytes = entrySize(entry);
    if (batch.length > 0 && (batch.length === MAX_ENTRIES || size + bytes > MAX_ENTRY_BYTES)) {
      yield batch;
      batch = [];
      size = 0;
    }
    batch.push(entry);
    size += bytes;
  }
  if (batch.length > 0) yield batch;
}

function describeEntry(entry: PutEventsRequestEntry): string {
  let incidentId = '?';
  try {
    incidentId = (JSON.parse(entry.Detail ?? '{}') as IncidentChange).incident.id;
  } catch {
    // the detail is our own JSON; unreadable only if someone hand-built the entry
  }
  return `${entry.DetailType} ${incidentId}`;
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
