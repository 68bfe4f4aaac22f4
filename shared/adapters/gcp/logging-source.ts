import {
  type CursorItem,
  type FailureVerdict,
  isRetryableStatus,
  type PollSource,
  type PollWindow,
  parseRetryAfter,
  type RetryDeps,
  type RetryPolicy,
  SOURCE_RETRY_POLICY,
  withRetries,
} from '../../core/ingest/cursor/index.js';
import { cloudLoggingPollFilter } from '../../core/ingest/filters/index.js';
import { cap, isObject } from '../../core/normalize/fields.js';
import { GCP_LOG_ENTRY_FORMAT } from '../../core/normalize/gcp/index.js';
import type { EntriesClient } from './entries-client.js';
import { asLogEntryJson, logEntryId, receiveTimeMs } from './log-entry-json.js';

export interface CloudLoggingSourceOptions {
  /** Where to read: `organizations/123` (Workspace and every project), `folders/…`, `projects/…`. */
  resourceNames: string[];
  /** The registry filter (`cloudLoggingFilter(registry)`); the poll adds its receiveTimestamp window. */
  baseFilter: string;
  /** entries.list page size, at most 1000. */
  pageSize?: number;
  retry?: RetryPolicy;
  deps: RetryDeps & { now(): number };
}

/**
 * Cloud Logging as a pull source: every audit entry matching the registry filter whose
 * `receiveTimestamp` is in the poll window, page by page (pageToken). Throttling (429
 * RESOURCE_EXHAUSTED: 60 entries.list calls per minute per project) and 5xx are retried with
 * backoff, honouring Retry-After; a page that keeps failing aborts the poll before anything is
 * committed.
 *
 * @example
 * const source = new CloudLoggingSource(restEntriesClient(logging), { resourceNames: ['organizations/123'], baseFilter, deps });
 */
export class CloudLoggingSource implements PollSource {
  readonly name: string;
  private readonly pageSize: number;

  constructor(
    private readonly client: EntriesClient,
    private readonly options: CloudLoggingSourceOptions,
  ) {
    this.name = `gcp-logging:${options.resourceNames.join(',')}`;
    this.pageSize = Math.min(1000, Math.max(1, options.pageSize ?? 1000));
  }

  async *pages(window: PollWindow): AsyncIterable<CursorItem[]> {
    const filter = cloudLoggingPollFilter(this.options.baseFilter, window);
    let pageToken: string | undefined;
    let page = 0;
    do {
      page++;
      const where = `${this.name} entries.list page ${page}`;
      const token = pageToken;
      const response = await withRetries(
        where,
        () =>
          this.client.list({
            resourceNames: this.options.resourceNames,
            filter,
            orderBy: 'timestamp asc',
            pageSize: this.pageSize,
            ...(token ? { pageToken: token } : {}),
          }),
        (error) => classifyGoogleError(error, this.options.deps.now()),
        this.options.retry ?? SOURCE_RETRY_POLICY,
        this.options.deps,
      );
      const entries = Array.isArray(response.entries) ? response.entries : [];
      yield entries.map((entry, index) => toItem(entry, { location: where, index }));
      pageToken =
        typeof response.nextPageToken === 'string' && response.nextPageToken !== ''
          ? response.nextPageToken
          : undefined;
    } while (pageToken);
  }
}

function toItem(entry: unknown, origin: { location: string; index: number }): CursorItem {
  const record = { format: GCP_LOG_ENTRY_FORMAT, value: entry, origin };
  if (!isObject(entry)) {
    return {
      id: `${origin.location}#${origin.index}`,
      cursorTimeMs: undefined,
      record,
      rejected: new Error(`${origin.location}#${origin.index}: not a LogEntry object`),
    };
  }
  const item: CursorItem = { id: logEntryId(entry), cursorTimeMs: receiveTimeMs(entry), record };
  try {
    asLogEntryJson(entry, `${origin.location}#${origin.index}`);
  } catch (error) {
    item.rejected = error as Error;
  }
  return item;
}

/**
 * Google API errors as gaxios raises them: `response.status` (or `status`/`code`) and a Retry-After
 * header (plain object in gaxios 6, `Headers` in gaxios 7). No response at all (reset, DNS, timeout)
 * is a network failure: retried.
 */
export function classifyGoogleError(error: unknown, nowMs: number): FailureVerdict {
  const e = (isObject(error) ? error : {}) as Record<string, unknown>;
  const response = isObject(e.response) ? e.response : undefined;
  const status = [response?.status, e.status, e.code].find((v): v is number => typeof v === 'number');
  const message = cap(error instanceof Error ? error.message : String(error), 300);
  if (status === undefined) {
    return { retryable: true, describe: `Cloud Logging network error: ${message}` };
  }
  return {
    retryable: isRetryableStatus(status),
    retryAfterMs: parseRetryAfter(header(response?.headers, 'retry-after'), nowMs),
    describe: `Cloud Logging ${status}: ${message}`,
  };
}

function header(headers: unknown, name: string): string | undefined {
  if (headers && typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  if (isObject(headers)) {
    const value = headers[name] ?? headers[name.toLowerCase()];
    return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}
