import { createHash } from 'node:crypto';
import type { LogsQueryClient, LogsTable } from '@azure/monitor-query-logs';
import {
  type CursorItem,
  type FailureVerdict,
  isRetryableStatus,
  type PollSource,
  type PollWindow,
  parseRetryAfter,
  type RetryDeps,
  type RetryPolicy,
  retryDelay,
  SOURCE_RETRY_POLICY,
  SourcePagingError,
  SourceUnavailableError,
  withRetries,
} from '../../core/ingest/cursor/index.js';
import { INGESTED_AT_COLUMN, type KqlQuery, windowedKql } from '../../core/ingest/filters/index.js';
import { LOG_ANALYTICS_FORMAT } from '../../core/normalize/azure/index.js';
import { cap, isObject, type JsonObject } from '../../core/normalize/fields.js';

/** The one method of the Azure Monitor logs query client the poller calls: the SDK boundary tests script. */
export type LogsQueryApi = Pick<LogsQueryClient, 'queryWorkspace'>;

export interface LogAnalyticsSourceOptions {
  workspaceId: string;
  /** `entraQueries(registry)`. */
  queries: KqlQuery[];
  /** Rows per query page. Sign-in rows are 5–10 KB, so 2,000 stays far under the ~100 MiB (64 MB compressed) response limit. */
  pageSize?: number;
  /** Server-side query timeout; the API allows up to 600 s. */
  serverTimeoutInSeconds?: number;
  retry?: RetryPolicy;
  deps: RetryDeps & { now(): number };
}

/** A partial result is never used: it may be missing rows in the middle, and the cursor would step over them. */
const MIN_PAGE_SIZE = 50;
/** `TimeGenerated` is stamped before ingestion; a little slack past the window end covers clock differences. */
const TIMESPAN_SLACK_MS = 5 * 60_000;

/**
 * Log Analytics as a pull source: per table, the rows ingested in the poll window, oldest ingestion
 * first, in pages of `take` rows continued from the last ingestion time read (rows sharing it are read
 * again and dropped by the poll's dedup). Limits of the query API
 * (https://learn.microsoft.com/azure/azure-monitor/service-limits#la-query-api):
 * - throttling (HTTP 429, 200 requests per 30 s per user) and 5xx are retried with backoff and Retry-After;
 * - a `PartialFailure` (result over 500,000 rows or ~100 MiB, a shard timing out) is discarded and the
 *   page asked again with half the rows, down to 50, then retried as a failure.
 * The SDK turns `datetime` columns into `Date`s; rows are handed on with ISO strings, as the REST API writes them.
 */
export class LogAnalyticsSource implements PollSource {
  readonly name: string;
  private readonly pageSize: number;
  private readonly retry: RetryPolicy;

  constructor(
    private readonly client: LogsQueryApi,
    private readonly options: LogAnalyticsSourceOptions,
  ) {
    this.name = `azure-log-analytics:${options.workspaceId}`;
    this.pageSize = Math.max(MIN_PAGE_SIZE, options.pageSize ?? 2_000);
    this.retry = options.retry ?? SOURCE_RETRY_POLICY;
  }

  async *pages(window: PollWindow): AsyncIterable<CursorItem[]> {
    for (const query of this.options.queries) yield* this.tablePages(query, window);
  }

