import { type Received, type Reply, VendorServer } from './base.js';

/**
 * A Slack incoming webhook or a Teams Workflows webhook ("Post to a channel when a webhook request is
 * received"), holding each message to the shape the vendor documents so a renderer that drifts fails
 * here as it would in the channel:
 * - Slack (api.slack.com "Sending messages using incoming webhooks", "Handling errors"; Block Kit
 *   reference): JSON (or a form `payload=`), 200 `ok`; 400 `invalid_payload` for a body that is not a
 *   message object, `no_text` without `text`/`blocks`/`attachments`, `invalid_blocks` for blocks
 *   outside Block Kit (unknown type, a section text that is not a text object or over 3,000
 *   characters, more than 50 blocks), `too_many_attachments` over 100; 404 `no_service` elsewhere.
 * - Teams (Workflows webhook + Adaptive Cards schema): 202 for `{type:"message", attachments:[…]}`
 *   whose attachments are all `application/vnd.microsoft.card.adaptive` cards with a version and a
 *   body of known elements; 400 otherwise.
 */
export class WebhookServer extends VendorServer {
  constructor(readonly kind: 'slack' | 'teams') {
    super();
  }

  get webhookUrl(): string {
    return `${this.url}/services/T000/B000/XXXXSECRET`;
  }

  protected override refuseMediaType(request: Received): Reply | undefined {
    const type = String(request.headers['content-type'] ?? '');
    if (this.kind === 'slack' && /^application\/x-www-form-urlencoded\b/i.test(type)) return undefined;
    const refused = super.refuseMediaType(request);
    return refused && this.kind === 'slack' ? { status: 400, body: 'invalid_payload' } : refused;
  }

  protected route(request: Received): Reply {
    if (request.method !== 'POST' || !request.path.startsWith('/services/')) return { status: 404, body: 'no_service' };
    const error = this.kind === 'slack' ? slackError(slackBody(request)) : teamsError(request.body);
    if (this.kind === 'slack') return error ? { status: 400, body: error } : { status: 200, body: 'ok' };
    return error
      ? { status: 400, body: { error: { code: 'InvalidRequestContent', message: error } } }
      : { status: 202 };
  }

  messages(): unknown[] {
    return this.processed()
      .filter((r) => r.status !== undefined && r.status < 300)
      .map((r) => slackBodyOrJson(r));
  }
}

function slackBody(request: Received): unknown {
  return slackBodyOrJson(request);
}

/** Slack takes the message as JSON, or as the JSON text of a form field `payload`. */
function slackBodyOrJson(request: Received): unknown {
  if (request.body !== undefined) return request.body;
  const payload = new URLSearchParams(request.raw).get('payload');
  try {
    return payload === null ? undefined : JSON.parse(payload);
  } catch {
    return undefined;
  }
}

const SLACK_BLOCK_TYPES = new Set(['section', 'context', 'header', 'divider', 'rich_text', 'image', 'actions']);

function isTextObject(value: unknown, max: number, types = ['plain_text', 'mrkdwn']): boolean {
  const text = value as { type?: unknown; text?: unknown } | undefined;
  return (
    typeof text === 'object' &&
    text !== null &&
    types.includes(String(text.type)) &&
    typeof text.text === 'string' &&
    text.text.length > 0 &&
    text.text.length <= max
  );
}

function slackError(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'invalid_payload';
  const message = body as { text?: unknown; blocks?: unknown; attachments?: unknown };
  if (message.text !== undefined && typeof message.text !== 'string') return 'invalid_payload';
  const hasText = typeof message.text === 'string' && message.text !== '';
  if (!hasText && message.blocks === undefined && message.attachments === undefined) return 'no_text';
  if (message.attachments !== undefined) {
    if (!Array.isArray(message.attachments)) return 'invalid_attachments';
    if (message.attachments.length > 100) return 'too_many_attachments';
  }
  if (message.blocks === undefined) return undefined;
  if (!Array.isArray(message.blocks) || message.blocks.length === 0 || message.blocks.length > 50)
    return 'invalid_blocks';
  for (const block of message.blocks as { type?: unknown; text?: unknown; elements?: unknown }[]) {
    if (typeof block !== 'object' || block === null || !SLACK_BLOCK_TYPES.has(String(block.type)))
      return 'invalid_blocks';
    if (block.type === 'section' && block.text !== undefined && !isTextObject(block.text, 3_000))
      return 'invalid_blocks';
    if (block.type === 'header' && !isTextObject(block.text, 150, ['plain_text'])) return 'invalid_blocks';
    if (block.type === 'context' && (!Array.isArray(block.elements) || block.elements.length > 10))
      return 'invalid_blocks';
  }
  return undefined;
}

const CARD_ELEMENTS = new Set(['TextBlock', 'RichTextBlock', 'FactSet', 'Container', 'ColumnSet', 'Image']);

function teamsError(body: unknown): string | undefined {
  const message = body as { type?: unknown; attachments?: unknown } | undefined;
  if (typeof message !== 'object' || message === null) return 'the request body is not a JSON object';
  if (message.type !== 'message') return `type must be "message", got ${JSON.stringify(message.type)}`;
  if (!Array.isArray(message.attachments) || message.attachments.length === 0) return 'attachments is empty';
  for (const [i, attachment] of (message.attachments as Record<string, unknown>[]).entries()) {
    if (attachment?.contentType !== 'application/vnd.microsoft.card.adaptive')
      return `attachments[${i}].contentType is not an Adaptive Card`;
    const card = attachment.content as { type?: unknown; version?: unknown; body?: unknown } | undefined;
    if (card?.type !== 'AdaptiveCard' || typeof card.version !== 'string' || !Array.isArray(card.body))
      return `attachments[${i}].content is not an AdaptiveCard with a version and a body`;
    for (const [j, element] of (card.body as Record<string, unknown>[]).entries()) {
      if (!CARD_ELEMENTS.has(String(element?.type))) return `attachments[${i}].content.body[${j}]: unknown element`;
      if (element.type === 'TextBlock' && typeof element.text !== 'string')
        return `attachments[${i}].content.body[${j}]: TextBlock without text`;
      if (element.type === 'RichTextBlock') {
        const inlines = element.inlines;
        const valid =
          Array.isArray(inlines) &&
          inlines.every(
            (inline: unknown) =>
              typeof inline === 'string' ||
              ((inline as { type?: unknown })?.type === 'TextRun' &&
                typeof (inline as { text?: unknown }).text === 'string'),
          );
        if (!valid) return `attachments[${i}].content.body[${j}]: RichTextBlock inlines must be TextRuns`;
      }
    }
  }
  return undefined;
}
