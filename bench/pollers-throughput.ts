// long-file: one benchmark with the two synthetic-day generators and the two scripted SDK clients it needs beside it.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogsQueryApi } from '../shared/adapters/azure/log-analytics-source.js';
import { DynamoIncidentRepository } from '../shared/adapters/dynamodb/incident-repository.js';
import { startLocalDynamo } from '../shared/adapters/dynamodb/local-dynalite.js';
import type { EntriesClient, ListEntriesResponse } from '../shared/adapters/gcp/entries-client.js';
import { Correlator } from '../shared/core/correlate/correlator.js';
import { InMemoryCursorStore } from '../shared/core/ingest/cursor/index.js';
import { parseRegistry, RegistryMatcher } from '../shared/core/registry/index.js';
import type { PollReport } from '../shared/runtime/pollers/poll.js';
import { azurePoller, gcpPoller, type PollerParts } from '../shared/runtime/pollers/pollers.js';
import { runReplay } from '../shared/runtime/replay.js';
import { DATA_DIR } from './generate.js';
import { medianSeconds, pad, rate } from './measure.js';

/**
 * Issue 5 target: the GCP and Azure pollers' processing path (SDK result in hand → rows → dedup →
 * normalize → detect → correlate → cursor commit) at ≥ 0.8× the events/s of the core replay of the
 * same events from a JSON-lines file. A day of synthetic sign-ins built from real shapes: the 56
 * Sentinel training-lab SigninLogs rows (Azure), and for GCP Workspace login entries in the documented
 * Cloud Logging shape interleaved with the 46 real cloud-custodian audit entries. Only ids, principals
 * and times change; every 5,000th row is a break-glass sign-in.
 * A second figure adds what the SDK does to each response before the poller sees it (REST JSON text
 * parsed; for Log Analytics, datetime columns to Date and dynamic columns, sent as JSON text, parsed
 * again): client-side cost the poller cannot avoid, shown for context.
 */

const ROOT = join(import.meta.dirname, '..');
const DAY_START = Date.parse('2026-11-17T00:00:00Z');
const NOW = DAY_START + 24 * 3_600_000;
const NEEDLE_EVERY = 5_000;
const REGISTRY = `accounts:
  - { id: bench-entra, cloud: azure, match: { userPrincipalName: ea1@contoso.onmicrosoft.com } }
  - { id: bench-gcp, cloud: gcp, match: { email: breakglass@example.com } }
`;

export async function pollersThroughput(rows = Number(process.env.BENCH_POLLER_ROWS ?? 120_000)): Promise<void> {
  await mkdir(DATA_DIR, { recursive: true });
  const registryPath = join(DATA_DIR, 'pollers-registry.yaml');
  await writeFile(registryPath, REGISTRY);
  const matcher = new RegistryMatcher(parseRegistry(REGISTRY, registryPath));
  console.log(
    `\npollers-throughput: ${rows.toLocaleString('en')} synthetic sign-in rows per cloud over one day, from real shapes`,
  );

  const azure = azureDay(rows);
  const azureFile = join(DATA_DIR, `entra-signins-${rows}.jsonl`);
  await writeFile(azureFile, `${azure.map((r) => JSON.stringify(r.row)).join('\n')}\n`);
  const workspace = new SdkShapedWorkspace(azure);
  await compare('Azure Log Analytics', rows, registryPath, azureFile, workspace, () =>
    withPoller(
      (parts) => azurePoller({ ...parts, logs: workspace, workspaceId: '7c759f10-811c-4db8-ad6d-f07d8ae3f8ea' }),
      matcher,
    ),
  );

  const gcp = gcpDay(rows);
  const gcpFile = join(DATA_DIR, `gcp-logins-${rows}.jsonl`);
  await writeFile(gcpFile, `${gcp.map((e) => JSON.stringify(e)).join('\n')}\n`);
  const logging = new RestShapedLogging(gcp);
  await compare('GCP Cloud Logging', rows, registryPath, gcpFile, logging, () =>
    withPoller((parts) => gcpPoller({ ...parts, entries: logging, resourceNames: ['organizations/123'] }), matcher),
  );
}

