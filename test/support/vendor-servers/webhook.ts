import { type Received, type Reply, VendorServer } from './base.js';

/**
 * A Slack incoming webhook (200 `ok`; 400 `invalid_payload` without `text`) or a Teams Workflows
 * webhook (202 for a message with an attachment). Records each message for rendering checks.
 */
export class WebhookServer extends VendorServer {
  constructor(readonly kind: 'slack' | 'teams') {
    super();
  }

  get webhookUrl(): string {
    return `${this.url}/services/T000/B000/XXXXSECRET`;
  }

  protected route(request: Received): Reply {
    if (request.method !== 'POST' || !request.path.startsWith('/services/')) return { status: 404, body: 'no_service' };
    const body = request.body as { text?: unknown; attachments?: unknown } | undefined;
    if (this.kind === 'slack') {
      return typeof body?.text === 'string' && body.text !== ''
        ? { status: 200, body: 'ok' }
        : { status: 400, body: 'invalid_payload' };
    }
    return Array.isArray(body?.attachments) && body.attachments.length > 0
      ? { status: 202 }
      : { status: 400, body: 'invalid payload' };
  }

  messages(): unknown[] {
    return this.processed()
      .filter((r) => r.status !== undefined && r.status < 300)
      .map((r) => r.body);
  }
}
