import { describe, expect, it } from 'vitest';
import { buildPostureReport } from '../../../../shared/core/assure/report.js';
import { drillRow, WINDOW_LIVE_GRACE_MS } from '../../../../shared/core/assure/report-drills.js';
import { incidentTrend, ticketUrl } from '../../../../shared/core/assure/report-incidents.js';
import type { Incident } from '../../../../shared/core/model/incident.js';
import { HOSTILE_REGISTRY, hostileReport, NOW, REPLAYED_WINDOW_DRILL } from './fixture.js';

const statuses = (report: ReturnType<typeof hostileReport>, id: string) =>
  Object.fromEntries(report.accounts.find((a) => a.id === id)?.controls.map((c) => [c.id, c.status]) ?? []);

describe('buildPostureReport: controls with evidence and scores', () => {
  const report = hostileReport();

  it('judges each control of the root account from its evidence', () => {
    const prod = report.accounts[0];
    expect(prod?.controls.map((c) => [c.id, c.status, c.evidence])).toEqual([
      ['mfa', 'fail', 'last sign-in 2026-02-25 10:00 UTC without MFA'],
      ['rotation', 'pass', 'rotated 2026-02-25, 5 d ago (target 30 d)'],
      ['drill', 'pass', 'passed 2026-02-01, 29 d ago (target 92 d)'],
      ['root-keys', 'fail', 'CreateAccessKey 2026-03-01 in 111122223333, no matching DeleteAccessKey seen'],
      ['used', 'pass', 'last real use 2026-03-01, 1 d ago (target 365 d)'],
    ]);
    expect(prod?.score).toEqual({ passed: 3, applicable: 5, percent: 60 });
  });

  it("fails what the account's cloud's logs prove, and says unknown where they cannot tell", () => {
    // GCP logs from 2025-10-01: a month passed without a rotation; a year has not passed yet.
    expect(statuses(report, 'gcp-super-admin')).toEqual({
      mfa: 'n/a',
      rotation: 'fail',
      drill: 'fail',
      'root-keys': 'n/a',
      used: 'unknown',
    });
    // No Entra log at all: nothing about its credential can be said; drills need no logs.
    const entra = report.accounts.find((a) => a.id === 'entra-emergency');
    expect(entra?.controls.find((c) => c.id === 'rotation')).toMatchObject({
      status: 'unknown',
      evidence: 'no rotation seen in the logs; no audit logs of this cloud recorded',
    });
    expect(statuses(report, 'entra-emergency').drill).toBe('fail');
  });

  it('scores the estate over every account control and the plumbing checks, unknown counting as not passed', () => {
    expect(report.estate.counts).toEqual({ pass: 4, fail: 6, unknown: 3, 'n/a': 4 });
    expect(report.estate.score).toEqual({ passed: 4, applicable: 13, percent: 31 });
    expect(report.window).toEqual({ from: '2025-10-01T00:00:00.000Z', to: '2026-03-02T11:59:00.000Z' });
  });

  it('fails the rotation only when the logs run past its due date', () => {
    const incidents: Incident[] = [];
    const base = { registry: HOSTILE_REGISTRY, incidents, drills: [], heartbeats: [], nowMs: NOW };
    const coverage = (lastSeenMs: number) => [
      {
        path: 'replay' as const,
        source: 'gcp.audit' as const,
        scope: 'p',
        region: '-',
        firstSeenMs: Date.parse('2025-01-01T00:00:00Z'),
        lastSeenMs,
      },
    ];
    const rotation = (lastSeenMs: number) =>
      buildPostureReport({ ...base, coverage: coverage(lastSeenMs) }).accounts[1]?.controls.find(
        (c) => c.id === 'rotation',
      );
    expect(rotation(Date.parse('2025-01-20T00:00:00Z'))).toMatchObject({
      status: 'unknown',
      evidence: 'no rotation seen in the logs; due 2025-01-31, but the logs end 2025-01-20',
    });
    expect(rotation(Date.parse('2025-02-20T00:00:00Z'))?.status).toBe('fail');
  });
});