/** One poll over the whole day, on a fresh in-memory DynamoDB, as the replay gets. */
async function withPoller(
  build: (parts: PollerParts) => { poll(): Promise<PollReport> },
  matcher: RegistryMatcher,
): Promise<PollReport> {
  const dynamo = await startLocalDynamo();
  try {
    const correlator = new Correlator(new DynamoIncidentRepository(dynamo.client, dynamo.tableName), matcher);
    const sink = { deliver: async () => {} };
    const parts: PollerParts = { matcher, correlator, sink, store: new InMemoryCursorStore(() => NOW), now: () => NOW };
    return await build(parts).poll();
  } finally {
    await dynamo.close();
  }
}

/** A scripted SDK client that can hand over each response already decoded, as the SDK returns it. */
interface Decoding {
  keepDecoded: boolean;
  forget(): void;
}

async function compare(
  label: string,
  rows: number,
  registryPath: string,
  file: string,
  client: Decoding,
  poll: () => Promise<PollReport>,
) {
  let replayFindings = 0;
  const replay = await medianSeconds(
    3,
    async () => {
      const result = await runReplay({ registryPath, paths: [file], nowMs: NOW, respond: false });
      if (result.counts.events !== rows)
        throw new Error(`${label}: replay normalized ${result.counts.events} of ${rows}`);
      replayFindings = result.counts.findings;
    },
    true,
  );
  let report: PollReport | undefined;
  const timePolls = () =>
    medianSeconds(
      3,
      async () => {
        report = await poll();
        if (report.pipeline.events !== rows)
          throw new Error(
            `${label}: poller normalized ${report.pipeline.events} of ${rows} (${report.pipeline.errors} errors)`,
          );
      },
      true,
    );
  const withSdk = await timePolls();
  client.keepDecoded = true;
  const polled = await timePolls();
  client.keepDecoded = false;
  client.forget(); // decoded pages held in memory would slow the next measurement's garbage collection
  const ratio = replay / polled;
  console.log(
    `  ${pad(`core replay of the same rows (${label})`, 54)}${replay.toFixed(2)} s  ${rate(rows, replay)}  findings ${replayFindings}`,
  );
  console.log(
    `  ${pad(`${label} poller (SDK results in hand)`, 54)}${polled.toFixed(2)} s  ${rate(rows, polled)}  findings ${report?.pipeline.findings}, ${report?.pages} pages  ` +
      `ratio ${ratio.toFixed(2)}× replay (target ≥ 0.80) ${ratio >= 0.8 ? 'OK' : 'BELOW TARGET'}`,
  );
  console.log(
    `  ${pad(`${label} poller + SDK response decoding`, 54)}${withSdk.toFixed(2)} s  ${rate(rows, withSdk)}  ${(replay / withSdk).toFixed(2)}× replay`,
  );
}

// ---- Azure: a day of SigninLogs rows, and a workspace answering in the SDK's shape ----

interface IngestedRow {
  row: Record<string, unknown>;
  ingestedMs: number;
}

function azureDay(count: number): IngestedRow[] {
  const shapes = readFileSync(
    join(ROOT, 'test/fixtures/azure/sentinel-training-lab/sign-in_adelete.la-json.jsonl'),
    'utf8',
  )
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const step = (23 * 3_600_000) / count;
  return Array.from({ length: count }, (_, i) => {
    const created = DAY_START + Math.floor(i * step);
    const user =
      i % NEEDLE_EVERY === NEEDLE_EVERY - 1 ? 'ea1@contoso.onmicrosoft.com' : `user${i % 997}@contoso.onmicrosoft.com`;
    const row = {
      ...(shapes[i % shapes.length] as Record<string, unknown>),
      Id: `bench-${i}`,
      UserPrincipalName: user,
      CreatedDateTime: new Date(created).toISOString(),
      TimeGenerated: new Date(created + 60_000).toISOString(),
    };
    return { row, ingestedMs: created + 120_000 + (i % 180) * 1_000 };
  });
}

