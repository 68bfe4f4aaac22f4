import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A small HTTP server on 127.0.0.1:0 that plays a vendor's documented contract, with a fault script
 * (a queue consumed one request at a time, or a function deciding per request) and a record of every
 * request received, so tests can assert what was sent, how often, and how it was rendered.
 */

export type Fault =
  /** Answer with this status instead of processing (500, 503, 429 + Retry-After, 400…). */
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  /** Never answer and never process: the client's timeout fires. */
  | { kind: 'hang' }
  /** Process the request, then never answer: the answer is lost, the side effect happened. */
  | { kind: 'lost' }
  /** Drop the connection without an answer. */
  | { kind: 'reset' };

export interface Received {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  raw: string;
  /** Parsed JSON, or undefined when the body is not JSON. */
  body: unknown;
  /** The fault applied to this request, if any. */
  fault?: Fault['kind'];
  /** The status answered (undefined when none was). */
  status?: number;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export abstract class VendorServer {
  readonly received: Received[] = [];
  /** Faults applied to the next requests, in order. */
  readonly script: Fault[] = [];
  /** Decides a fault per request when the script is empty (random fault injection). */
  injector?: (request: Received) => Fault | undefined;
  /**
   * Called when the server has decided never to answer a request (a `hang`, or a `lost` answer after
   * processing): a test on an injected clock times the request out here, deterministically, instead of
   * waiting for a real-time timeout that a busy machine may stretch.
   */
  onNoAnswer?: (request: Received) => void;
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  url = '';

  /** The vendor's behaviour for one request that gets through. */
  protected abstract route(request: Received): Reply;

  /**
   * Every vendor API here takes JSON bodies and refuses others before routing (Jira and ServiceNow
   * answer 415 Unsupported Media Type; PagerDuty and Opsgenie document JSON only). A client that drops
   * its Content-Type header would pass a lenient server and fail against the real one.
   */
  protected refuseMediaType(request: Received): Reply | undefined {
    if (request.raw === '' || request.method === 'GET') return undefined;
    const type = String(request.headers['content-type'] ?? '');
    return /^application\/json\b/i.test(type)
      ? undefined
      : { status: 415, body: { message: `Unsupported Media Type: ${type || 'none'}` } };
  }

  /** Listens on 127.0.0.1:0; with `tls`, over HTTPS (for SDKs that send bearer tokens to https:// only). */
  async start(tls?: { cert: string; key: string }): Promise<this> {
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.onRequest(req, res);
    this.server = tls ? createTlsServer(tls, handler) : createServer(handler);
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Queues faults for the next requests. */
  fail(...faults: Fault[]): this {
    this.script.push(...faults);
    return this;
  }

  /** Requests that were processed (not swallowed by a fault before processing). */
  processed(): Received[] {
    return this.received.filter((r) => r.fault === undefined || r.fault === 'lost');
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const request: Received = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      raw,
      body: parseJson(raw),
    };
    this.received.push(request);
    const fault = this.script.shift() ?? this.injector?.(request);
    if (fault) request.fault = fault.kind;
    if (fault?.kind === 'hang') return void this.onNoAnswer?.(request);
    if (fault?.kind === 'reset') return void req.socket.destroy();
    if (fault?.kind === 'status') {
      request.status = fault.status;
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      return void res.end(fault.body ?? JSON.stringify({ message: `injected ${fault.status}` }));
    }
    const reply = this.refuseMediaType(request) ?? this.route(request);
    if (fault?.kind === 'lost') return void this.onNoAnswer?.(request);
    request.status = reply.status;
    const body =
      reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(body);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** `Authorization: Basic base64(user:secret)` → [user, secret]. */
export function basicCredentials(header: string | undefined): [string, string] | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : [decoded.slice(0, colon), decoded.slice(colon + 1)];
}

/** Every string anywhere inside a JSON value (to assert hostile text never reaches a vendor as markup). */
export function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(allStrings);
  return [];
}
