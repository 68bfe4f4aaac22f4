import { describe, expect, it } from 'vitest';
import { respondersSchema } from '../../../shared/core/act/config-schema.js';
import { escalationOf, planActions, planFor } from '../../../shared/core/act/plan.js';
import { awsActivity, awsRootSignIn, closed, extend, incident, opened } from './support/incidents.js';

const config = respondersSchema.parse({
  pagerduty: { routingKey: 'R'.repeat(32) },
  sns: { topicArn: 'arn:aws:sns:us-east-1:111122223333:break-glass' },
  chat: { kind: 'slack' },
  jira: { baseUrl: 'https://example.atlassian.net', projectKey: 'SEC' },
  fallbackPager: 'sns',
});
const plan = planFor(config);
const start = incident([awsRootSignIn()], { id: 'inc-1', severity: 'high', detections: ['signin.success'] });

describe('planFor', () => {
  it('uses the outbox when no vendor is configured', () => {
    expect(planFor(undefined)).toMatchObject({ pagers: [], ticketers: [], outbox: true });
    expect(planFor(respondersSchema.parse({}))).toMatchObject({ outbox: true });
  });

  it('keeps SNS out of the pagers when it is the fallback of a primary pager', () => {
    expect(plan).toMatchObject({
      pagers: ['pagerduty', 'chat'],
      primary: 'pagerduty',
      fallback: 'sns',
      ticketers: ['jira'],
      outbox: false,
    });
  });

  it('pages through SNS always when there is no fallback setting', () => {
    const { fallbackPager: _, ...rest } = config;
    expect(planFor({ ...rest }).pagers).toEqual(['pagerduty', 'sns', 'chat']);
  });
});

describe('planActions', () => {
  it('opened: pages every pager and opens the ticket; the primary pager carries its fallback', () => {
    const actions = planActions(opened(start), plan);
    expect(actions.map((a) => a.key)).toEqual(['page:pagerduty', 'page:chat', 'ticket:jira:open']);
    const page = actions[0];
    expect(page?.kind === 'page' && page.fallback?.key).toBe('page:fallback:sns');
    expect(page?.kind === 'page' && page.fallback?.page.reasonText).toBe(
      'Primary pager (pagerduty) failing, paging through sns',
    );
  });

  it('extended with activity only: appends to the ticket, pages nothing new', () => {
    const change = extend(start, [awsActivity()]);
    const keys = planActions(change, plan).map((a) => a.key);
    expect(keys.filter((k) => k.startsWith('notify:'))).toEqual([]);
    expect(keys.filter((k) => k.startsWith('ticket:jira:events:'))).toHaveLength(1);
    // The opening page and ticket are re-planned; the ledger makes them no-ops once delivered.
    expect(keys).toContain('page:pagerduty');
  });

  it('extended with a tamper event: notifies every pager once, with the reason', () => {
    const change = extend(start, [awsActivity({ action: 'StopLogging', kinds: ['audit.tamper'] })], {
      severity: 'critical',
    });
    const notify = planActions(change, plan).filter((a) => a.kind === 'notify');
    expect(notify.map((a) => a.key)).toEqual([
      'notify:pagerduty:sev-critical+kind-audit.tamper',
      'notify:chat:sev-critical+kind-audit.tamper',
    ]);
    expect(notify[0]?.kind === 'notify' && notify[0].page.reasonText).toBe(
      'Severity raised from high to critical; new detection audit.tamper',
    );
    expect(notify[0]?.kind === 'notify' && notify[0].fallback?.key).toBe(
      'notify:fallback:sns:sev-critical+kind-audit.tamper',
    );
  });

  it('the same escalation redelivered plans the same keys; a later same-severity update does not notify', () => {
    const raise = extend(start, [awsActivity({ kinds: ['account.change'] })], { severity: 'critical' });
    const keys = (c: typeof raise) => planActions(c, plan).map((a) => a.key);
    expect(keys(raise)).toEqual(keys(structuredClone(raise)));
    const after = extend(raise.incident, [awsActivity()]);
    expect(keys(after).some((k) => k.startsWith('notify:'))).toBe(false);
  });

  it('closed: resolves the PagerDuty alert and comments that the session ended', () => {
    const keys = planActions(closed(start), plan).map((a) => a.key);
    expect(keys).toEqual(expect.arrayContaining(['resolve:pagerduty', 'ticket:jira:ended']));
    expect(keys.some((k) => k.startsWith('resolve:chat'))).toBe(false);
  });

  it('the outbox rewrites its files on every change', () => {
    const local = planFor(undefined);
    expect(planActions(opened(start), local).map((a) => a.key)).toEqual(['outbox:write:v1']);
  });
});

describe('escalationOf', () => {
  it('is undefined for opened/closed changes and for extensions without a raise or new kind', () => {
    expect(escalationOf(opened(start))).toBeUndefined();
    expect(escalationOf(extend(start, [awsActivity()]))).toBeUndefined();
    expect(
      escalationOf({ ...extend(start, [awsActivity()], { severity: 'critical' }), previous: undefined }),
    ).toBeUndefined();
  });

  it('names a severity raise and a new account.change kind', () => {
    expect(escalationOf(extend(start, [awsActivity()], { severity: 'critical' }))).toEqual({
      key: 'sev-critical',
      text: 'Severity raised from high to critical',
    });
    expect(escalationOf(extend(start, [awsActivity({ kinds: ['account.change'] })]))?.key).toBe('kind-account.change');
  });
});
