import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { awsActivity, awsRootSignIn, closed, extend, incident, opened } from '../../unit/act/support/incidents.js';
import { CREDENTIALS, configFor, harness, pagerDutyWithRest, startVendors, type Vendors } from './harness.js';

/**
 * The paging contract against the contract servers, which behave as PagerDuty documents: a trigger on
 * an open (triggered or acknowledged) alert's dedup_key is appended without notifying anyone. What
 * pages, what re-pages, what resolves, and who resolves it.
 */

let vendors: Vendors;
beforeEach(async () => {
  vendors = await startVendors();
});
afterEach(async () => {
  await vendors.close();
});

const alert = (dedupKey: string) => vendors.pagerduty.alerts.get(`${CREDENTIALS.routingKey}/${dedupKey}`);
const tamper = () => awsActivity({ action: 'StopLogging', kinds: ['audit.tamper'] });

describe('paging contract (PagerDuty)', () => {
  it('acknowledged incident + later tamper: a new page under <incident>:tamper, naming the incident', async () => {
    const { responders } = harness(vendors, configFor(vendors, ['pagerduty']));
    const first = incident([awsRootSignIn()], { id: 'inc-ack', severity: 'high' });
    await responders.handle([opened(first)]);
    vendors.pagerduty.byHuman(CREDENTIALS.routingKey, 'inc-ack', 'acknowledged');

    const raise = extend(first, [tamper()], { severity: 'critical' });
    expect((await responders.handle([raise])).complete).toBe(true);

    expect(vendors.pagerduty.notifications).toBe(2);
    expect(alert('inc-ack')?.status).toBe('acknowledged');
    expect(alert('inc-ack:tamper')).toMatchObject({ status: 'triggered', severity: 'critical' });
    expect(alert('inc-ack:tamper')?.summary).toMatch(/^Incident inc-ack escalated: new audit\.tamper; severity raised/);
  });

  it('a re-trigger on the open key itself would notify nobody (why escalations need their own key)', async () => {
    const { responders } = harness(vendors, configFor(vendors, ['pagerduty']));
    const first = incident([awsRootSignIn()], { id: 'inc-dedup' });
    await responders.handle([opened(first)]);
    vendors.pagerduty.byHuman(CREDENTIALS.routingKey, 'inc-dedup', 'acknowledged');
    const { responders: again } = harness(vendors, configFor(vendors, ['pagerduty']));
    await again.handle([opened(first)]);
    expect(vendors.pagerduty.notifications).toBe(1);
    expect(alert('inc-dedup')?.log).toHaveLength(1);
  });

  it('the same escalation twice (redelivered, or a second tamper event) pages once', async () => {
    const { responders } = harness(vendors, configFor(vendors, ['pagerduty']));
    const first = incident([awsRootSignIn()], { id: 'inc-twice', severity: 'high' });
    const raise = extend(first, [tamper()], { severity: 'critical' });
    const again = extend(raise.incident, [tamper()]);
    await responders.handle([opened(first), raise, raise]);
    await responders.handle([raise, again]);
    expect(vendors.pagerduty.opened.map((a) => a.dedupKey)).toEqual(['inc-twice', 'inc-twice:tamper']);
  });

  it('each escalation kind pages once: tamper, account change, a raise with no new kind', async () => {
    const { responders } = harness(vendors, configFor(vendors, ['pagerduty']));
    const first = incident([awsRootSignIn()], { id: 'inc-kinds', severity: 'medium', detections: ['signin.failure'] });
    const raised = extend(first, [awsActivity()], { severity: 'high' });
    const changed = extend(raised.incident, [awsActivity({ kinds: ['account.change'] })]);
    const tampered = extend(changed.incident, [tamper()], { severity: 'critical' });
    expect((await responders.handle([opened(first), raised, changed, tampered])).complete).toBe(true);
    expect(vendors.pagerduty.opened.map((a) => a.dedupKey)).toEqual([
      'inc-kinds',
      'inc-kinds:severity-high',
      'inc-kinds:account-change',
      'inc-kinds:tamper',
    ]);
  });

  it('pages carry the ticket URL once the ticket exists, and name the cloud account as source', async () => {
    const { responders } = harness(vendors, configFor(vendors, ['pagerduty', 'jira']));
    const first = incident([awsRootSignIn()], { id: 'inc-links', severity: 'high' });
    await responders.handle([opened(first)]);
    await responders.handle([extend(first, [tamper()], { severity: 'critical' })]);
    const escalation = alert('inc-links:tamper');
    expect(escalation?.links).toEqual([{ href: `${vendors.jira.url}/browse/SEC-1`, text: 'Ticket SEC-1' }]);
    expect(escalation?.source).toBe('AWS account 111122223333');
  });

  it('the session end is a note on the alert (REST API) and a ticket comment; the alert stays open', async () => {
    const { responders } = harness(vendors, {
      ...configFor(vendors, ['jira']),
      pagerduty: pagerDutyWithRest(vendors),
    });
    const first = incident([awsRootSignIn()], { id: 'inc-note' });
    expect((await responders.handle([opened(first), closed(first)])).complete).toBe(true);
    expect(alert('inc-note')?.status).toBe('triggered');
    const note = `Session ended at ${first.lastSeen} (last activity), 1 event, final severity critical`;
    expect(alert('inc-note')?.notes).toEqual([note]);
    const rest = vendors.pagerduty.processed().filter((r) => r.path.startsWith('/incidents'));
    expect(rest.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /incidents', 'POST /incidents/Q000001/notes']);
    expect(rest[1]?.headers.from).toBe('soc@example.com');
    expect(vendors.jira.issues[0]?.comments).toHaveLength(1);
  });

  it('autoResolve: the session end resolves the real page', async () => {
    const { responders } = harness(vendors, configFor(vendors, ['pagerduty'], { autoResolve: true }));
    const first = incident([awsRootSignIn()], { id: 'inc-auto' });
    await responders.handle([opened(first), closed(first)]);
    expect(alert('inc-auto')?.status).toBe('resolved');
  });

  it('a drill resolves its page and its escalation pages when its session ends', async () => {
    const { responders } = harness(vendors, configFor(vendors, ['pagerduty']));
    const first = incident([awsRootSignIn()], { id: 'inc-drill', severity: 'low', drill: true });
    const raise = extend(first, [tamper()], { severity: 'high' });
    expect((await responders.handle([opened(first), raise, closed(raise.incident)])).complete).toBe(true);
    expect(alert('inc-drill')?.status).toBe('resolved');
    expect(alert('inc-drill:tamper')?.status).toBe('resolved');
  });
});

describe('a closed ticket resolves the pages (the only automatic resolve of a real page)', () => {
  it('Jira: nothing while the issue is open; once Done, every open alert is resolved with a note', async () => {
    const { responders } = harness(vendors, {
      ...configFor(vendors, ['jira']),
      pagerduty: pagerDutyWithRest(vendors),
    });
    const first = incident([awsRootSignIn()], { id: 'inc-jira', severity: 'high' });
    const raise = extend(first, [tamper()], { severity: 'critical' });
    await responders.handle([opened(first), raise, closed(raise.incident)]);

    expect((await responders.checkTickets()).incidents).toEqual([]);
    expect(alert('inc-jira')?.status).toBe('triggered');

    vendors.jira.setStatus('SEC-1', 'Done', 'done');
    const report = await responders.checkTickets();
    expect(report.complete).toBe(true);
    expect(report.incidents[0]?.actions.map((a) => a.key).sort()).toEqual([
      'resolve:pagerduty',
      'resolve:pagerduty:tamper',
    ]);
    expect(alert('inc-jira')?.status).toBe('resolved');
    expect(alert('inc-jira:tamper')?.status).toBe('resolved');
    expect(alert('inc-jira')?.notes.at(-1)).toBe('Ticket SEC-1 Done was closed: resolved by Glasswatch');

    // Resolved once: a later check finds nothing open and reads no ticket.
    const reads = vendors.jira.received.length;
    expect((await responders.checkTickets()).incidents).toEqual([]);
    expect(vendors.jira.received.length).toBe(reads);
  });

  it('ServiceNow: a Resolved incident closes the Opsgenie alert with the reason', async () => {
    const { responders } = harness(vendors, configFor(vendors, ['opsgenie', 'servicenow']));
    const first = incident([awsRootSignIn()], { id: 'inc-snow' });
    await responders.handle([opened(first), closed(first)]);
    expect((await responders.checkTickets()).incidents).toEqual([]);
    const number = vendors.servicenow.incidents[0]?.number as string;
    vendors.servicenow.setState(number, '6');
    expect((await responders.checkTickets()).complete).toBe(true);
    const closes = vendors.opsgenie.processed().filter((r) => r.path.endsWith('/close'));
    expect(closes.map((r) => (r.body as { note: string }).note)).toEqual([
      `Ticket ${number} Resolved was closed: resolved by Glasswatch`,
    ]);
    expect(vendors.opsgenie.alerts.get('inc-snow')?.status).toBe('closed');
  });

  it('a ticketer that cannot be read leaves the resolve pending, saying why', async () => {
    const { responders } = harness(vendors, configFor(vendors, ['pagerduty', 'jira']));
    await responders.handle([opened(incident([awsRootSignIn()], { id: 'inc-down' }))]);
    vendors.jira.fail({ kind: 'status', status: 503 });
    const report = await responders.checkTickets();
    expect(report.incidents[0]?.actions[0]).toMatchObject({ key: 'resolve:pagerduty', status: 'pending' });
    expect(report.incidents[0]?.actions[0]?.detail).toMatch(/^status of the jira ticket unavailable: jira 503/);
    expect(alert('inc-down')?.status).toBe('triggered');
  });
});
