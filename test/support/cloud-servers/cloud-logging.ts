import { type Received, type Reply, VendorServer } from '../vendor-servers/base.js';
import { compileLoggingFilter } from './logging-filter.js';

/**
 * Cloud Logging's `entries.list` and the Security Token Service a workload-identity-federation
 * credential trades its subject token with, on one local server, as documented:
 * - `POST /v1/token` (sts.googleapis.com, RFC 8693 token exchange, form-encoded): the configured
 *   audience and subject token, `grant_type=urn:ietf:params:oauth:grant-type:token-exchange`, a scope
 *   → `{access_token, issued_token_type, token_type: "Bearer", expires_in}`; 400 `invalid_grant` else.
 * - `POST /v2/entries:list` (logging.googleapis.com REST reference): a Bearer token STS issued (401
 *   `UNAUTHENTICATED` otherwise); `resourceNames` of projects/organizations/folders/billingAccounts,
 *   `pageSize` ≤ 1000, `orderBy` `timestamp asc|desc` (400 `INVALID_ARGUMENT` otherwise); the filter
 *   evaluated on the stored entries ({@link compileLoggingFilter}); an opaque `nextPageToken` while more
 *   remain (a page may be empty and still carry one). Throttling: the fault script (429 with
 *   `Retry-After`, 503).
 */
export class CloudLoggingServer extends VendorServer {
  private readonly entries: Record<string, unknown>[] = [];
  private readonly tokens = new Set<string>();
  private readonly sinks = new Map<string, Record<string, unknown>>();
  private readonly deniedSinks = new Set<string>();
  /** Empty pages (with a token) answered before the first real page of each query. */
  emptyPagesFirst = 0;

  constructor(
    readonly audience: string,
    readonly subjectToken: string,
  ) {
    super();
  }

  get entriesListUrl(): string {
    return `${this.url}/v2/entries:list`;
  }

  get tokenUrl(): string {
    return `${this.url}/v1/token`;
  }

  /** Stores an entry as Cloud Logging received it at `receiveTimestamp`. */
  receive(entry: Record<string, unknown>, receiveTimestamp: string): void {
    this.entries.push({ ...structuredClone(entry), receiveTimestamp });
  }

  /** A sink as `gcloud logging sinks create --organization … --include-children` leaves it; `changes` edit it. */
  putSink(name: string, destination: string, filter: string, changes: Record<string, unknown> = {}): void {
    const id = name.split('/').pop() ?? name;
    this.sinks.set(name, {
      name: id,
      resourceName: name,
      destination,
      filter,
      writerIdentity: `serviceAccount:o${name.split('/')[1]}-000000@gcp-sa-logging.iam.gserviceaccount.com`,
      includeChildren: true,
      createTime: '2026-11-01T09:00:00.000000Z',
      updateTime: '2026-11-01T09:00:00.000000Z',
      ...changes,
    });
  }

  deleteSink(name: string): void {
    this.sinks.delete(name);
  }

  /** The caller lacks `logging.sinks.get` on this sink. */
  denySink(name: string): void {
    this.deniedSinks.add(name);
  }

  /** entries.list requests that were answered with entries (for assertions on filters and paging). */
  listRequests(): { filter: string; resourceNames: string[]; pageToken?: string }[] {
    return this.received
      .filter((r) => r.path === '/v2/entries:list' && r.status === 200)
      .map((r) => r.body as { filter: string; resourceNames: string[]; pageToken?: string });
  }

  protected override refuseMediaType(request: Received): Reply | undefined {
    if (request.path === '/v1/token')
      return /^application\/x-www-form-urlencoded\b/i.test(String(request.headers['content-type']))
        ? undefined
        : googleError(400, 'INVALID_ARGUMENT', 'token exchange takes a form-encoded body');
    return super.refuseMediaType(request);
  }

  protected route(request: Received): Reply {
    if (request.method === 'POST' && request.path === '/v1/token') return this.exchange(request);
    if (request.method === 'POST' && request.path === '/v2/entries:list') return this.list(request);
    const sink = /^\/v2\/((projects|organizations|folders|billingAccounts)\/[^/]+\/sinks\/[^/]+)$/.exec(request.path);
    if (request.method === 'GET' && sink?.[1]) return this.getSink(request, decodeURIComponent(sink[1]));
    return googleError(404, 'NOT_FOUND', `no route ${request.method} ${request.path}`);
  }

