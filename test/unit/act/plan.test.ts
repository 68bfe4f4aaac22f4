import { describe, expect, it } from 'vitest';
import { respondersSchema } from '../../../shared/core/act/config-schema.js';
import { escalationsOf, planActions, planFor } from '../../../shared/core/act/plan.js';
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

  it('extended with a tamper event: pages every pager once under its own alert key, naming the incident', () => {
    const change = extend(start, [awsActivity({ action: 'StopLogging', kinds: ['audit.tamper'] })], {
      severity: 'critical',
    });
    const notify = planActions(change, plan).filter((a) => a.kind === 'notify');
    expect(notify.map((a) => a.key)).toEqual(['notify:pagerduty:tamper', 'notify:chat:tamper']);
    expect(notify[0]?.kind === 'notify' && notify[0].alertKey).toBe('inc-1:tamper');
    expect(notify[0]?.kind === 'notify' && notify[0].page.reasonText).toBe(
      'Incident inc-1 escalated: new audit.tamper; severity raised from high to critical',
    );
    expect(notify[0]?.kind === 'notify' && notify[0].fallback?.key).toBe('notify:fallback:sns:tamper');
  });

  it('pages carry the ticket links; the incident page keeps the incident id as its alert key', () => {
    const [page] = planActions(opened(start), plan);
    expect(page).toMatchObject({ kind: 'page', alertKey: 'inc-1', links: ['ticket:jira:open'] });
    expect(page?.kind === 'page' && page.page.source).toBe('AWS account 111122223333');
  });

  it('the same escalation redelivered plans the same keys; a later same-severity update does not notify', () => {
    const raise = extend(start, [awsActivity({ kinds: ['account.change'] })], { severity: 'critical' });
    const keys = (c: typeof raise) => planActions(c, plan).map((a) => a.key);
    expect(keys(raise)).toEqual(keys(structuredClone(raise)));
    const after = extend(raise.incident, [awsActivity()]);
    expect(keys(after).some((k) => k.startsWith('notify:'))).toBe(false);
  });

  it('closed, real: nothing resolves the page; the ticket is told the session ended', () => {
    const keys = planActions(closed(start), plan).map((a) => a.key);
    expect(keys).toContain('ticket:jira:ended');
    expect(keys.some((k) => k.startsWith('resolve:'))).toBe(false);
    // PagerDuty takes notes only through its REST API, which this configuration lacks.
    expect(keys.some((k) => k.startsWith('note:'))).toBe(false);
  });

  it('closed, real, with the PagerDuty REST API: a note on the alert, which stays open', () => {
    const rest = planFor(
      respondersSchema.parse({
        pagerduty: {
          routingKey: 'R'.repeat(32),
          restApi: { token: { env: 'PD_TOKEN' }, from: 'soc@example.com' },
        },
      }),
    );
    const actions = planActions(closed(start), rest);
    expect(actions.map((a) => a.key)).toEqual(['page:pagerduty', 'note:pagerduty:ended']);
    expect(actions[1]?.kind === 'note' && actions[1].note).toBe(
      `Session ended at ${start.lastSeen} (last activity), 1 event, final severity high`,
    );
  });

  it('closed drill, or with autoResolve: resolves the alert', () => {
    const drill = { ...start, drill: true };
    expect(planActions(closed(drill), plan).map((a) => a.key)).toContain('resolve:pagerduty');
    const auto = planFor(respondersSchema.parse({ ...config, autoResolve: true }));
    const keys = planActions(closed(start), auto).map((a) => a.key);
    expect(keys).toContain('resolve:pagerduty');
    expect(keys.some((k) => k.startsWith('resolve:chat'))).toBe(false);
  });

  it('the outbox rewrites its files on every change', () => {
    const local = planFor(undefined);
    expect(planActions(opened(start), local).map((a) => a.key)).toEqual(['outbox:write:v1']);
  });
});

describe('a quiet incident (only deployment-like tamper changes)', () => {
  const quiet = incident([awsActivity({ kinds: ['audit.tamper'] })], { id: 'inc-q', severity: 'medium', quiet: true });

  it('is ticketed, not paged, when a ticketing system is configured', () => {
    const kinds = planActions(opened(quiet), plan).map((a) => a.kind);
    expect(kinds).toContain('ticket.open');
    expect(kinds.some((k) => k === 'page' || k === 'notify' || k === 'resolve')).toBe(false);
  });

  it('pages when nothing else can carry it', () => {
    const pagerOnly = planFor(respondersSchema.parse({ pagerduty: { routingKey: 'R'.repeat(32) } }));
    expect(planActions(opened(quiet), pagerOnly).map((a) => a.key)).toEqual(['page:pagerduty']);
  });

  it('pages once a finding that pages joins it', () => {
    const loud = { ...quiet, version: 1 };
    delete loud.quiet;
    expect(planActions(extend(quiet, [], {}), plan).some((a) => a.kind === 'page')).toBe(false);
    expect(planActions({ ...extend(quiet, []), incident: loud }, plan).map((a) => a.key)).toContain('page:pagerduty');
  });
});

describe('escalationsOf', () => {
  it('is empty for opened/closed changes and for extensions without a raise or new kind', () => {
    expect(escalationsOf(opened(start))).toEqual([]);
    expect(escalationsOf(extend(start, [awsActivity()]))).toEqual([]);
    expect(escalationsOf({ ...extend(start, [awsActivity()], { severity: 'critical' }), previous: undefined })).toEqual(
      [],
    );
  });

  it('one per new kind; a raise on its own only when no new kind explains it', () => {
    expect(escalationsOf(extend(start, [awsActivity()], { severity: 'critical' }))).toEqual([
      { kind: 'severity-critical', text: 'Incident inc-1 escalated: severity raised from high to critical' },
    ]);
    expect(escalationsOf(extend(start, [awsActivity({ kinds: ['account.change'] })])).map((e) => e.kind)).toEqual([
      'account-change',
    ]);
    const both = extend(start, [awsActivity({ kinds: ['account.change', 'audit.tamper'] })], { severity: 'critical' });
    expect(escalationsOf(both).map((e) => e.kind)).toEqual(['tamper', 'account-change']);
  });
});