describe('drills: live ones measure the pipeline, replayed history does not', () => {
  const report = hostileReport();

  it('shows a replayed window drill without a latency, and never as the failed drill beside "not seen"', () => {
    expect(report.drills.map((d) => [d.drillId, d.status, d.live, d.pageMs])).toEqual([
      ['w-gw-old', 'replayed', false, undefined],
      ['d-1', 'passed', true, 4300],
      ['d-2', 'failed', true, 4300],
    ]);
    expect(report.drills[0]?.reason).toMatch(
      /^replayed: handled 3663 d \d+ h after its drill window closed, so no latency$/,
    );
    expect(report.accounts[0]?.lastDrill).toBe('2026-02-01T10:00:00.000Z');
    expect(report.accounts[0]?.controls.find((c) => c.id === 'drill')?.status).toBe('pass');
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('keeps a window drill handled within its window (plus the grace) as live, with its latency', () => {
    const handledMs =
      Date.parse('2016-02-20T04:00:00Z') + WINDOW_LIVE_GRACE_MS - Date.parse(REPLAYED_WINDOW_DRILL.startedAt);
    const steps = REPLAYED_WINDOW_DRILL.steps.map((s) => (s.step === 'page' ? { ...s, latencyMs: handledMs } : s));
    expect(drillRow({ ...REPLAYED_WINDOW_DRILL, steps }, HOSTILE_REGISTRY, NOW)).toMatchObject({
      status: 'failed',
      live: true,
      pageMs: handledMs,
    });
    const later = steps.map((s) => (s.step === 'page' ? { ...s, latencyMs: handledMs + 1 } : s));
    expect(drillRow({ ...REPLAYED_WINDOW_DRILL, steps: later }, HOSTILE_REGISTRY, NOW)).toMatchObject({
      status: 'replayed',
      live: false,
    });
  });
});

describe('incidents: workflow, links from configuration only, trend', () => {
  const report = hostileReport();

  it("follows each incident's page, acknowledgement, resolution, ticket, review and rotation", () => {
    const gw1 = report.incidents.find((i) => i.id === 'gw-1')?.workflow;
    expect(gw1).toMatchObject({
      page: { state: 'delivered', via: ['pagerduty'], at: '2026-02-20T10:01:00.000Z' },
      acknowledged: { state: 'acknowledged', at: '2026-02-20T10:06:00.000Z' },
      resolved: { state: 'resolved', at: '2026-02-20T11:01:00.000Z' },
      ticket: { system: 'jira', key: 'SEC-12', url: 'https://example.atlassian.net/browse/SEC-12' },
      review: { state: 'scheduled' },
      rotation: { state: 'seen (UpdateLoginProfile)', done: true },
      escalations: ['tamper'],
      timeToAckMs: 300_000,
      timeToResolveMs: 3_600_000,
    });
    // A "key" that is not a Jira key gets no link, whatever it says.
    expect(report.incidents.find((i) => i.id === 'gw-3')?.workflow.ticket).not.toHaveProperty('url');
    expect(report.incidents.find((i) => i.id === 'gw-2')?.workflow.page.state).toBe('not paged');
  });

  it('builds ticket URLs only from an https site and a key of the documented shape', () => {
    const sites = { jira: 'https://x.atlassian.net/', servicenow: 'https://x.service-now.com' };
    expect(ticketUrl('jira', 'SEC-1', sites)).toBe('https://x.atlassian.net/browse/SEC-1');
    expect(ticketUrl('jira', 'SEC-1/../../evil', sites)).toBeUndefined();
    expect(ticketUrl('jira', 'SEC-1', { jira: 'http://x.atlassian.net' })).toBeUndefined();
    expect(ticketUrl('servicenow', 'a'.repeat(32), sites)).toBe(
      `https://x.service-now.com/nav_to.do?uri=incident.do%3Fsys_id%3D${'a'.repeat(32)}`,
    );
    expect(ticketUrl('servicenow', 'INC0010001', sites)).toBeUndefined();
  });

  it('counts incidents per month by severity and kind over the data window, empty months included', () => {
    expect(report.trend.bucket).toBe('month');
    expect(report.trend.periods.map((p) => [p.period, p.bySeverity.critical, p.bySeverity.low, p.drills])).toEqual([
      ['2025-10', 0, 0, 0],
      ['2025-11', 0, 0, 0],
      ['2025-12', 0, 0, 0],
      ['2026-01', 0, 0, 0],
      ['2026-02', 2, 1, 1],
      ['2026-03', 1, 0, 0],
    ]);
    expect(report.trend.periods[4]?.byKind['signin.success']).toBe(2);
    expect(report.trend.periods[4]?.byKind['credential.access']).toBe(1);
    expect(report.incidentTotal).toBe(4);
  });

  it('counts by quarter or year when months would make more than 24 bars', () => {
    const at = (firstSeen: string) =>
      ({ firstSeen, severity: 'high', detections: ['activity'], drill: false }) as Incident;
    expect(incidentTrend([at('2020-01-05T00:00:00Z'), at('2022-12-31T00:00:00Z')]).bucket).toBe('quarter');
    const years = incidentTrend([at('2016-02-05T00:00:00Z'), at('2024-12-31T00:00:00Z')]);
    expect(years.bucket).toBe('year');
    expect(years.periods.map((p) => p.period)).toEqual([
      '2016',
      '2017',
      '2018',
      '2019',
      '2020',
      '2021',
      '2022',
      '2023',
      '2024',
    ]);
  });
});

describe('coverage', () => {
  it('lists every path, source, scope and Region with its span, sorted by cloud and scope', () => {
    const report = hostileReport();
    expect(report.coverage.scopes.map((s) => [s.cloud, s.path, s.region, s.lastSeen])).toEqual([
      ['aws', 'aws.s3', 'eu-west-1', '2026-03-02T11:59:00.000Z'],
      ['gcp', 'replay', '-', '2026-02-20T00:00:00.000Z'],
    ]);
    expect(report.coverage.sources.map((s) => [s.source, s.state])).toEqual([
      ['cloudtrail-s3', 'ok'],
      ['gcp-pull', 'never'],
    ]);
  });
});
