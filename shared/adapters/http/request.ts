import { excerpt } from '../../core/act/render/sanitize.js';
import { type AttemptResult, isRetryableStatus, parseRetryAfter } from '../../core/act/retry-policy.js';

/**
 * The one way responders speak HTTP: plain `fetch`, a per-request timeout (AbortSignal.timeout), no
 * redirects followed (a redirect must not carry credentials to another host), bounded response reads,
 * and vendor answers turned into an {@link AttemptResult} with credentials redacted from any excerpt.
 */

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  url: string;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  timeoutMs: number;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** A request that got no HTTP answer: timed out, refused, reset. Always worth retrying. */
export class HttpTransportError extends Error {
  override readonly name = 'HttpTransportError';
  constructor(
    readonly kind: 'timeout' | 'network',
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Longest response body read; vendor answers are a few hundred bytes. */
const MAX_BODY = 64 * 1024;

export async function httpRequest(request: HttpRequest, fetchImpl: FetchLike = fetch): Promise<HttpResponse> {
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  if (request.json !== undefined) headers['content-type'] = 'application/json';
  try {
    const response = await fetchImpl(request.url, {
      method: request.method,
      headers,
      ...(request.json !== undefined ? { body: JSON.stringify(request.json) } : {}),
      redirect: 'manual',
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    return { status: response.status, headers: response.headers, text: await readCapped(response) };
  } catch (error) {
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      throw new HttpTransportError('timeout', `timed out after ${request.timeoutMs} ms`, { cause: error });
    }
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    const code = (cause as { code?: unknown })?.code;
    const reason = typeof code === 'string' ? code : cause instanceof Error ? cause.message : 'network error';
    throw new HttpTransportError('network', reason, { cause: error });
  }
}

async function readCapped(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < MAX_BODY) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => undefined);
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, MAX_BODY));
}

export interface VendorCall {
  /** "pagerduty", "jira"… first word of every error. */
  vendor: string;
  /** Statuses that mean delivered (PagerDuty 202, Jira create 201…). */
  ok: readonly number[];
  /** Credential values to blank out of error excerpts. */
  secrets: readonly string[];
  now: () => number;
}

/** Sends and classifies: the result a driver returns. Never throws for vendor answers or network failures. */
export async function callVendor(
  request: HttpRequest,
  call: VendorCall,
  fetchImpl: FetchLike = fetch,
): Promise<{ result: AttemptResult; response?: HttpResponse }> {
  let response: HttpResponse;
  try {
    response = await httpRequest(request, fetchImpl);
  } catch (error) {
    const message = error instanceof HttpTransportError ? error.message : 'request failed';
    return { result: { ok: false, retryable: true, error: `${call.vendor}: ${excerpt(message, call.secrets)}` } };
  }
  if (call.ok.includes(response.status)) return { result: { ok: true }, response };
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), call.now());
  const detail =
    response.status >= 300 && response.status < 400 ? 'unexpected redirect' : excerpt(response.text, call.secrets);
  return {
    result: {
      ok: false,
      retryable: isRetryableStatus(response.status),
      status: response.status,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      error: `${call.vendor} ${response.status}: ${detail || '(empty body)'}`,
    },
    response,
  };
}

/** `https://x.atlassian.net/` + `/rest/api/3/issue` without doubled or missing slashes. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
}

/** Parses a JSON body; undefined when it is not JSON (the caller decides whether that matters). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * HTTP basic auth for a vendor (Jira: e-mail and API token; ServiceNow: user and password): the request
 * header, and the call description that blanks both the secret and the header out of error excerpts.
 */
export function basicAuthCall(
  vendor: string,
  user: string,
  secret: string,
  deps: { timeoutMs: number; now: () => number },
): { call: Omit<VendorCall, 'ok'>; request: { headers: Record<string, string>; timeoutMs: number } } {
  const authorization = `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
  return {
    call: { vendor, secrets: [secret, authorization], now: deps.now },
    request: { headers: { authorization }, timeoutMs: deps.timeoutMs },
  };
}
