import { describe, expect, it } from 'vitest';
import type { ActionOutcome } from '../../../shared/core/act/driver.js';
import { buildReport, formatReport } from '../../../shared/core/act/report.js';

const outcome = (key: string, status: ActionOutcome['status'], fields: Partial<ActionOutcome> = {}): ActionOutcome => ({
  incidentId: 'inc-1',
  key,
  output: 'pagerduty',
  kind: 'page',
  status,
  sent: false,
  attempts: 0,
  ...fields,
});

describe('delivery report', () => {
  it('keeps the latest outcome per action, without hiding that this run sent it', () => {
    const report = buildReport([
      outcome('page:pagerduty', 'delivered', { sent: true, attempts: 1 }),
      outcome('page:pagerduty', 'delivered', { detail: 'already delivered' }),
      outcome('ticket:jira:open', 'pending', { detail: 'jira 503: down' }),
      outcome('ticket:jira:open', 'failed', { detail: 'jira 400: bad', httpStatus: 400 }),
    ]);
    expect(report.totals).toEqual({ delivered: 1, pending: 0, failed: 1 });
    expect(report.complete).toBe(false);
    expect(report.incidents[0]?.status).toBe('failed');
    expect(report.incidents[0]?.actions[0]?.sent).toBe(true);
  });

  it('prints one line per action and a total', () => {
    const lines = formatReport(
      buildReport([outcome('page:pagerduty', 'delivered', { sent: true, ref: { dedupKey: 'inc-1' } })]),
    );
    expect(lines).toEqual([
      'delivered page:pagerduty               inc-1  sent dedupKey=inc-1',
      'actions: 1 delivered, 0 pending, 0 failed',
    ]);
  });
});
