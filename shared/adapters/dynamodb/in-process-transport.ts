import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import type { HttpRequest, HttpResponse, RequestHandler } from '@smithy/types';

/**
 * The SDK client's transport to an embedded dynalite in the same process: the request the client built
 * goes straight to dynalite's own request listener and its answer straight back, without a socket.
 * Everything else is unchanged — the client's commands, marshalling and retries (signing is a fixed
 * header, see local-dynalite.ts), and dynalite's header checks, validation and storage. A replay makes
 * ~1,500 store calls; over loopback HTTP each cost ~1.3 ms of one core, about a third of it in the two
 * HTTP stacks and the wait between them.
 */
export class InProcessTransport implements RequestHandler<HttpRequest, HttpResponse> {
  private readonly listener: (req: unknown, res: unknown) => void;

  constructor(server: Server) {
    const [listener] = server.listeners('request');
    if (!listener) throw new Error('in-process DynamoDB transport: the dynalite server has no request listener');
    this.listener = listener as (req: unknown, res: unknown) => void;
  }

  handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
    return new Promise((resolve) => {
      // What dynalite reads of a request (Node's http server lower-cases header names too).
      const req = Object.assign(new EventEmitter(), {
        method: request.method,
        url: request.path + queryOf(request.query),
        headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v])),
      });
      const headers: Record<string, string> = {};
      // What dynalite writes of a response: status, headers, one body.
      const res = {
        statusCode: 200,
        contentType: undefined as string | undefined,
        setHeader(name: string, value: string | number) {
          headers[name.toLowerCase()] = String(value);
        },
        end(body?: string) {
          resolve({ response: { statusCode: res.statusCode, headers, body: Buffer.from(body ?? '', 'utf8') } });
        },
      };
      this.listener(req, res);
      const body = bytesOf(request.body as string | Uint8Array | undefined);
      if (body.length > 0) req.emit('data', body);
      req.emit('end');
    });
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }
}

function queryOf(query: HttpRequest['query']): string {
  const pairs = Object.entries(query ?? {}).flatMap(([key, value]) =>
    (Array.isArray(value) ? value : [value]).map(
      (v) => `${encodeURIComponent(key)}${v === null ? '' : `=${encodeURIComponent(v)}`}`,
    ),
  );
  return pairs.length > 0 ? `?${pairs.join('&')}` : '';
}

/**
 * The body's bytes: the SDK's JSON serializer hands a Uint8Array whose valueOf() is a string (which
 * Buffer.from(value) would take, with a deprecation warning), so its memory is viewed, not converted.
 */
function bytesOf(body: string | Uint8Array | undefined): Buffer {
  if (body === undefined) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}
