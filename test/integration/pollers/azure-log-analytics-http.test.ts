import { request as httpsRequest } from 'node:https';
import { ClientSecretCredential } from '@azure/identity';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENTRA_CURSOR_POLICY, SourceUnavailableError } from '../../../shared/core/ingest/cursor/index.js';
import { logsQueryClient } from '../../../shared/runtime/pollers/azure-lambda.js';
import { azurePoller } from '../../../shared/runtime/pollers/pollers.js';
import { LogAnalyticsServer } from '../../support/cloud-servers/log-analytics.js';
import { ACCOUNTS, ACTIVITY, LAST_SIGN_IN_INGESTED, MIN, SIGN_INS, WORKSPACE } from './adele-workspace.js';
import { type PollerWorld, pollerWorld } from './world.js';

/**
 * The Log Analytics poller over HTTPS with the real clients: @azure/identity's ClientSecretCredential
 * (MSAL) getting a token from a local Entra token endpoint (`authorityHost`), and the SDK's
 * `LogsQueryClient` (through the production `logsQueryClient`, SDK retries off) against a local query
 * API that evaluates the poller's KQL — principal clauses, ingestion window, order and take — on
 * the rows it holds, and cuts big results with a PartialError as the service does. Rows: the Azure
 * Sentinel training lab (Adele Vance plays the emergency-access account).
 */

const ingestedAt = (row: Record<string, unknown>) => Date.parse(String(row.CreatedDateTime)) + 3 * MIN;
/** Another user's sign-in, ingested in the same window: only the principal clause can leave it out. */
const OTHER_USER: Record<string, unknown> = {
  ...(SIGN_INS[0] as Record<string, unknown>),
  Id: 'other-user-sign-in',
  UserPrincipalName: 'meganb@m365x816222.onmicrosoft.com',
  UserId: '0b4d5d7e-1c84-4b4a-9d3e-6a8c0a1e2f33',
  Identity: 'Megan Bowen',
};

let world: PollerWorld;
let server: LogAnalyticsServer;
beforeEach(async () => {
  server = await new LogAnalyticsServer(WORKSPACE).start();
  // Every table the poller queries exists in the workspace, empty or not.
  server.table('AADNonInteractiveUserSignInLogs', {
    TimeGenerated: 'datetime',
    Id: 'string',
    UserPrincipalName: 'string',
    UserId: 'string',
  });
  server.table('AuditLogs', {
    TimeGenerated: 'datetime',
    Id: 'string',
    OperationName: 'string',
    TargetResources: 'dynamic',
    InitiatedBy: 'dynamic',
  });
  for (const row of [...SIGN_INS, OTHER_USER])
    server.ingest('SigninLogs', { TimeGenerated: row.CreatedDateTime, ...row }, ingestedAt(row));
  for (const row of ACTIVITY) server.ingest('AzureActivity', row, Date.parse(String(row.TimeGenerated)) + 4 * MIN);
});
afterEach(async () => {
  await world?.close();
  await server.close();
});

async function setup(options: { pageSize?: number; clientSecret?: string } = {}) {
  world = await pollerWorld(ACCOUNTS, ENTRA_CURSOR_POLICY, new Date(LAST_SIGN_IN_INGESTED + 10 * MIN).toISOString());
  const credential = new ClientSecretCredential(
    server.tenantId,
    server.clientId,
    options.clientSecret ?? server.clientSecret,
    { authorityHost: server.url, disableInstanceDiscovery: true, tlsOptions: server.tlsOptions },
  );
  const logs = logsQueryClient(credential, { endpoint: server.endpoint, tlsOptions: server.tlsOptions });
  const { pageSize } = options;
  const poller = azurePoller({ ...world.parts, logs, workspaceId: WORKSPACE, ...(pageSize ? { pageSize } : {}) });
  return Object.assign(poller, { logs });
}

const statuses = () => server.received.filter((r) => r.path.endsWith('/query')).map((r) => r.status);

