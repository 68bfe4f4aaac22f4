import { type Received, type Reply, VendorServer } from '../vendor-servers/base.js';
import { EntraTokenEndpoint } from './entra-token.js';
import { KqlError, type KqlRow, type KqlTable, type KqlType, runKql } from './kql.js';
import { localCertificate } from './tls.js';

/**
 * The Log Analytics query API and the Microsoft Entra token endpoint a client-secret credential
 * asks, on one local HTTPS server (the Azure core pipeline sends bearer tokens to https:// only), as
 * documented:
 * - the Entra token endpoint ({@link EntraTokenEndpoint}) for `scope=https://api.loganalytics.io/.default`;
 * - `POST /v1/workspaces/{id}/query` (learn.microsoft.com/azure/azure-monitor/logs/api/request-format):
 *   a Bearer token issued here (401 `AuthorizationRequiredError` otherwise), JSON `{query, timespan}`
 *   with `timespan` an ISO 8601 `start/end` interval applied to `TimeGenerated`; the KQL evaluated on
 *   the rows held ({@link runKql}; 400 `BadArgumentError` for what it cannot read) →
 *   `{tables: [{name: "PrimaryResult", columns: [{name, type}], rows}]}` with datetimes as ISO 8601 and
 *   dynamic values as JSON text. A result over `maxRows` (the service's 500,000 records) is cut there
 *   and answered 200 with an `error` of code `PartialError` beside the tables, as the service does
 *   (learn.microsoft.com/azure/azure-monitor/service-limits#la-query-api). Throttling: the fault
 *   script (429 with `Retry-After`).
 */
export class LogAnalyticsServer extends VendorServer {
  private readonly entra = new EntraTokenEndpoint('https://api.loganalytics.io/.default');
  readonly tenantId = this.entra.tenantId;
  readonly clientId = this.entra.clientId;
  readonly clientSecret = this.entra.clientSecret;
  /** The service cuts results at 500,000 records with a PartialError. */
  maxRows = 500_000;
  private readonly tables = new Map<string, KqlTable>();

  constructor(readonly workspaceId: string) {
    super();
  }

  override start(): Promise<this> {
    return super.start(localCertificate());
  }

  /** What clients need to trust the server's certificate. */
  get tlsOptions(): { ca: string } {
    return { ca: localCertificate().cert };
  }

  /** The query API endpoint, for `LogsQueryClient`'s `endpoint` option. */
  get endpoint(): string {
    return `${this.url}/v1`;
  }

  /** Creates a table with these columns (a workspace's table exists before any row reaches it). */
  table(name: string, columns: Record<string, KqlType>): void {
    const table = this.tables.get(name) ?? { columns: new Map(), rows: [] };
    for (const [column, type] of Object.entries(columns)) table.columns.set(column, type);
    this.tables.set(name, table);
  }

  /**
   * Stores a row as ingested at `ingestedAt`. Columns the table lacks are added: objects as `dynamic`,
   * ISO 8601 text as `datetime` (values kept as Dates), numbers and booleans by their type, else `string`.
   */
  ingest(name: string, row: Record<string, unknown>, ingestedAt: string | number): void {
    if (typeof row.TimeGenerated !== 'string')
      throw new Error(`log analytics server: a ${name} row needs TimeGenerated (every table has it)`);
    this.table(name, {});
    const table = this.tables.get(name) as KqlTable;
    const values = new Map<string, unknown>();
    for (const [column, value] of Object.entries(row)) {
      const type = table.columns.get(column) ?? typeOfValue(value);
      table.columns.set(column, type);
      const date = type === 'datetime' && typeof value === 'string' ? new Date(value) : undefined;
      values.set(column, date ? (Number.isNaN(date.getTime()) ? null : date) : structuredClone(value));
    }
    const ingestedMs = typeof ingestedAt === 'number' ? ingestedAt : Date.parse(ingestedAt);
    table.rows.push({ values, ingestedMs } satisfies KqlRow);
  }

