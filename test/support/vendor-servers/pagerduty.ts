import { type Received, type Reply, VendorServer } from './base.js';

/**
 * PagerDuty Events API v2, as documented (developer.pagerduty.com, "Send an Alert Event" and the
 * events-v2 OpenAPI): `POST /v2/enqueue`; 202 `{status:"success", message:"Event processed", dedup_key}`;
 * 400 `{status:"invalid event", message:"Event object is invalid", errors:[…]}` for a bad event.
 * Dedup (Event Management, "Alert and incident deduplication"): a trigger whose routing_key +
 * dedup_key name an open alert — triggered *or acknowledged* — is appended to that alert's log and
 * notifies nobody; only a trigger with no open alert opens one, which notifies the on-call. After a
 * resolve, a trigger opens a new alert. `acknowledge` silences a triggered alert; acknowledge/resolve
 * for an unknown key are dropped.
 *
 * The REST API v2 part Glasswatch uses: `GET /incidents?incident_key=…` (List incidents) and `POST
 * /incidents/{id}/notes` (Create a note: `From` header required, 201), with `Authorization: Token
 * token=…` (401 otherwise).
 */
export interface PagerDutyAlert {
  dedupKey: string;
  /** REST incident id. */
  id: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  severity: string;
  summary: string;
  source: string;
  links: unknown[];
  triggers: number;
  /** Events appended to the alert's log after the one that opened it. */
  log: string[];
  notes: string[];
}

const SEVERITIES = new Set(['critical', 'error', 'warning', 'info']);
const ACTIONS = new Set(['trigger', 'acknowledge', 'resolve']);

export class PagerDutyServer extends VendorServer {
  /** Open and resolved alerts by `${routing_key}/${dedup_key}` (the latest alert of each key). */
  readonly alerts = new Map<string, PagerDutyAlert>();
  /** Every alert opened, in order: each entry notified the on-call once. */
  readonly opened: PagerDutyAlert[] = [];

  constructor(readonly restToken = 'u+PDrestTokenValue00') {
    super();
  }

  get eventsUrl(): string {
    return `${this.url}/v2/enqueue`;
  }

  /** How many times a human was notified: one per alert opened (a deduplicated trigger notifies nobody). */
  get notifications(): number {
    return this.opened.length;
  }

  /** A person acknowledges or resolves the alert in PagerDuty's web app. */
  byHuman(routingKey: string, dedupKey: string, status: 'acknowledged' | 'resolved'): void {
    const alert = this.alerts.get(`${routingKey}/${dedupKey}`);
    if (!alert || alert.status === 'resolved') throw new Error(`no open PagerDuty alert ${dedupKey}`);
    alert.status = status;
  }

  protected route(request: Received): Reply {
    if (request.path === '/incidents' || request.path.startsWith('/incidents/')) return this.rest(request);
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
      const payload = event.payload as { summary: string; severity: string; source: string };
      if (!alert || alert.status === 'resolved') {
        const opened: PagerDutyAlert = {
          dedupKey,
          id: `Q${String(this.opened.length + 1).padStart(6, '0')}`,
          status: 'triggered',
          severity: payload.severity,
          summary: payload.summary,
          source: payload.source,
          links: (event.links as unknown[] | undefined) ?? [],
          triggers: 1,
          log: [],
          notes: [],
        };
        this.alerts.set(id, opened);
        this.opened.push(opened);
      } else {
        alert.triggers++;
        alert.log.push(payload.summary);
      }
    } else if (action === 'acknowledge' && alert?.status === 'triggered') {
      alert.status = 'acknowledged';
    } else if (action === 'resolve' && alert && alert.status !== 'resolved') {
      alert.status = 'resolved';
    }
    return { status: 202, body: { status: 'success', message: 'Event processed', dedup_key: dedupKey } };
  }

  private rest(request: Received): Reply {
    if (request.headers.authorization !== `Token token=${this.restToken}`) {
      return { status: 401, body: { error: { message: 'Unauthorized', code: 2006 } } };
    }
    if (request.method === 'GET' && request.path === '/incidents') {
      const key = request.query.get('incident_key');
      const all = [...this.opened].reverse().filter((a) => key === null || a.dedupKey === key);
      return { status: 200, body: { incidents: all.map(incidentOf), limit: 25, offset: 0, more: false } };
    }
    const notes = /^\/incidents\/([A-Z0-9]+)\/notes$/.exec(request.path);
    if (request.method === 'POST' && notes) {
      const incident = this.opened.find((a) => a.id === notes[1]);
      if (!incident) return { status: 404, body: { error: { message: 'Not Found', code: 2100 } } };
      const from = request.headers.from;
      if (typeof from !== 'string' || !from.includes('@')) {
        return {
          status: 400,
          body: { error: { message: 'Invalid Input Provided', errors: ['From header is required'] } },
        };
      }
      const content = (request.body as { note?: { content?: unknown } } | undefined)?.note?.content;
      if (typeof content !== 'string' || content.length === 0 || content.length > 25_000) {
        return {
          status: 400,
          body: { error: { message: 'Invalid Input Provided', errors: ['Note content is invalid'] } },
        };
      }
      incident.notes.push(content);
      return { status: 201, body: { note: { id: `N${incident.notes.length}`, content } } };
    }
    return { status: 404, body: { error: { message: 'Not Found', code: 2100 } } };
  }
}

function incidentOf(alert: PagerDutyAlert) {
  return { id: alert.id, type: 'incident', incident_key: alert.dedupKey, status: alert.status, title: alert.summary };
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
    const links = event.links;
    if (
      links !== undefined &&
      (!Array.isArray(links) || links.some((l) => typeof (l as { href?: unknown })?.href !== 'string'))
    )
      errors.push("'links' must be an array of objects with an 'href'");
  }
  return errors;
}