/** The REST response of a query is JSON text with dynamic values as text; the SDK parses it and converts. */
class SdkShapedWorkspace implements LogsQueryApi, Decoding {
  keepDecoded = false;
  private readonly decoded = new Map<string, unknown>();
  forget = () => this.decoded.clear();
  private readonly columns: { name: string; type: string }[];
  private readonly sorted: IngestedRow[];
  private readonly wire: string[];

  constructor(rows: IngestedRow[]) {
    const names = [...new Set(rows.flatMap((r) => Object.keys(r.row))), 'GlasswatchIngestedAt'];
    const sample = rows[0]?.row ?? {};
    const type = (n: string) =>
      /DateTime$|^TimeGenerated$|^GlasswatchIngestedAt$/.test(n)
        ? 'datetime'
        : typeof sample[n] === 'object' && sample[n] !== null
          ? 'dynamic'
          : 'string';
    this.columns = names.map((name) => ({ name, type: type(name) }));
    this.sorted = [...rows].sort((a, b) => a.ingestedMs - b.ingestedMs);
    // Each row serialized once, as the service would send it: dynamic columns as JSON text.
    this.wire = this.sorted.map((r) =>
      JSON.stringify(
        this.columns.map(({ name, type }) => {
          const v = name === 'GlasswatchIngestedAt' ? new Date(r.ingestedMs).toISOString() : r.row[name];
          return type === 'dynamic' && v !== undefined ? JSON.stringify(v) : (v ?? null);
        }),
      ),
    );
  }

  async queryWorkspace(_ws: string, kql: string): Promise<never> {
    const cached = this.keepDecoded ? this.decoded.get(kql) : undefined;
    if (cached) return cached as never;
    const result = this.answer(kql);
    if (this.keepDecoded) this.decoded.set(kql, result);
    return result as never;
  }

  private answer(kql: string): unknown {
    const [, from, to] =
      /ingestion_time\(\) >= datetime\(([^)]+)\) and ingestion_time\(\) < datetime\(([^)]+)\)/.exec(kql) ?? [];
    const take = Number(/\| take (\d+)/.exec(kql)?.[1]);
    const table = kql.slice(0, kql.indexOf('\n'));
    const picked: string[] = [];
    if (table === 'SigninLogs') {
      const lo = Date.parse(String(from));
      const hi = Date.parse(String(to));
      for (let i = lowerBound(this.sorted, lo); i < this.sorted.length && picked.length < take; i++) {
        if ((this.sorted[i] as IngestedRow).ingestedMs >= hi) break;
        picked.push(this.wire[i] as string);
      }
    }
    const response = JSON.parse(
      `{"tables":[{"name":"PrimaryResult","columns":${JSON.stringify(this.columns)},"rows":[${picked.join(',')}]}]}`,
    );
    return { status: 'Success', tables: (response.tables as WireTable[]).map(convert) };
  }
}

interface WireTable {
  name: string;
  columns: { name: string; type: string }[];
  rows: unknown[][];
}

/** What the SDK does to each table (convertTable): datetime text → Date, dynamic text → parsed. */
function convert(table: WireTable) {
  const dates = table.columns.flatMap((c, i) => (c.type === 'datetime' ? [i] : []));
  const dynamics = table.columns.flatMap((c, i) => (c.type === 'dynamic' ? [i] : []));
  return {
    name: table.name,
    columnDescriptors: table.columns,
    rows: table.rows.map((original) => {
      const row = [...original];
      for (const i of dates) if (typeof row[i] === 'string') row[i] = new Date(row[i] as string);
      for (const i of dynamics) if (typeof row[i] === 'string') row[i] = JSON.parse(row[i] as string);
      return row;
    }),
  };
}

