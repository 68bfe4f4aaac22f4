import { type Received, type Reply, VendorServer } from './base.js';

/**
 * PagerDuty Events API v2, as documented (developer.pagerduty.com, "Send an Alert Event" and the
 * events-v2 OpenAPI): `POST /v2/enqueue`; 202 `{status:"success", message:"Event processed", dedup_key}`;
 * 400 `{status:"invalid event", message:"Event object is invalid", errors:[…]}` for a bad event.
 * Dedup: events with the same routing_key + dedup_key apply to the one open alert; after a resolve, a
 * trigger opens a new alert, and acknowledge/resolve for an unknown key are dropped.
 */
export interface PagerDutyAlert {
  dedupKey: string;
  status: 'triggered' | 'resolved';
  severity: string;
  summary: string;
  triggers: number;
}

const SEVERITIES = new Set(['critical', 'error', 'warning', 'info']);
const ACTIONS = new Set(['trigger', 'acknowledge', 'resolve']);

export class PagerDutyServer extends VendorServer {
  /** Open and resolved alerts by `${routing_key}/${dedup_key}`. */
  readonly alerts = new Map<string, PagerDutyAlert>();
  /** Every alert opened, in order: each entry is one page to a human. */
  readonly opened: PagerDutyAlert[] = [];

  get eventsUrl(): string {
    return `${this.url}/v2/enqueue`;
  }

  protected route(request: Received): Reply {
    if (request.method !== 'POST' || request.path !== '/v2/enqueue')
      return { status: 404, body: { status: 'Not found' } };
    const event = request.body as Record<string, unknown> | undefined;
    if (!event || typeof event !== 'object') {
      return {
        status: 400,
        body: {
          status: 'Unrecognized object',
          message: 'Event object format is unrecognized',
          errors: ['JSON parse error'],
        },
      };
    }
    const errors = validate(event);
    if (errors.length > 0)
      return { status: 400, body: { status: 'invalid event', message: 'Event object is invalid', errors } };
    const routingKey = event.routing_key as string;
    const action = event.event_action as string;
    const dedupKey = (event.dedup_key as string | undefined) ?? `generated-${this.received.length}`;
    const id = `${routingKey}/${dedupKey}`;
    const alert = this.alerts.get(id);
    if (action === 'trigger') {
      const payload = event.payload as { summary: string; severity: string };
      if (!alert || alert.status === 'resolved') {
        const opened: PagerDutyAlert = {
          dedupKey,
          status: 'triggered',
          severity: payload.severity,
          summary: payload.summary,
          triggers: 1,
        };
        this.alerts.set(id, opened);
        this.opened.push(opened);
      } else {
        alert.triggers++;
        alert.severity = payload.severity;
      }
    } else if (action === 'resolve' && alert?.status === 'triggered') {
      alert.status = 'resolved';
    }
    return { status: 202, body: { status: 'success', message: 'Event processed', dedup_key: dedupKey } };
  }
}

function validate(event: Record<string, unknown>): string[] {
  const errors: string[] = [];
  const { routing_key: key, event_action: action, dedup_key: dedup, payload } = event;
  if (typeof key !== 'string' || key.length !== 32)
    errors.push("Length of 'routing_key' is incorrect (should be 32 characters)");
  if (typeof action !== 'string' || !ACTIONS.has(action))
    errors.push("'event_action' is invalid (must be one of: trigger, acknowledge, resolve)");
  if (dedup !== undefined && (typeof dedup !== 'string' || dedup.length > 255))
    errors.push("'dedup_key' must be a string of at most 255 characters");
  if (action !== 'trigger' && dedup === undefined) errors.push("'dedup_key' is required for acknowledge and resolve");
  if (action === 'trigger') {
    const p = payload as Record<string, unknown> | undefined;
    if (!p || typeof p !== 'object') errors.push("'payload' is missing or not an object");
    else {
      if (typeof p.summary !== 'string' || p.summary.length === 0) errors.push("'payload.summary' is missing");
      else if (p.summary.length > 1024) errors.push("'payload.summary' is longer than 1024 characters");
      if (typeof p.source !== 'string' || p.source.length === 0) errors.push("'payload.source' is missing");
      if (typeof p.severity !== 'string' || !SEVERITIES.has(p.severity))
        errors.push("'payload.severity' is invalid (must be one of: critical, error, warning, info)");
      if (p.timestamp !== undefined && (typeof p.timestamp !== 'string' || Number.isNaN(Date.parse(p.timestamp))))
        errors.push("'payload.timestamp' is not a valid timestamp");
      if (p.custom_details !== undefined && (typeof p.custom_details !== 'object' || p.custom_details === null))
        errors.push("'payload.custom_details' must be an object");
    }
  }
  return errors;
}
