import type {
  EntriesClient,
  ListEntriesRequest,
  ListEntriesResponse,
} from '../../../shared/adapters/gcp/entries-client.js';

/**
 * A scripted Cloud Logging at the `entries.list` boundary. It holds LogEntries with the time Cloud
 * Logging received them, and answers a request as the REST API does: the entries whose
 * `receiveTimestamp` lies in the filter's window, ordered by `timestamp` then `insertId`, a page at a
 * time with an opaque page token, as JSON text parsed again (what goes over the wire). It reads only
 * the window out of the filter: the filter's principal clauses are checked as text in the unit tests,
 * and the rules decide here which entries matter.
 */
export class ScriptedCloudLogging implements EntriesClient {
  readonly requests: ListEntriesRequest[] = [];
  /** Thrown, one per call, before answering (throttling, outages). */
  readonly failures: unknown[] = [];
  /** Empty pages (with a next-page token) answered before the first real page of each query. */
  emptyPagesFirst = 0;
  private readonly stored: Record<string, unknown>[] = [];

  /** Stores an entry as received at `receiveTimestamp` (written into the entry, as Cloud Logging does). */
  receive(entry: Record<string, unknown>, receiveTimestamp: string): void {
    this.stored.push({ ...structuredClone(entry), receiveTimestamp });
  }

  async list(request: ListEntriesRequest): Promise<ListEntriesResponse> {
    this.requests.push(structuredClone(request));
    if (this.failures.length > 0) throw this.failures.shift();
    const from = match(request.filter, /receiveTimestamp>="([^"]+)"/);
    const to = match(request.filter, /receiveTimestamp<"([^"]+)"/);
    const token = request.pageToken;
    if (token === undefined && this.emptyPagesFirst > 0) return wire({ entries: [], nextPageToken: 'empty:1' });
    let offset = 0;
    if (token?.startsWith('empty:')) {
      const emptied = Number(token.slice('empty:'.length));
      if (emptied < this.emptyPagesFirst) return wire({ entries: [], nextPageToken: `empty:${emptied + 1}` });
    } else if (token !== undefined) offset = Number(token.slice('page:'.length));
    const matching = this.stored
      .filter((e) => {
        const received = Date.parse(String(e.receiveTimestamp));
        return received >= from && received < to;
      })
      .sort(
        (a, b) =>
          String(a.timestamp).localeCompare(String(b.timestamp)) ||
          String(a.insertId).localeCompare(String(b.insertId)),
      );
    const page = matching.slice(offset, offset + request.pageSize);
    const next = offset + request.pageSize < matching.length ? `page:${offset + request.pageSize}` : undefined;
    return wire(next ? { entries: page, nextPageToken: next } : { entries: page });
  }
}

function match(filter: string, pattern: RegExp): number {
  const found = pattern.exec(filter)?.[1];
  if (!found) throw new Error(`scripted Cloud Logging: filter without ${pattern}: ${filter}`);
  return Date.parse(found);
}

function wire(response: ListEntriesResponse): ListEntriesResponse {
  return JSON.parse(JSON.stringify(response)) as ListEntriesResponse;
}

/** A Google API error as gaxios raises it. */
export function googleApiError(status: number, retryAfter?: string): Error {
  return Object.assign(new Error(`Request failed with status code ${status}`), {
    status,
    response: { status, headers: retryAfter ? { 'retry-after': retryAfter } : {} },
  });
}
