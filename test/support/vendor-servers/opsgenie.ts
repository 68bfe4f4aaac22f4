import { randomUUID } from 'node:crypto';
import { type Received, type Reply, VendorServer } from './base.js';

/**
 * Opsgenie Alert API v2 as documented (docs.opsgenie.com "Alert API"): `Authorization: GenieKey <key>`;
 * `POST /v2/alerts` (message ≤ 130 required, alias ≤ 512, description ≤ 15,000, priority P1–P5);
 * `PUT /v2/alerts/{id}/priority`, `POST /v2/alerts/{id}/notes`, `POST /v2/alerts/{id}/close` with
 * `identifierType=alias`; every accepted request answers 202 `{result:"Request will be processed",
 * took, requestId}` and is processed asynchronously. One open alert per alias: a repeated create
 * only counts up. Invalid bodies answer 422, a wrong key 401.
 */
export interface OpsgenieAlert {
  alias: string;
  message: string;
  priority: string;
  status: 'open' | 'closed';
  count: number;
  notes: string[];
}

const PRIORITIES = new Set(['P1', 'P2', 'P3', 'P4', 'P5']);

export class OpsgenieServer extends VendorServer {
  readonly alerts = new Map<string, OpsgenieAlert>();
  /** Every alert created, in order: each one notified a human. */
  readonly opened: OpsgenieAlert[] = [];

  constructor(readonly apiKey: string) {
    super();
  }

  protected route(request: Received): Reply {
    if (request.headers.authorization !== `GenieKey ${this.apiKey}`) {
      return { status: 401, body: { message: 'Could not authenticate', took: 0, requestId: randomUUID() } };
    }
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (request.method === 'POST' && request.path === '/v2/alerts') return this.create(body);
    const match = /^\/v2\/alerts\/([^/]+)\/(priority|notes|close)$/.exec(request.path);
    if (!match?.[1] || request.query.get('identifierType') !== 'alias')
      return { status: 404, body: { message: 'Not found' } };
    const alert = this.alerts.get(decodeURIComponent(match[1]));
    const verb = match[2];
    if (verb === 'priority' && request.method === 'PUT') {
      if (typeof body.priority !== 'string' || !PRIORITIES.has(body.priority))
        return invalid({ priority: 'must be one of P1-P5' });
      if (alert) alert.priority = body.priority;
    } else if (verb === 'notes' && request.method === 'POST') {
      if (typeof body.note !== 'string' || body.note.length === 0 || body.note.length > 25_000)
        return invalid({ note: 'required, at most 25000 characters' });
      alert?.notes.push(body.note);
    } else if (verb === 'close' && request.method === 'POST') {
      if (alert) alert.status = 'closed';
    } else return { status: 405, body: { message: 'Method not allowed' } };
    return accepted();
  }

  private create(body: Record<string, unknown>): Reply {
    const errors: Record<string, string> = {};
    if (typeof body.message !== 'string' || body.message.length === 0 || body.message.length > 130)
      errors.message = 'required, at most 130 characters';
    if (body.alias !== undefined && (typeof body.alias !== 'string' || body.alias.length > 512))
      errors.alias = 'at most 512 characters';
    if (body.description !== undefined && (typeof body.description !== 'string' || body.description.length > 15_000))
      errors.description = 'at most 15000 characters';
    if (body.priority !== undefined && (typeof body.priority !== 'string' || !PRIORITIES.has(body.priority)))
      errors.priority = 'must be one of P1-P5';
    if (body.details !== undefined && JSON.stringify(body.details).length > 8_000)
      errors.details = 'at most 8000 characters';
    if (Object.keys(errors).length > 0) return invalid(errors);
    const alias = (body.alias as string | undefined) ?? (body.message as string);
    const existing = this.alerts.get(alias);
    if (existing?.status === 'open') existing.count++;
    else {
      const alert: OpsgenieAlert = {
        alias,
        message: body.message as string,
        priority: (body.priority as string | undefined) ?? 'P3',
        status: 'open',
        count: 1,
        notes: [],
      };
      this.alerts.set(alias, alert);
      this.opened.push(alert);
    }
    return accepted();
  }
}

function accepted(): Reply {
  return { status: 202, body: { result: 'Request will be processed', took: 0.01, requestId: randomUUID() } };
}

function invalid(errors: Record<string, string>): Reply {
  return {
    status: 422,
    body: {
      message: 'Request body is not processable. Please check the errors.',
      errors,
      took: 0,
      requestId: randomUUID(),
    },
  };
}
