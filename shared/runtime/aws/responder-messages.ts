import type { SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { INCIDENT_DETAIL_TYPES, INCIDENT_EVENT_SOURCE } from '../../adapters/aws/eventbridge-publisher.js';
import { type AftermathTrigger, parseAftermathTrigger, TRIGGER_SOURCE } from '../../core/act/aftermath/types.js';
import type { AuditEvent } from '../../core/model/audit-event.js';
import type { IncidentChange } from '../../core/model/incident.js';
import { isEvidenceMessage, parseEvidenceEvent } from './rotation-evidence.js';

/**
 * What arrives on the responders' queue, told apart by the body: incident changes and rotation
 * evidence (EventBridge events routed by the incident-change rule), and aftermath triggers (the input
 * of an EventBridge Scheduler one-time schedule, sent to the queue as is). Anything else is an Error
 * naming the message, so it is reported as a batch item failure and ends in the dead-letter queue.
 * A change read here is only a claim: the runtime acts on the stored incident (`stored-changes.ts`).
 */
export type ResponderMessage =
  | { kind: 'change'; messageId: string; change: IncidentChange }
  | { kind: 'evidence'; messageId: string; event: AuditEvent }
  | { kind: 'trigger'; messageId: string; trigger: AftermathTrigger };

/** The EventBridge event as the rule's SQS target delivers it; the change itself is our own JSON. */
const incidentEvent = z.object({
  source: z.literal(INCIDENT_EVENT_SOURCE),
  'detail-type': z.enum(Object.values(INCIDENT_DETAIL_TYPES) as [string, ...string[]]),
  detail: z
    .object({
      kind: z.enum(['opened', 'extended', 'closed']),
      incident: z.looseObject({ id: z.string().min(1), version: z.number().int(), events: z.array(z.unknown()) }),
      newEvents: z.array(z.looseObject({ id: z.string().min(1) })),
      previous: z.object({ severity: z.string(), detections: z.array(z.string()) }).optional(),
    })
    .loose(),
});

/** Reads one queue message; returns an Error (message id and first bad field) for anything unreadable. */
export function parseResponderMessage(record: SQSRecord): ResponderMessage | Error {
  const { messageId } = record;
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch (error) {
    return new Error(`message ${messageId}: body is not JSON: ${(error as Error).message.slice(0, 120)}`);
  }
  if (isTrigger(body)) {
    const trigger = parseAftermathTrigger(body);
    return trigger instanceof Error ? named(messageId, trigger) : { kind: 'trigger', messageId, trigger };
  }
  if (isEvidenceMessage(body)) {
    const event = parseEvidenceEvent(body);
    return event instanceof Error ? named(messageId, event) : { kind: 'evidence', messageId, event };
  }
  const parsed = incidentEvent.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return new Error(
      `message ${messageId}: not a Glasswatch incident change: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return { kind: 'change', messageId, change: parsed.data.detail as unknown as IncidentChange };
}

function isTrigger(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as Record<string, unknown>).source === TRIGGER_SOURCE;
}

function named(messageId: string, error: Error): Error {
  return new Error(`message ${messageId}: ${error.message}`, { cause: error });
}