  /** The KQL evaluated on every row held (no timespan), as a query request would answer it. */
  evaluate(query: string): KqlTable {
    return runKql(query, this.tables);
  }

  /** Query requests that were answered 200 (for assertions on the KQL and paging). */
  queries(): { query: string; timespan: string }[] {
    return this.received
      .filter((r) => r.path.endsWith('/query') && r.status === 200)
      .map((r) => r.body as { query: string; timespan: string });
  }

  protected override refuseMediaType(request: Received): Reply | undefined {
    return this.entra.refuseMediaType(request, (r) => super.refuseMediaType(r));
  }

  protected route(request: Received): Reply {
    const entra = this.entra.route(request, this.url);
    if (entra) return entra;
    if (request.method === 'POST' && request.path === `/v1/workspaces/${this.workspaceId}/query`)
      return this.query(request);
    return laError(404, 'PathNotFoundError', `no route ${request.method} ${request.path}`);
  }

  private query(request: Received): Reply {
    if (!this.entra.authorized(request))
      return laError(401, 'AuthorizationRequiredError', 'Valid authentication was not provided');
    const body = request.body as { query?: unknown; timespan?: unknown } | undefined;
    if (typeof body?.query !== 'string') return laError(400, 'BadArgumentError', 'The query was not provided');
    const span = typeof body.timespan === 'string' ? body.timespan.split('/').map((t) => Date.parse(t)) : [];
    const [startMs, endMs] = span;
    if (span.length !== 2 || startMs === undefined || endMs === undefined || span.some(Number.isNaN))
      return laError(400, 'BadArgumentError', `timespan: this server reads start/end intervals, got ${body.timespan}`);
    let result: KqlTable;
    try {
      result = runKql(body.query, this.withinTimespan(startMs, endMs));
    } catch (error) {
      if (!(error instanceof KqlError)) throw error;
      return laError(400, 'BadArgumentError', `The request had some invalid properties: ${error.message}`);
    }
    const names = [...result.columns.keys()];
    const table = {
      name: 'PrimaryResult',
      columns: names.map((name) => ({ name, type: result.columns.get(name) })),
      rows: result.rows.slice(0, this.maxRows).map((row) => names.map((name) => wire(row.values.get(name)))),
    };
    if (result.rows.length <= this.maxRows) return { status: 200, body: { tables: [table] } };
    return {
      status: 200,
      body: {
        tables: [table],
        error: {
          code: 'PartialError',
          message: 'There were some errors when processing your query.',
          details: [
            {
              code: 'EngineError',
              message: 'Something went wrong processing your query on the server.',
              innererror: {
                code: '-2133196797',
                message: `Query result set has exceeded the internal record count limit ${this.maxRows} (E_QUERY_RESULT_SET_TOO_LARGE)`,
              },
            },
          ],
        },
      },
    };
  }

  /** The timespan restricts `TimeGenerated` before the query runs. */
  private withinTimespan(startMs: number, endMs: number): Map<string, KqlTable> {
    const inSpan = (row: KqlRow) => {
      const time = row.values.get('TimeGenerated');
      return time instanceof Date && time.getTime() >= startMs && time.getTime() < endMs;
    };
    return new Map(
      [...this.tables].map(([name, table]) => [name, { columns: table.columns, rows: table.rows.filter(inSpan) }]),
    );
  }
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function typeOfValue(value: unknown): KqlType {
  if (typeof value === 'string') return ISO_8601.test(value) ? 'datetime' : 'string';
  if (typeof value === 'number') return Number.isInteger(value) ? 'long' : 'real';
  if (typeof value === 'boolean') return 'bool';
  return value !== null && typeof value === 'object' ? 'dynamic' : 'string';
}

/** A value as the REST API writes it: ISO 8601 datetimes, dynamic values as JSON text. */
function wire(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'object' ? JSON.stringify(value) : value;
}

/** The query API's error body. */
function laError(status: number, code: string, message: string): Reply {
  return { status, body: { error: { code, message } } };
}
