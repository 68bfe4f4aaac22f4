import type { LogsQueryResult, LogsTable } from '@azure/monitor-query-logs';
import type { LogsQueryApi } from '../../../shared/adapters/azure/log-analytics-source.js';

/**
 * A scripted Log Analytics workspace at the `LogsQueryClient.queryWorkspace` boundary. It holds rows
 * per table with the time each was ingested, and answers a query as the SDK hands results over: the
 * rows of the queried table ingested in the query's `ingestion_time()` window, oldest first, at most
 * `take`, with the cursor column added, as one table of `columnDescriptors` and value arrays where
 * `datetime` columns are `Date`s and `dynamic` columns parsed objects. It reads only the table, the
 * window and `take` out of the KQL (the KQL text is checked in the unit tests).
 */
export class ScriptedWorkspace implements LogsQueryApi {
  readonly queries: { kql: string; startTime: Date | undefined; endTime: Date | undefined }[] = [];
  /** Thrown, one per call, before answering. */
  readonly failures: unknown[] = [];
  /** Answer the next calls with a PartialFailure (as when a result passes ~100 MiB). */
  partialAnswers = 0;
  private readonly tables = new Map<string, { row: Record<string, unknown>; ingestedMs: number }[]>();

  ingest(table: string, row: Record<string, unknown>, ingestedAt: string | number): void {
    const rows = this.tables.get(table) ?? [];
    rows.push({
      row: structuredClone(row),
      ingestedMs: typeof ingestedAt === 'number' ? ingestedAt : Date.parse(ingestedAt),
    });
    this.tables.set(table, rows);
  }

  async queryWorkspace(_workspace: string, kql: string, timespan: unknown): Promise<LogsQueryResult> {
    const span = timespan as { startTime?: Date; endTime?: Date };
    this.queries.push({ kql, startTime: span.startTime, endTime: span.endTime });
    if (this.failures.length > 0) throw this.failures.shift();
    if (this.partialAnswers > 0) {
      this.partialAnswers--;
      return {
        status: 'PartialFailure',
        partialTables: [],
        partialError: { code: 'PartialError', message: 'Query result set has exceeded the internal data size limit' },
      } as unknown as LogsQueryResult;
    }
    const table = kql.split('\n')[0]?.trim() ?? '';
    const [, from, to] =
      /ingestion_time\(\) >= datetime\(([^)]+)\) and ingestion_time\(\) < datetime\(([^)]+)\)/.exec(kql) ?? [];
    const take = Number(/\| take (\d+)/.exec(kql)?.[1]);
    if (!from || !to || !Number.isFinite(take)) throw new Error(`scripted workspace: unexpected query:\n${kql}`);
    const rows = (this.tables.get(table) ?? [])
      .filter((r) => r.ingestedMs >= Date.parse(from) && r.ingestedMs < Date.parse(to))
      .sort((a, b) => a.ingestedMs - b.ingestedMs)
      .slice(0, take)
      .map((r) => ({ ...r.row, GlasswatchIngestedAt: new Date(r.ingestedMs).toISOString() }));
    return { status: 'Success', tables: [asSdkTable(rows)] } as unknown as LogsQueryResult;
  }
}

const DATETIME_COLUMNS = new Set([
  'TimeGenerated',
  'CreatedDateTime',
  'ActivityDateTime',
  'EventSubmissionTimestamp',
  'GlasswatchIngestedAt',
]);

/** Rows as the SDK returns them: one column list for all rows, `Date` for datetime, objects for dynamic. */
function asSdkTable(rows: Record<string, unknown>[]): LogsTable {
  const names = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const type = (name: string) =>
    DATETIME_COLUMNS.has(name)
      ? 'datetime'
      : rows.some((r) => typeof r[name] === 'object' && r[name] !== null)
        ? 'dynamic'
        : 'string';
  return {
    name: 'PrimaryResult',
    columnDescriptors: names.map((name) => ({ name, type: type(name) })),
    rows: rows.map((r) =>
      names.map((name) => {
        const value = r[name];
        if (value === undefined || value === null) return null as unknown as string;
        return type(name) === 'datetime' && typeof value === 'string' ? new Date(value) : (value as string);
      }),
    ),
  } as LogsTable;
}

/** An Azure SDK RestError, read structurally by the adapter. */
export function azureRestError(statusCode: number, retryAfter?: string): Error {
  return Object.assign(new Error(`status ${statusCode}`), {
    name: 'RestError',
    statusCode,
    response: {
      status: statusCode,
      headers: { get: (name: string) => (name === 'retry-after' ? retryAfter : undefined) },
    },
  });
}
