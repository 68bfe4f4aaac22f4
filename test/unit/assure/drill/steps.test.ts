import { describe, expect, it } from 'vitest';
import { respondersSchema } from '../../../../shared/core/act/config-schema.js';
import { planFor } from '../../../../shared/core/act/plan.js';
import {
  observeClose,
  observeIncident,
  observePage,
  observeTicket,
} from '../../../../shared/core/assure/drill/observe.js';
import {
  AWS_DRILL_BOUNDS,
  type DrillResult,
  drillStatus,
  failureSummary,
  formatMs,
  judgeStep,
  skippedSteps,
} from '../../../../shared/core/assure/drill/steps.js';
import type { Incident } from '../../../../shared/core/model/incident.js';
import type { DeliveryRecord } from '../../../../shared/core/ports/delivery-ledger.js';
import { drillIncident } from '../support/world.js';

const T0 = Date.parse('2026-03-02T12:00:00Z');

function incident(overrides: Partial<Incident> = {}): Incident {
  return drillIncident({
    events: [
      {
        id: 'aws:glasswatch-drill-d-1',
        time: '2026-03-02T12:00:00.000Z',
        cloud: 'aws',
        service: 'signin.amazonaws.com',
        action: 'ConsoleLogin',
        outcome: 'success',
        kinds: ['signin.success'],
        actor: 'root (111122223333)',
        resources: [],
        src: {},
        mfa: { used: true, methods: [] },
        origin: 'drill:d-1',
      },
    ],
    version: 0,
    ...overrides,
  });
}

function record(actionKey: string, status: DeliveryRecord['status'], atMs: number, lastError?: string): DeliveryRecord {
  return {
    incidentId: 'gw-drill',
    actionKey,
    status,
    attempts: 1,
    updatedAt: new Date(atMs).toISOString(),
    revision: 1,
    ...(lastError ? { lastError } : {}),
  };
}

describe('drill steps', () => {
  it('passes a step seen within its bound and fails one seen late or not at all', () => {
    expect(judgeStep('page', AWS_DRILL_BOUNDS, { latencyMs: 119_000, detail: 'paged' }).status).toBe('passed');
    expect(judgeStep('page', AWS_DRILL_BOUNDS, { latencyMs: 121_000, detail: 'paged' })).toMatchObject({
      status: 'failed',
      detail: 'paged, but after 2 min 1 s (bound 2 min 0 s)',
    });
    expect(judgeStep('ticket', AWS_DRILL_BOUNDS, { failure: 'jira 401' })).toMatchObject({
      status: 'failed',
      boundMs: 300_000,
    });
  });

  it('counts unavailable steps as not failing and names the first failed step', () => {
    const steps = [
      judgeStep('inject', AWS_DRILL_BOUNDS, { latencyMs: 10, detail: 'ok' }),
      judgeStep('incident', AWS_DRILL_BOUNDS, { failure: 'not seen' }),
      ...skippedSteps([], AWS_DRILL_BOUNDS, 'x').slice(2),
    ];
    expect(drillStatus(steps)).toBe('failed');
    expect(drillStatus([{ step: 'review', status: 'unavailable', boundMs: 1, detail: 'n/a' }])).toBe('passed');
    const result = { steps } as DrillResult;
    expect(failureSummary(result)).toBe('incident not within 1 min 0 s: not seen');
  });

  it('formats durations for people', () => {
    expect([850, 12_300, 245_000, 7_500_000, 3 * 86_400_000 + 4 * 3_600_000].map(formatMs)).toEqual([
      '850 ms',
      '12.3 s',
      '4 min 5 s',
      '2 h 5 min',
      '3 d 4 h',
    ]);
  });
});

describe('drill observations', () => {
  const pagerduty = planFor({
    pagerduty: { routingKey: 'k' },
    jira: { baseUrl: 'https://x.atlassian.net', projectKey: 'SEC' },
  } as never);
  const outbox = planFor(undefined);

  it('sees the incident only when the drill event opened it as a drill', () => {
    expect(observeIncident(undefined, 'aws:glasswatch-drill-d-1', T0)).toEqual({ waiting: expect.any(String) });
    expect(observeIncident(incident(), 'aws:glasswatch-drill-d-1', T0 + 5)).toMatchObject({ seenAt: T0 + 5 });
    expect(observeIncident(incident({ drill: false }), 'aws:glasswatch-drill-d-1', T0)).toMatchObject({
      failure: expect.stringMatching(/real incident/),
    });
    expect(observeIncident(incident(), 'aws:other', T0)).toMatchObject({
      failure: expect.stringMatching(/joined incident/),
    });
  });

  it('needs the page to say DRILL at low urgency and every pager to deliver it', () => {
    expect(observePage(pagerduty, incident(), [])).toEqual({ waiting: expect.stringMatching(/page:pagerduty/) });
    expect(observePage(pagerduty, incident(), [record('page:pagerduty', 'delivered', T0 + 900)])).toMatchObject({
      seenAt: T0 + 900,
    });
    expect(observePage(pagerduty, incident(), [record('page:pagerduty', 'failed', T0, 'pagerduty 400')])).toEqual({
      failure: 'page:pagerduty failed: pagerduty 400',
    });
    expect(observePage(pagerduty, incident({ drill: false, severity: 'critical' }), [])).toMatchObject({
      failure: expect.stringMatching(/DRILL/),
    });
    expect(observePage(outbox, incident(), [record('outbox:write:v0', 'delivered', T0 + 3)])).toMatchObject({
      seenAt: T0 + 3,
    });
  });

  it('needs the ticket, and after the close every resolve and session-end comment', () => {
    expect(observeTicket(pagerduty, [record('ticket:jira:open', 'delivered', T0 + 40)])).toMatchObject({
      seenAt: T0 + 40,
    });
    const closed = incident({ status: 'closed', version: 1 });
    const opened = [record('page:pagerduty', 'delivered', T0 + 1), record('ticket:jira:open', 'delivered', T0 + 2)];
    expect(observeClose(pagerduty, incident(), opened, T0)).toEqual({ waiting: expect.stringMatching(/still open/) });
    expect(observeClose(pagerduty, closed, [...opened, record('resolve:pagerduty', 'delivered', T0 + 7)], T0)).toEqual({
      waiting: expect.stringMatching(/ticket:jira:ended/),
    });
    expect(
      observeClose(
        pagerduty,
        closed,
        [...opened, record('resolve:pagerduty', 'delivered', T0 + 7), record('ticket:jira:ended', 'delivered', T0 + 9)],
        T0,
      ),
    ).toMatchObject({ seenAt: T0 + 9 });
    // A page that was refused has nothing to resolve: the close does not wait for it.
    expect(observeClose(pagerduty, closed, [record('page:pagerduty', 'failed', T0)], T0 + 50)).toMatchObject({
      seenAt: T0 + 50,
    });
    expect(observeTicket(planFor(respondersSchema.parse({ pagerduty: { routingKey: 'k' } })), [])).toEqual({
      unavailable: expect.stringMatching(/no ticketing system/),
    });
    expect(observeClose(outbox, closed, [record('outbox:write:v0', 'delivered', T0)], T0)).toEqual({
      waiting: expect.stringMatching(/outbox:write:v1/),
    });
  });
});
