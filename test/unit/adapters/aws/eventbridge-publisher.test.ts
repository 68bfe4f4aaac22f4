import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  EventBridgePublisher,
  entrySize,
  type IncidentChangeDetail,
  toEntry,
} from '../../../../shared/adapters/aws/eventbridge-publisher.js';
import { openIncident } from '../../../../shared/core/correlate/session.js';
import type { IncidentChange } from '../../../../shared/core/model/incident.js';
import { PUT_EVENTS_LIMIT_BYTES, putEventsAsDocumented } from '../../../support/eventbridge-contract.js';
import { finding } from '../../../support/findings.js';

const eventBridge = mockClient(EventBridgeClient);
const policy = { sessionGapMs: () => 3_600_000, drillAt: () => undefined };
afterAll(() => eventBridge.restore());
beforeEach(() => eventBridge.reset());

function change(id: string, events = 1): IncidentChange {
  const incident = openIncident(finding({ id, time: '2026-11-20T10:00:00Z' }), policy);
  const all = Array.from({ length: events }, (_, i) => ({
    ...(incident.events[0] as IncidentChange['newEvents'][number]),
    id: `aws:${id}-${i}`,
    resources: ['x'.repeat(400)],
  }));
  return { kind: 'opened', incident: { ...incident, events: all }, newEvents: all };
}

const noSleep = { sleep: async () => {} };

describe('EventBridgePublisher', () => {
  it('puts each change as a glasswatch event with the change as detail, at most 10 per request', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({
      FailedEntryCount: 0,
      Entries: input.Entries.map(() => ({ EventId: 'e' })),
    }));
    const changes = Array.from({ length: 23 }, (_, i) => change(`c${i}`));
    await new EventBridgePublisher(new EventBridgeClient({ region: 'us-east-1' }), 'bus', noSleep).publish(changes);
    const calls = eventBridge.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries ?? []);
    expect(calls.map((entries) => entries.length)).toEqual([10, 10, 3]);
    const [first] = calls[0] as PutEventsRequestEntry[];
    expect(first).toMatchObject({
      EventBusName: 'bus',
      Source: 'glasswatch',
      DetailType: 'Glasswatch Incident Opened',
    });
    expect(JSON.parse(first?.Detail ?? '')).toEqual(changes[0]);
  });

  it('retries only the entries EventBridge rejected', async () => {
    let call = 0;
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => {
      call++;
      return call === 1
        ? {
            FailedEntryCount: 1,
            Entries: [{ EventId: 'a' }, { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }],
          }
        : { FailedEntryCount: 0, Entries: input.Entries.map(() => ({ EventId: 'b' })) };
    });
    await new EventBridgePublisher(new EventBridgeClient({ region: 'us-east-1' }), 'bus', noSleep).publish([
      change('a'),
      change('b'),
    ]);
    const sent = eventBridge
      .commandCalls(PutEventsCommand)
      .map((c) =>
        (c.args[0].input.Entries ?? []).map((e) => (JSON.parse(e.Detail ?? '') as IncidentChange).incident.id),
      );
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual([change('b').incident.id]);
  });

  it('throws PublishError naming the incident and the error code when entries keep failing', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'boom' }] });
    const publisher = new EventBridgePublisher(new EventBridgeClient({ region: 'us-east-1' }), 'bus', {
      ...noSleep,
      attempts: 3,
    });
    const failing = change('a');
    await expect(publisher.publish([failing])).rejects.toThrow(
      `bus bus: 1 entry not accepted:\n  - Glasswatch Incident Opened ${failing.incident.id}: InternalFailure boom`,
    );
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(3);
  });

  it('throws PublishError when the request itself keeps failing', async () => {
    eventBridge
      .on(PutEventsCommand)
      .rejects(
        Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }),
      );
    const publisher = new EventBridgePublisher(new EventBridgeClient({ region: 'us-east-1' }), 'bus', {
      ...noSleep,
      attempts: 2,
    });
    await expect(publisher.publish([change('a')])).rejects.toThrow(/AccessDeniedException \(HTTP 400\): denied/);
  });

  it('publishes a session too big for one entry as EventBridge accepts it: newest events kept, the rest counted', async () => {
    const received: PutEventsRequestEntry[] = [];
    eventBridge.on(PutEventsCommand).callsFake(putEventsAsDocumented(received));
    const big = change('big', 2000);
    await new EventBridgePublisher(new EventBridgeClient({ region: 'us-east-1' }), 'bus', noSleep).publish([big]);
    expect(received).toHaveLength(1);
    const detail = JSON.parse(received[0]?.Detail ?? '') as IncidentChangeDetail;
    expect(detail.truncated?.incidentEvents).toBeGreaterThan(0);
    expect(detail.incident.events.length + (detail.truncated?.incidentEvents ?? 0)).toBe(2000);
    expect(detail.incident.events.at(-1)?.id).toBe(big.incident.events.at(-1)?.id);
    expect(detail.incident.id).toBe(big.incident.id);
    // As many of the newest events as fit: one more would not.
    const entry = received[0] as PutEventsRequestEntry;
    const oneMore = JSON.stringify(big.incident.events.at(-1 - detail.incident.events.length)).length + 1;
    expect(entrySize(entry) + 2 * oneMore).toBeGreaterThan(PUT_EVENTS_LIMIT_BYTES);
  });

  it('splits changes into requests EventBridge accepts: never 10 large entries over 256 KB together', async () => {
    const received: PutEventsRequestEntry[] = [];
    eventBridge.on(PutEventsCommand).callsFake(putEventsAsDocumented(received));
    // Each change about 60 KB: four fit in one request, ten would be refused.
    const changes = Array.from({ length: 10 }, (_, i) => change(`m${i}`, 45));
    await new EventBridgePublisher(new EventBridgeClient({ region: 'us-east-1' }), 'bus', noSleep).publish(changes);
    const requests = eventBridge.commandCalls(PutEventsCommand).length;
    expect(requests).toBe(3);
    expect(received.map((e) => (JSON.parse(e.Detail ?? '') as IncidentChange).incident.id)).toEqual(
      changes.map((c) => c.incident.id),
    );
  });

  it('the documented contract itself refuses an oversized request (so the tests above can fail)', () => {
    const answer = putEventsAsDocumented();
    const entry = { Source: 'glasswatch', DetailType: 'x', Detail: 'y'.repeat(PUT_EVENTS_LIMIT_BYTES) };
    expect(() => answer({ Entries: [entry] })).toThrow(/over the limit/);
    expect(() =>
      answer({ Entries: Array.from({ length: 11 }, () => ({ Source: 's', DetailType: 'd', Detail: '{}' })) }),
    ).toThrow(/between 1 and 10/);
  });

  it('leaves an entry that fits untouched', () => {
    const small = change('small', 3);
    expect(JSON.parse(toEntry(small, 'bus').Detail ?? '')).toEqual(small);
  });
});
