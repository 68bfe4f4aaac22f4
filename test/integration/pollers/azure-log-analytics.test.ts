import { createHttpHeaders, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { afterEach, describe, expect, it } from 'vitest';
import { ENTRA_CURSOR_POLICY, SourceUnavailableError } from '../../../shared/core/ingest/cursor/index.js';
import { logsQueryClient } from '../../../shared/runtime/pollers/azure-lambda.js';
import { azurePoller } from '../../../shared/runtime/pollers/pollers.js';
import { ACCOUNTS, ACTIVITY, LAST_SIGN_IN_INGESTED, MIN, SIGN_INS, WORKSPACE } from './adele-workspace.js';
import { azureRestError, ScriptedWorkspace } from './scripted-log-analytics.js';
import { type PollerWorld, pollerWorld, storedEventCounts } from './world.js';

/**
 * The Log Analytics poller end to end: scripted queryWorkspace answers in the SDK's shape, the real
 * core on real Log Analytics rows (Azure Sentinel training lab: Adele Vance signs in from
 * 175.45.176.99, then deletes Key Vaults and resource groups), correlation and cursors in DynamoDB.
 * Adele plays the emergency-access account. Each row is ingested a few minutes after its event, as
 * Entra delivers it.
 */

/** The rows and the Adele sign-in findings the rules must produce from them. */
const SUCCESSFUL_SIGN_INS = SIGN_INS.filter((r) => r.ResultType === '0').length;

let world: PollerWorld;
afterEach(() => world?.close());

async function setup(options: { pageSize?: number } = {}) {
  world = await pollerWorld(ACCOUNTS, ENTRA_CURSOR_POLICY, new Date(LAST_SIGN_IN_INGESTED + 10 * MIN).toISOString());
  const workspace = new ScriptedWorkspace();
  for (const row of SIGN_INS) workspace.ingest('SigninLogs', row, Date.parse(String(row.CreatedDateTime)) + 3 * MIN);
  for (const row of ACTIVITY) workspace.ingest('AzureActivity', row, Date.parse(String(row.TimeGenerated)) + 4 * MIN);
  const poller = azurePoller({ ...world.parts, logs: workspace, workspaceId: WORKSPACE, ...options });
  return { workspace, poller };
}

describe('Log Analytics poller', () => {
  it('reads every table by ingestion_time(), correlates the account’s sign-ins and activity, and commits the newest ingestion', async () => {
    const { workspace, poller } = await setup();
    const report = await poller.poll();

    expect(workspace.queries.map((q) => q.kql.split('\n')[0])).toEqual([
      'SigninLogs',
      'AADNonInteractiveUserSignInLogs',
      'AuditLogs',
      'AzureActivity',
    ]);
    // The timespan (TimeGenerated) reaches 3 days before the window: late rows keep their event time.
    const first = workspace.queries[0];
    expect((report.window.fromMs - (first?.startTime?.getTime() ?? 0)) / MIN).toBe(3 * 24 * 60);
    expect(report.read).toEqual({ new: SIGN_INS.length + ACTIVITY.length, seen: 0, repeat: 0 });
    expect(report.pipeline).toMatchObject({ records: 79, events: 79, errors: 0 });
    const incidents = await world.repository.listIncidents();
    expect(incidents.every((i) => i.account === 'entra-ea1')).toBe(true);
    const kinds = new Set(incidents.flatMap((i) => i.detections));
    // Adele's successes are "Previously satisfied" by a first-factor claim under singleFactorAuthentication:
    // MFA was not required, which does not prove it was not used (MFA unknown, no signin.without-mfa).
    expect(kinds).toEqual(new Set(['signin.success', 'signin.failure', 'activity']));
    // The Activity log spells the caller AdeleV@M365x816222.OnMicrosoft.com: matched case-insensitively.
    expect(
      incidents.flatMap((i) => i.events).filter((e) => e.cloud === 'azure' && e.action.startsWith('MICROSOFT.')),
    ).toHaveLength(ACTIVITY.filter((r) => r.ActivityStatusValue !== undefined).length);
    expect(
      incidents.flatMap((i) => i.events).filter((e) => e.action === 'Sign-in activity').length,
    ).toBeGreaterThanOrEqual(SUCCESSFUL_SIGN_INS);
    expect(report.outcome).toBe('advanced');
    expect((await world.store.load(poller.source.name))?.watermarkMs).toBe(LAST_SIGN_IN_INGESTED);
  });

  it('reads a row ingested late, inside the 30-minute overlap, exactly once', async () => {
    const { workspace, poller } = await setup();
    await poller.poll();
    const late = {
      ...(SIGN_INS[0] as Record<string, unknown>),
      Id: 'late-sign-in-0001',
      CreatedDateTime: new Date(LAST_SIGN_IN_INGESTED - 25 * MIN).toISOString(),
    };
    workspace.ingest('SigninLogs', late, LAST_SIGN_IN_INGESTED - 20 * MIN);
    world.clock.now += 5 * MIN;

    const second = await poller.poll();
    expect(second.read.new).toBe(1);
    expect(second.changes.flatMap((c) => c.newEvents.map((e) => e.id))).toEqual(['azure:late-sign-in-0001']);
    world.clock.now += 5 * MIN;
    const third = await poller.poll();
    expect(third.read.new).toBe(0);
    expect(third.changes).toEqual([]);
    expect([...(await storedEventCounts(world.repository)).values()].every((n) => n === 1)).toBe(true);
  });

  it('pages by ingestion time, re-reading the shared boundary row once and dropping it', async () => {
    const { workspace, poller } = await setup({ pageSize: 50 });
    const report = await poller.poll();
    const signInQueries = workspace.queries.filter((q) => q.kql.startsWith('SigninLogs'));
    expect(signInQueries).toHaveLength(2);
    expect(signInQueries[1]?.kql).toContain('| take 50');
    expect(report.read).toEqual({ new: 79, seen: 0, repeat: 1 });
  });

  it('re-reads after a crash before the commit without counting anything twice', async () => {
    const { poller } = await setup();
    world.failNextDelivery = new Error('incident bus unavailable');
    await expect(poller.poll()).rejects.toThrow('incident bus unavailable');
    const counts = await storedEventCounts(world.repository);
    const retry = await poller.poll();
    expect(retry.changes).toEqual([]);
    expect(await storedEventCounts(world.repository)).toEqual(counts);
    expect(retry.outcome).toBe('advanced');
  });

  it('retries throttling (HTTP 429 with Retry-After) and 5xx', async () => {
    const { workspace, poller } = await setup();
    workspace.failures.push(azureRestError(429, '7'), azureRestError(502));
    const report = await poller.poll();
    expect(world.sleeps).toEqual([7_000, 1_000]);
    expect(report.outcome).toBe('advanced');
  });

  it('never uses a partial result: asks again for half the rows', async () => {
    const { workspace, poller } = await setup();
    workspace.partialAnswers = 2;
    const report = await poller.poll();
    const takes = workspace.queries.slice(0, 3).map((q) => /take (\d+)/.exec(q.kql)?.[1]);
    expect(takes).toEqual(['2000', '1000', '500']);
    expect(report.read.new).toBe(79);
  });

  it('gives up when partial results persist at the smallest page, committing nothing', async () => {
    const { workspace, poller } = await setup({ pageSize: 50 });
    workspace.partialAnswers = 100;
    await expect(poller.poll()).rejects.toThrow(SourceUnavailableError);
    expect(world.sleeps.length).toBeGreaterThan(0);
    expect(await world.store.loadSeen(poller.source.name, 0)).toEqual(new Set());
  });

  it('opens a tampering incident for a diagnostic-setting delete by anyone', async () => {
    world = await pollerWorld(ACCOUNTS, ENTRA_CURSOR_POLICY, '2021-04-28T16:00:00Z');
    const workspace = new ScriptedWorkspace();
    // A real Activity row, turned into a subscription diagnostic-setting delete by someone outside the registry.
    const setting =
      '/SUBSCRIPTIONS/8F153238-E602-427E-A7C0-3043FBE50918/PROVIDERS/MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/SENTINEL';
    const row = {
      ...(ACTIVITY[0] as Record<string, unknown>),
      OperationNameValue: 'MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/DELETE',
      _ResourceId: setting,
      ResourceId: setting,
      Caller: 'mallory@m365x816222.onmicrosoft.com',
      Claims: '{}',
    };
    workspace.ingest('AzureActivity', row, '2021-04-28T15:30:00Z');
    const poller = azurePoller({ ...world.parts, logs: workspace, workspaceId: WORKSPACE });
    const report = await poller.poll();
    expect(report.changes.map((c) => [c.kind, c.incident.account, c.incident.detections])).toEqual([
      ['opened', null, ['audit.tamper']],
    ]);
  });
});

describe('the Log Analytics client retries in one layer only', () => {
  it('one HTTP try per poller attempt: the SDK retry policy is off under the source retries', async () => {
    world = await pollerWorld(ACCOUNTS, ENTRA_CURSOR_POLICY, new Date(LAST_SIGN_IN_INGESTED + 10 * MIN).toISOString());
    // The SDK's own transport, counted: every request answers 503 (the credential is a fixed token).
    let tries = 0;
    const httpClient = {
      async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
        tries++;
        return {
          request,
          status: 503,
          headers: createHttpHeaders({ 'content-type': 'application/json' }),
          bodyAsText: '{"error":{"code":"ServiceUnavailable","message":"try later"}}',
        };
      },
    };
    const credential = { getToken: async () => ({ token: 'token', expiresOnTimestamp: Date.now() + 3_600_000 }) };
    const logs = logsQueryClient(credential, { httpClient });
    const poller = azurePoller({ ...world.parts, logs, workspaceId: WORKSPACE });
    const report = await poller.poll().catch((error: unknown) => error);
    const attempts = world.sleeps.length + 1;
    expect(report).toBeInstanceOf(Error);
    expect(attempts).toBeGreaterThan(1);
    expect(tries).toBe(attempts);
  });
});
