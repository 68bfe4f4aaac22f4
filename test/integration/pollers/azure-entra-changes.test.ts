import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENTRA_CURSOR_POLICY } from '../../../shared/core/ingest/cursor/index.js';
import { LogAnalyticsServer } from '../../support/cloud-servers/log-analytics.js';
import { auditLogsRow, type DiagnosticAudit, ENTRA_CHANGE_CASES } from '../../support/entra-changes.js';
import { readFixtureJsonl } from '../../support/fixtures.js';
import { entraTables, logAnalyticsPoller, type PollerWorld, pollerWorld } from './world.js';

/**
 * The Entra change table on the Lambda path: the Log Analytics poller (production client, local query
 * API that evaluates its KQL) reads the AuditLogs rows of every documented activity — one per table
 * activity on the emergency account, the same activities on another user — and the incidents carry the
 * table's wording. The generated query must select every positive row and leave the others out.
 */
const WORKSPACE = '3f0c1d2e-4b5a-4697-8d1e-2f3a4b5c6d7e';
const MIN = 60_000;
const ACCOUNTS = [
  {
    id: 'entra-ea1',
    cloud: 'azure' as const,
    match: { userPrincipalName: 'ea1@contoso.com', objectId: '4c1a9e2b-7d3f-4b6a-9e8d-1f2a3b4c5d6e' },
    caExclusionGroups: ['3c9e1f2a-7b6d-4e5c-8a9b-0c1d2e3f4a5b'],
  },
];
/** Conditional Access policy changes: a new policy that locks the account out names neither it nor its group. */
const CA_CHANGES = readFixtureJsonl<{ name: string; record: DiagnosticAudit }>(
  'azure/written-from-docs/entra_conditional_access.jsonl',
);
const ingestedAt = (time: string) => Date.parse(time) + 3 * MIN;
const LAST_INGESTED = Math.max(...[...ENTRA_CHANGE_CASES, ...CA_CHANGES].map((c) => ingestedAt(c.record.time)));

let world: PollerWorld;
let server: LogAnalyticsServer;
beforeEach(async () => {
  server = await new LogAnalyticsServer(WORKSPACE).start();
  entraTables(server);
  for (const c of [...ENTRA_CHANGE_CASES, ...CA_CHANGES])
    server.ingest('AuditLogs', auditLogsRow(c.record, 'object'), ingestedAt(c.record.time));
});
afterEach(async () => {
  await world?.close();
  await server.close();
});

describe('Entra account changes through the Log Analytics poller', () => {
  it('selects every documented activity on the emergency account, none on another user, and words each page', async () => {
    world = await pollerWorld(ACCOUNTS, ENTRA_CURSOR_POLICY, new Date(LAST_INGESTED + 10 * MIN).toISOString());
    const report = await logAnalyticsPoller(world, server).poll();

    const positives = ENTRA_CHANGE_CASES.filter((c) => c.expect !== null);
    expect(report.pipeline).toMatchObject({ errors: 0 });
    // Every Conditional Access policy change is read; of the other activities, only the account's.
    expect(report.read.new).toBe(positives.length + CA_CHANGES.length);
    const events = (await world.repository.listIncidents()).flatMap((i) => i.events);
    for (const c of positives) {
      const event = events.find((e) => e.id === `azure:${c.record.properties.id}`);
      expect(event?.note, c.name).toContain(c.expect);
      expect(event?.account, c.name).toBe('entra-ea1');
    }
    const lockouts = events.filter((e) => e.note?.includes('without excluding it (lockout risk)')).map((e) => e.id);
    expect(lockouts.sort()).toEqual(
      ['policy-added-global-admins', 'policy-added-without-exclusion', 'policy-enabled-reference-spelling']
        .map((name) => `azure:${CA_CHANGES.find((c) => c.name === name)?.record.properties.id}`)
        .sort(),
    );
    const audit = server.queries().find((q) => q.query.startsWith('AuditLogs'));
    expect(audit?.query).toContain('4c1a9e2b-7d3f-4b6a-9e8d-1f2a3b4c5d6e');
  });
});