  private exchange(request: Received): Reply {
    const form = new URLSearchParams(request.raw);
    const valid =
      form.get('grant_type') === 'urn:ietf:params:oauth:grant-type:token-exchange' &&
      form.get('audience') === this.audience &&
      form.get('subject_token') === this.subjectToken &&
      (form.get('scope') ?? '').split(' ').some((s) => s.startsWith('https://www.googleapis.com/auth/'));
    if (!valid) return { status: 400, body: { error: 'invalid_grant', error_description: 'token exchange refused' } };
    const token = `ya29.local-${this.tokens.size + 1}`;
    this.tokens.add(token);
    return {
      status: 200,
      body: {
        access_token: token,
        issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        token_type: 'Bearer',
        expires_in: 3600,
      },
    };
  }

  /** Whether the request carries a Bearer token this server's STS issued. */
  protected authorized(request: Received): boolean {
    const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
    return bearer !== undefined && this.tokens.has(bearer);
  }

  private getSink(request: Received, name: string): Reply {
    if (!this.authorized(request))
      return googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
    if (this.deniedSinks.has(name)) return googleError(403, 'PERMISSION_DENIED', 'The caller does not have permission');
    const found = this.sinks.get(name);
    if (!found) return googleError(404, 'NOT_FOUND', `Sink ${name.split('/').pop()} does not exist`);
    return { status: 200, body: structuredClone(found) };
  }

  private list(request: Received): Reply {
    if (!this.authorized(request))
      return googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
    const body = request.body as {
      resourceNames?: unknown;
      filter?: unknown;
      orderBy?: unknown;
      pageSize?: unknown;
      pageToken?: unknown;
    };
    const names = body?.resourceNames;
    if (
      !Array.isArray(names) ||
      names.length === 0 ||
      !names.every((n) => typeof n === 'string' && /^(projects|organizations|folders|billingAccounts)\/[^/]+/.test(n))
    )
      return googleError(
        400,
        'INVALID_ARGUMENT',
        'resourceNames: at least one projects/, organizations/, folders/ name',
      );
    const pageSize = body.pageSize ?? 50;
    if (typeof pageSize !== 'number' || pageSize < 1 || pageSize > 1000)
      return googleError(400, 'INVALID_ARGUMENT', 'pageSize must be between 1 and 1000');
    if (body.orderBy !== undefined && body.orderBy !== 'timestamp asc' && body.orderBy !== 'timestamp desc')
      return googleError(400, 'INVALID_ARGUMENT', 'orderBy: only "timestamp asc" or "timestamp desc"');
    let matches: (entry: unknown) => boolean;
    try {
      matches = compileLoggingFilter(typeof body.filter === 'string' ? body.filter : '');
    } catch (error) {
      return googleError(400, 'INVALID_ARGUMENT', `Unparseable filter: ${(error as Error).message}`);
    }
    const token = typeof body.pageToken === 'string' ? body.pageToken : undefined;
    if (token === undefined && this.emptyPagesFirst > 0) return page([], 'empty:1');
    if (token?.startsWith('empty:')) {
      const emptied = Number(token.slice('empty:'.length));
      if (emptied < this.emptyPagesFirst) return page([], `empty:${emptied + 1}`);
    }
    const offset = token?.startsWith('page:') ? Number(token.slice('page:'.length)) : 0;
    const desc = body.orderBy === 'timestamp desc';
    const selected = this.entries
      .filter((entry) => matches(entry))
      .sort(
        (a, b) =>
          (desc ? -1 : 1) *
          (String(a.timestamp).localeCompare(String(b.timestamp)) ||
            String(a.insertId).localeCompare(String(b.insertId))),
      );
    const slice = selected.slice(offset, offset + pageSize);
    return page(slice, offset + pageSize < selected.length ? `page:${offset + pageSize}` : undefined);
  }
}

function page(entries: unknown[], nextPageToken: string | undefined): Reply {
  return { status: 200, body: nextPageToken ? { entries, nextPageToken } : { entries } };
}

/** Google's JSON error body (google.rpc.Status in the REST mapping). */
export function googleError(code: number, status: string, message: string): Reply {
  return { status: code, body: { error: { code, message, status } } };
}