  private async *tablePages(query: KqlQuery, window: PollWindow): AsyncIterable<CursorItem[]> {
    let fromMs = window.fromMs;
    let take = this.pageSize;
    let partialFailures = 0;
    for (let page = 1; ; page++) {
      const where = `${this.name} ${query.table} page ${page}`;
      const kql = windowedKql(query, { fromMs, toMs: window.toMs }, take);
      const result = await withRetries(
        where,
        () =>
          this.client.queryWorkspace(
            this.options.workspaceId,
            kql,
            { startTime: new Date(window.eventFromMs), endTime: new Date(window.toMs + TIMESPAN_SLACK_MS) },
            { serverTimeoutInSeconds: this.options.serverTimeoutInSeconds ?? 180 },
          ),
        (error) => classifyAzureError(error, this.options.deps.now()),
        this.retry,
        this.options.deps,
      );
      if (result.status === 'PartialFailure') {
        const reason = `partial result (${cap(String(result.partialError?.code ?? ''), 60)}: ${cap(String(result.partialError?.message ?? ''), 200)})`;
        if (take > MIN_PAGE_SIZE) {
          take = Math.max(MIN_PAGE_SIZE, Math.floor(take / 2));
        } else if (++partialFailures >= this.retry.attempts) {
          throw new SourceUnavailableError(where, partialFailures, reason);
        } else {
          await this.options.deps.sleep(
            retryDelay(partialFailures - 1, undefined, this.retry, this.options.deps.random),
          );
        }
        page--;
        continue;
      }
      const items = result.tables.flatMap((table) => tableItems(table, query, where));
      yield items;
      if (items.length < take) return;
      let lastMs = fromMs;
      for (const item of items)
        if (item.cursorTimeMs !== undefined && item.cursorTimeMs > lastMs) lastMs = item.cursorTimeMs;
      if (lastMs <= fromMs) {
        throw new SourcePagingError(
          where,
          `${items.length} rows share ingestion time ${new Date(fromMs).toISOString()}: raise the page size above ${take}`,
        );
      }
      fromMs = lastMs;
    }
  }
}

function tableItems(table: LogsTable, query: KqlQuery, where: string): CursorItem[] {
  const names = table.columnDescriptors.map((c, i) =>
    typeof c.name === 'string' && c.name !== '' ? c.name : `column${i}`,
  );
  const cursorColumn = names.indexOf(INGESTED_AT_COLUMN);
  const template = rowTemplate(names);
  return table.rows.map((values, index) => {
    const row: JsonObject = { ...template };
    for (let c = 0; c < names.length; c++) row[names[c] as string] = jsonValue(values[c]);
    const ingested = cursorColumn === -1 ? undefined : values[cursorColumn];
    const cursorTimeMs =
      ingested instanceof Date ? ingested.getTime() : typeof ingested === 'string' ? Date.parse(ingested) : Number.NaN;
    return {
      id: rowId(query, row),
      cursorTimeMs: Number.isNaN(cursorTimeMs) ? undefined : cursorTimeMs,
      record: { format: LOG_ANALYTICS_FORMAT, value: row, origin: { location: where, index } },
    };
  });
}

/**
 * An object with every column as an own property, copied once per row and then filled. Built by
 * JSON.parse, which defines (never sets) its keys: a column named `__proto__` becomes an ordinary own
 * property, so filling the copy cannot reach the prototype. It also gives every row of a page the
 * same fast shape, which the normalizer's many field reads profit from.
 */
function rowTemplate(names: readonly string[]): JsonObject {
  return JSON.parse(`{${names.map((name) => `${JSON.stringify(name)}:null`).join(',')}}`) as JsonObject;
}

/** Dates as the REST API writes them (ISO 8601); everything else as the SDK parsed it. */
function jsonValue(value: unknown): unknown {
  return value instanceof Date ? (Number.isNaN(value.getTime()) ? null : value.toISOString()) : value;
}

/** `SigninLogs|<Id>`; a row without its id column gets a digest of its content, so it is still read once. */
function rowId(query: KqlQuery, row: JsonObject): string {
  const id = row[query.idColumn];
  if (typeof id === 'string' && id !== '') return `${query.table}|${id}`;
  return `${query.table}|digest:${createHash('sha256').update(JSON.stringify(row)).digest('base64url')}`;
}

/**
 * Azure SDK errors (`RestError`: `statusCode`, `response.headers`), read structurally. No status:
 * a network failure (`REQUEST_SEND_ERROR`, reset, timeout), retried.
 */
export function classifyAzureError(error: unknown, nowMs: number): FailureVerdict {
  const e = (isObject(error) ? error : {}) as Record<string, unknown>;
  const message = cap(error instanceof Error ? error.message : String(error), 300);
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  if (status === undefined) return { retryable: true, describe: `Log Analytics network error: ${message}` };
  const headers = isObject(e.response)
    ? (e.response.headers as { get?: (name: string) => string | undefined })
    : undefined;
  const retryAfter = typeof headers?.get === 'function' ? headers.get('retry-after') : undefined;
  return {
    retryable: isRetryableStatus(status),
    retryAfterMs: parseRetryAfter(retryAfter, nowMs),
    describe: `Log Analytics ${status}: ${message}`,
  };
}