function lowerBound(rows: IngestedRow[], ms: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((rows[mid] as IngestedRow).ingestedMs < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// ---- GCP: a day of Workspace login entries and real audit entries, and entries.list over REST ----

/** A Workspace login_success as Cloud Logging files it (https://cloud.google.com/logging/docs/audit/gsuite-login-samples). */
const LOGIN = {
  protoPayload: {
    '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
    authenticationInfo: { principalEmail: 'user@example.com' },
    requestMetadata: { callerIp: '203.0.113.10', requestAttributes: {}, destinationAttributes: {} },
    serviceName: 'login.googleapis.com',
    methodName: 'google.login.LoginService.loginSuccess',
    resourceName: 'organizations/123',
    metadata: {
      '@type': 'type.googleapis.com/ccc_hosted_reporting.ActivityProto',
      event: [
        {
          eventType: 'login',
          eventName: 'login_success',
          parameter: [
            { name: 'login_type', value: 'google_password', type: 'TYPE_STRING' },
            {
              name: 'login_challenge_method',
              multiStrValue: ['password', 'google_authenticator'],
              type: 'TYPE_STRING',
            },
            { name: 'is_suspicious', boolValue: false, type: 'TYPE_BOOL' },
          ],
        },
      ],
    },
  },
  resource: {
    type: 'audited_resource',
    labels: { service: 'login.googleapis.com', method: 'google.login.LoginService.loginSuccess' },
  },
  severity: 'NOTICE',
  logName: 'organizations/123/logs/cloudaudit.googleapis.com%2Fdata_access',
};

function gcpDay(count: number): Record<string, unknown>[] {
  const dir = join(ROOT, 'test/fixtures/gcp/cloud-custodian');
  const real = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>);
  const step = (23 * 3_600_000) / count;
  return Array.from({ length: count }, (_, i) => {
    const time = DAY_START + Math.floor(i * step);
    const needle = i % NEEDLE_EVERY === NEEDLE_EVERY - 1;
    const base = i % 2 === 0 || needle ? LOGIN : (real[i % real.length] as Record<string, unknown>);
    const entry: Record<string, unknown> = structuredClone(base);
    if (base === LOGIN) {
      (entry.protoPayload as { authenticationInfo: { principalEmail: string } }).authenticationInfo.principalEmail =
        needle ? 'breakglass@example.com' : `user${i % 997}@example.com`;
    }
    return {
      ...entry,
      insertId: `bench-${i}`,
      timestamp: new Date(time).toISOString(),
      receiveTimestamp: new Date(time + 1_500 + (i % 60) * 1_000).toISOString(),
    };
  });
}

/** entries.list over REST: the page is JSON text the client parses. Ordered by timestamp, as asked. */
class RestShapedLogging implements EntriesClient, Decoding {
  keepDecoded = false;
  private readonly decoded = new Map<string, ListEntriesResponse>();
  forget = () => this.decoded.clear();
  private readonly wire: string[];
  private readonly received: number[];

  constructor(private readonly entries: Record<string, unknown>[]) {
    this.wire = entries.map((e) => JSON.stringify(e));
    this.received = entries.map((e) => Date.parse(String(e.receiveTimestamp)));
  }

  async list(request: Parameters<EntriesClient['list']>[0]): Promise<ListEntriesResponse> {
    const key = `${request.filter}|${request.pageToken ?? ''}`;
    const cached = this.keepDecoded ? this.decoded.get(key) : undefined;
    if (cached) return cached;
    const response = this.answer(request);
    if (this.keepDecoded) this.decoded.set(key, response);
    return response;
  }

  private answer(request: Parameters<EntriesClient['list']>[0]): ListEntriesResponse {
    const from = Date.parse(/receiveTimestamp>="([^"]+)"/.exec(request.filter)?.[1] ?? '');
    const to = Date.parse(/receiveTimestamp<"([^"]+)"/.exec(request.filter)?.[1] ?? '');
    let i = Number(request.pageToken ?? 0);
    const page: string[] = [];
    for (; i < this.entries.length && page.length < request.pageSize; i++) {
      const received = this.received[i] as number;
      if (received >= from && received < to) page.push(this.wire[i] as string);
    }
    const next = i < this.entries.length ? `,"nextPageToken":"${i}"` : '';
    return JSON.parse(`{"entries":[${page.join(',')}]${next}}`) as ListEntriesResponse;
  }
}
