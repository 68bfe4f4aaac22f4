import { type EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { z } from 'zod';
import { describeAwsError, PublishError } from '../../adapters/aws/errors.js';
import { INCIDENT_EVENT_SOURCE, MAX_ENTRY_BYTES } from '../../adapters/aws/eventbridge-publisher.js';
import { concurrently } from '../../core/concurrently.js';
import type { AuditEvent } from '../../core/model/audit-event.js';

/**
 * Audit events that may prove a credential rotation (`isRotationEvidence`: a few per day at most) go
 * from the ingest functions to the responders over the incident bus, as `source: glasswatch`,
 * `detail-type: Glasswatch Rotation Evidence`, `detail` = the AuditEvent without `raw` (the provider
 * record can be large and nobody downstream reads it). The incident-change rule routes them to the
 * responders' queue, whose function calls `responders.rotationSeen(events)`.
 */

export const ROTATION_EVIDENCE_DETAIL_TYPE = 'Glasswatch Rotation Evidence';

/** EventBridge takes at most 10 entries per PutEvents. */
const MAX_ENTRIES = 10;
/** PutEvents calls in flight at once: evidence has no order (the responders match each event on its own). */
const PUT_CONCURRENCY = 8;

/** An event as it travels: everything but the provider record. */
export type EvidenceDetail = Omit<AuditEvent, 'raw'>;

/** One entry per event; an event too big for an entry (untrusted fields are capped, so never in practice) is refused. */
export function evidenceEntry(event: AuditEvent, busName: string): PutEventsRequestEntry {
  const { raw: _raw, ...detail } = event;
  const text = JSON.stringify(detail satisfies EvidenceDetail);
  if (Buffer.byteLength(text) > MAX_ENTRY_BYTES - 100) {
    throw new PublishError(busName, [
      `rotation evidence ${event.id.slice(0, 120)}: ${text.length} bytes, over 256 KiB`,
    ]);
  }
  return {
    EventBusName: busName,
    Source: INCIDENT_EVENT_SOURCE,
    DetailType: ROTATION_EVIDENCE_DETAIL_TYPE,
    Detail: text,
  };
}

/**
 * Puts the events on the bus. Throws PublishError naming every entry EventBridge did not accept (the SDK
 * already retried throttling and 5xx), so the ingest input is redriven.
 *
 * @example
 * await publishRotationEvidence(eventBridge, 'glasswatch-incidents', detection.rotationEvidence);
 */
export async function publishRotationEvidence(
  client: EventBridgeClient,
  busName: string,
  events: readonly AuditEvent[],
): Promise<void> {
  const entries = events.map((event) => evidenceEntry(event, busName));
  const starts = Array.from({ length: Math.ceil(entries.length / MAX_ENTRIES) }, (_, b) => b * MAX_ENTRIES);
  // Failures per batch, reported in the events' order whatever order the calls end in.
  const perBatch = await concurrently(starts, PUT_CONCURRENCY, async (i) => {
    const batch = entries.slice(i, i + MAX_ENTRIES);
    const ids = events.slice(i, i + MAX_ENTRIES).map((e) => e.id.slice(0, 120));
    try {
      const output = await client.send(new PutEventsCommand({ Entries: batch }));
      return (output.Entries ?? []).flatMap((result, j) =>
        result.ErrorCode ? [`rotation evidence ${ids[j]}: ${result.ErrorCode} ${result.ErrorMessage ?? ''}`] : [],
      );
    } catch (error) {
      return ids.map((id) => `rotation evidence ${id}: ${describeAwsError(error)}`);
    }
  });
  const failures = perBatch.flat();
  if (failures.length > 0)
    throw new PublishError(
      busName,
      failures.map((f) => f.trim()),
    );
}

/**
 * What the responders check of an evidence event before matching it against rotation watches. The bus
 * is this stack's own (only its functions may put `source: glasswatch` there), so the shape is checked,
 * not every field: the matching reads `cloud`, `source`, `service`, `action`, `outcome`, `actor`,
 * `targets`, `resources`, `account` and the times.
 */
const evidenceEvent = z.object({
  source: z.literal(INCIDENT_EVENT_SOURCE),
  'detail-type': z.literal(ROTATION_EVIDENCE_DETAIL_TYPE),
  detail: z.looseObject({
    id: z.string().min(1).max(600),
    cloud: z.enum(['aws', 'gcp', 'azure']),
    source: z.string().min(1),
    time: z.iso.datetime({ offset: true }),
    timeMs: z.number().int(),
    service: z.string(),
    action: z.string(),
    outcome: z.string(),
    actor: z.looseObject({}),
    targets: z.array(z.looseObject({})),
    resources: z.array(z.string()),
    origin: z.looseObject({ location: z.string() }),
  }),
});

/** Is this parsed message body a rotation-evidence event (by its detail-type)? */
export function isEvidenceMessage(body: unknown): boolean {
  return (
    typeof body === 'object' &&
    body !== null &&
    (body as Record<string, unknown>)['detail-type'] === ROTATION_EVIDENCE_DETAIL_TYPE
  );
}

/**
 * Reads an evidence event back into an AuditEvent (`raw: null`: it did not travel). Returns an Error
 * naming the first bad field.
 */
export function parseEvidenceEvent(body: unknown): AuditEvent | Error {
  const parsed = evidenceEvent.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return new Error(
      `not a rotation evidence event: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return { ...(parsed.data.detail as unknown as EvidenceDetail), raw: null };
}
