import { expect } from 'vitest';
import type { AuditEvent, EventOrigin } from '../../../../shared/core/model/audit-event.js';
import { awsEnvelopes } from '../../../../shared/core/normalize/aws/envelopes.js';
import { normalizeCloudTrail } from '../../../../shared/core/normalize/aws/index.js';
import { EnvelopeError } from '../../../../shared/core/normalize/errors.js';
import { isObject } from '../../../../shared/core/normalize/fields.js';
import type { RawRecord } from '../../../../shared/core/normalize/types.js';
import { readFixtureJsonl } from '../../../support/fixtures.js';
import { opened } from '../../../support/normalize.js';

/** The records inside one document, through the first AWS envelope that matches (as the dispatcher does). */
export function openAws(doc: unknown, origin: EventOrigin): RawRecord[] {
  if (!isObject(doc)) throw new EnvelopeError(origin, 'not an object');
  const envelope = awsEnvelopes.find((e) => e.matches(doc));
  if (!envelope) throw new EnvelopeError(origin, 'no AWS envelope matches');
  return opened(envelope.open(doc, origin));
}

/** Envelope + normalizer for one document. */
export function normalizeAws(doc: unknown, origin: EventOrigin): AuditEvent[] {
  return openAws(doc, origin).map((record) => normalizeCloudTrail(record.value, record.origin));
}

/** One AWS-docs sample: the wrapper `{origin, doc_context, parse, event}` unwrapped to `.event`. */
export interface DocsSample {
  context: string;
  event: unknown;
  origin: EventOrigin;
}

export function docsSamples(file: string): DocsSample[] {
  const location = `aws/aws-docs-cc-by-sa/${file}`;
  return readFixtureJsonl<{ doc_context: string; event: unknown }>(location).map((row, i) => ({
    context: row.doc_context,
    event: row.event,
    origin: { location, line: i + 1 },
  }));
}

/** The single event of docs sample `line` (1-based) in `file`. */
export function docsEvent(file: string, line: number): AuditEvent {
  const sample = docsSamples(file)[line - 1];
  if (!sample) throw new Error(`${file} has no line ${line}`);
  const events = normalizeAws(sample.event, sample.origin);
  if (events.length !== 1) throw new Error(`${file}:${line} holds ${events.length} events, expected 1`);
  return events[0] as AuditEvent;
}

/** A deep copy of a sample's record, for variants built from real records. */
export function docsRecord(file: string, line: number): Record<string, unknown> {
  const sample = docsSamples(file)[line - 1];
  if (!sample) throw new Error(`${file} has no line ${line}`);
  const records = openAws(sample.event, sample.origin);
  return structuredClone(records[0]?.value) as Record<string, unknown>;
}

export type Raw = Record<string, unknown> & { userIdentity: Record<string, unknown> };

/** Fields every normalized event must carry straight from its record. */
export function expectFaithful(event: AuditEvent): void {
  const raw = event.raw as Raw;
  if (typeof raw.eventID === 'string') expect(event.id).toBe(`aws:${raw.eventID}`);
  else expect(event.nativeId).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(event.action).toBe(raw.eventName);
  expect(event.service).toBe(raw.eventSource);
  expect(event.actor.type).toBe(raw.userIdentity.type);
  expect(event.actor.display).not.toBe('');
  expect(event.timeMs).toBe(Date.parse(event.time));
  expect(event.region).toBe(raw.awsRegion);
  expect(event.src.ip).toBe(raw.sourceIPAddress);
  expect(event.account).toBe(raw.recipientAccountId ?? raw.userIdentity.accountId);
  if (raw.errorCode !== undefined) expect(event.outcome).toBe('failure');
}
