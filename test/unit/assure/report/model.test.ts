import { describe, expect, it } from 'vitest';
import { hostileReport } from './fixture.js';

describe('buildPostureReport', () => {
  const report = hostileReport();

  it('lists every registry account with lights, facts and violations', () => {
    expect(report.accounts.map((a) => a.id)).toEqual(['aws-prod-root', 'gcp-super-admin', 'entra-emergency']);
    const prod = report.accounts[0];
    expect(prod).toMatchObject({
      lights: { rotation: 'ok', drill: 'ok', lastUse: 'ok', mfa: 'bad' },
      lastRotation: '2026-03-01T10:00:00.000Z',
      lastDrill: '2026-02-01T10:00:00.000Z',
      lastSignInMfa: false,
    });
    expect(prod?.violations.map((v) => v.kind)).toEqual(['mfa-not-seen']);
    expect(report.accounts[1]?.violations.map((v) => v.kind)).toEqual(['rotation-overdue', 'drill-overdue']);
  });

  it('orders the timeline newest first and the drills oldest first, with their timings', () => {
    expect(report.timeline.map((i) => i.id)).toEqual(['gw-3', 'gw-2', 'gw-1']);
    expect(report.drills.map((d) => [d.drillId, d.status, d.incidentMs, d.pageMs, d.ticketMs])).toEqual([
      ['d-1', 'passed', 1200, 4300, 9100],
      ['d-2', 'failed', 1200, 4300, 9100],
    ]);
    expect(report.heartbeats[0]?.lastSeen).toBe('2026-03-02T11:59:00.000Z');
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });
});