describe('Log Analytics poller over HTTPS (local query API and Entra token endpoint)', () => {
  it('authenticates with the client secret and reads only the rows the KQL selects', async () => {
    const poller = await setup();
    const report = await poller.poll();
    // Megan's sign-in is ingested in the window; the principal clause of the KQL leaves it out.
    expect(report.read).toEqual({ new: SIGN_INS.length + ACTIVITY.length, seen: 0, repeat: 0 });
    expect(report.pipeline).toMatchObject({ errors: 0 });
    const incidents = await world.repository.listIncidents();
    expect(incidents.flatMap((i) => i.events).some((e) => e.id === 'azure:other-user-sign-in')).toBe(false);
    expect(incidents.every((i) => i.account === 'entra-ea1')).toBe(true);
    expect(server.queries().map((q) => q.query.split('\n')[0])).toEqual([
      'SigninLogs',
      'AADNonInteractiveUserSignInLogs',
      'AuditLogs',
      'AzureActivity',
    ]);
    expect(server.received.filter((r) => r.path.endsWith('/oauth2/v2.0/token'))).toHaveLength(1);
    expect((await world.store.load(poller.source.name))?.watermarkMs).toBe(LAST_SIGN_IN_INGESTED);
  });

  it('the principal clause decides: the same query without it returns the other user', async () => {
    const poller = await setup();
    await poller.poll();
    const sent = server.queries()[0]?.query ?? '';
    const timespan = { startTime: new Date(0), endTime: new Date(world.clock.now) };
    const upns = async (query: string) => {
      const result = await poller.logs.queryWorkspace(WORKSPACE, query, timespan);
      if (result.status !== 'Success') throw new Error('unexpected partial result');
      const table = result.tables[0];
      const column = table?.columnDescriptors.findIndex((c) => c.name === 'UserPrincipalName') ?? -1;
      return new Set(table?.rows.map((row) => row[column]));
    };
    expect(await upns(sent)).toEqual(new Set(['adelev@m365x816222.onmicrosoft.com']));
    const unfiltered = sent
      .split('\n')
      .filter((line) => !line.includes('tolower(UserPrincipalName)'))
      .join('\n');
    expect(await upns(unfiltered)).toContain(OTHER_USER.UserPrincipalName);
  });

  it('pages by ingestion window and take, re-reading the shared boundary row once', async () => {
    const poller = await setup({ pageSize: 50 });
    const report = await poller.poll();
    const signIn = server.queries().filter((q) => q.query.startsWith('SigninLogs'));
    expect(signIn.map((q) => /take (\d+)/.exec(q.query)?.[1])).toEqual(['50', '50']);
    // The second page starts at the ingestion time of the first page's last row.
    const from = (q: { query: string } | undefined) =>
      /ingestion_time\(\) >= datetime\(([^)]+)\)/.exec(q?.query ?? '')?.[1];
    expect(from(signIn[0])).not.toEqual(from(signIn[1]));
    expect(report.read).toEqual({ new: SIGN_INS.length + ACTIVITY.length, seen: 0, repeat: 1 });
  });

  it('waits out a 429 with Retry-After in one retry layer', async () => {
    const poller = await setup();
    let throttled = false;
    server.injector = (request) => {
      if (throttled || !request.path.endsWith('/query')) return undefined;
      throttled = true;
      return {
        kind: 'status',
        status: 429,
        headers: { 'retry-after': '7' },
        body: '{"error":{"code":"ThrottledError","message":"Too many requests"}}',
      };
    };
    const report = await poller.poll();
    expect(report.outcome).toBe('advanced');
    expect(world.sleeps).toEqual([7_000]);
    // One HTTP try per poller attempt: the SDK's own retry policy does not try again.
    expect(statuses()).toEqual([429, 200, 200, 200, 200]);
  });

  it('a result cut by the row limit (PartialError) is asked again with half the rows, never used', async () => {
    server.maxRows = SIGN_INS.length - 1; // every sign-in page over 55 rows comes back cut
    const poller = await setup();
    const report = await poller.poll();
    const takes = server
      .queries()
      .filter((q) => q.query.startsWith('SigninLogs'))
      .map((q) => /take (\d+)/.exec(q.query)?.[1]);
    expect(takes).toEqual(['2000', '1000', '500', '250', '125', '62', '50', '50']);
    expect(report.read).toEqual({ new: SIGN_INS.length + ACTIVITY.length, seen: 0, repeat: 1 });
  });

  it('gives up when partial results persist at the smallest page, committing nothing', async () => {
    server.maxRows = 10;
    const poller = await setup({ pageSize: 50 });
    await expect(poller.poll()).rejects.toThrow(SourceUnavailableError);
    expect(await world.store.loadSeen(poller.source.name, 0)).toEqual(new Set());
  });

  it('a refused client secret fails the poll before any query', async () => {
    const poller = await setup({ clientSecret: 'wrong' });
    await expect(poller.poll()).rejects.toThrow(/AADSTS7000215|invalid_client/);
    expect(server.queries()).toEqual([]);
  });
});

describe('the local query API keeps to its contract', () => {
  const post = (body: unknown, authorization?: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpsRequest(
        `${server.endpoint}/workspaces/${WORKSPACE}/query`,
        {
          method: 'POST',
          ca: server.tlsOptions.ca,
          headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        },
        (response) => {
          let text = '';
          response.on('data', (chunk) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
        },
      );
      request.on('error', reject);
      request.end(JSON.stringify(body));
    });
  const query = { query: 'SigninLogs | take 1', timespan: '2021-04-28T00:00:00Z/2021-04-29T00:00:00Z' };

  it('401 without a bearer token or with one it did not issue', async () => {
    expect((await post(query)).status).toBe(401);
    const forged = await post(query, 'Bearer forged');
    expect(forged.status).toBe(401);
    expect(JSON.parse(forged.body)).toMatchObject({ error: { code: 'AuthorizationRequiredError' } });
  });

  it('400 for KQL it cannot read, naming the construct, instead of guessing', async () => {
    const poller = await setup();
    const timespan = { startTime: new Date(0), endTime: new Date(world.clock.now) };
    for (const [kql, message] of [
      ['SigninLogs | summarize count() by UserPrincipalName', /unsupported tabular operator 'summarize'/],
      ['SigninLogs | where UserPrincipalName has "adelev"', /unexpected has/],
      ['SigninLogs | where parse_json(UserPrincipalName) == 1', /unsupported function parse_json/],
      ['SigninLogs | where NoSuchColumn == "x"', /Failed to resolve scalar expression named 'NoSuchColumn'/],
      ['NoSuchTable | take 1', /Failed to resolve table expression named 'NoSuchTable'/],
    ] as const) {
      await expect(poller.logs.queryWorkspace(WORKSPACE, kql, timespan)).rejects.toMatchObject({
        statusCode: 400,
        message,
      });
    }
  });
});
