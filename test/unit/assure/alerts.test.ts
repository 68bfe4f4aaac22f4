import { describe, expect, it } from 'vitest';
import type { RespondersInput } from '../../../shared/core/act/config-schema.js';
import { respondersSchema } from '../../../shared/core/act/config-schema.js';
import { planFor } from '../../../shared/core/act/plan.js';
import { alertActions, type OperationalAlert } from '../../../shared/core/assure/alerts.js';
import type { DrillResult } from '../../../shared/core/assure/drill/steps.js';
import { complianceAlert, drillFailureAlert } from '../../../shared/core/assure/notices.js';

const plan = (input: RespondersInput | undefined) => planFor(input ? respondersSchema.parse(input) : undefined);
const PD = { pagerduty: { routingKey: 'k' } };
const JIRA = { jira: { baseUrl: 'https://example.atlassian.net', projectKey: 'SEC' } };

const FAILED: DrillResult = {
  drillId: 'd-1',
  account: 'aws-prod-root',
  cloud: 'aws',
  kind: 'synthetic',
  runtime: 'aws',
  startedAt: '2026-03-02T12:00:00.000Z',
  finishedAt: '2026-03-02T12:05:00.000Z',
  status: 'failed',
  steps: [
    { step: 'inject', status: 'passed', latencyMs: 80, boundMs: 30_000, detail: 'ok' },
    { step: 'incident', status: 'passed', latencyMs: 2100, boundMs: 60_000, detail: 'ok' },
    { step: 'page', status: 'failed', boundMs: 120_000, detail: 'not seen: waiting for page:pagerduty' },
  ],
};

describe('operational alerts', () => {
  it('pages a failed drill for real (not a drill page) with the step that failed', () => {
    const alert = drillFailureAlert(FAILED);
    expect(alert.title).toBe('Drill failed for aws-prod-root: page not within 2 min 0 s');
    const [page, ...rest] = alertActions(alert, plan({ ...PD, ...JIRA }), 'opened');
    expect(rest).toEqual([]);
    expect(page).toMatchObject({ kind: 'page', key: 'page:pagerduty', incidentId: 'drill.failed:d-1' });
    expect(page?.kind === 'page' && page.page).toMatchObject({ drill: false, severity: 'high' });
  });

  it('writes the outbox when nothing is configured, and resolves pages on the pagers that can', () => {
    const alert = drillFailureAlert(FAILED);
    expect(alertActions(alert, plan(undefined), 'opened').map((a) => a.key)).toEqual(['outbox:write:opened']);
    expect(alertActions(alert, plan(PD), 'resolved').map((a) => [a.kind, a.key, a.after])).toEqual([
      ['resolve', 'resolve:pagerduty', 'page:pagerduty'],
    ]);
  });

  it('tickets a compliance violation at low severity, pages at low severity without a ticketer, never resolves it', () => {
    const alert = complianceAlert(
      {
        account: 'gcp-super-admin',
        cloud: 'gcp',
        kind: 'drill-overdue',
        period: '2026-02-01',
        summary: 'gcp-super-admin: no drill',
        facts: [],
      },
      Date.parse('2026-03-02T00:00:00Z'),
    );
    expect(alert.id).toBe('compliance:gcp-super-admin:drill-overdue:2026-02-01');
    expect(alertActions(alert, plan({ ...PD, ...JIRA }), 'opened').map((a) => [a.kind, a.key])).toEqual([
      ['ticket.open', 'ticket:jira:open'],
    ]);
    const [page] = alertActions(alert, plan(PD), 'opened');
    expect(page?.kind === 'page' && page.page.severity).toBe('low');
    expect(alertActions(alert, plan(JIRA), 'resolved')).toEqual([]);
  });

  it('makes log-derived text inert before any output sees it', () => {
    const hostile: OperationalAlert = {
      id: 'pipeline.failing:x',
      mode: 'page',
      severity: 'high',
      cloud: 'aws',
      title: 'silent \u202Etxt.exe https://evil.example/x',
      facts: [{ label: 'Last error', value: 'line1\nline2 \u0007 www.evil.example' }],
      steps: [],
      timestamp: '2026-03-02T12:00:00.000Z',
    };
    const [page] = alertActions(hostile, plan(PD), 'opened');
    expect(page?.kind === 'page' && page.page.headline).toBe('silent txt.exe https[:]//evil.example/x');
    expect(page?.kind === 'page' && page.page.facts[0]?.value).toBe('line1 line2 www[.]evil.example');
  });
});
