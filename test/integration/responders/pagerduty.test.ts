import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { awsRootSignIn, closed, incident, opened, session } from '../../unit/act/support/incidents.js';
import { CREDENTIALS, configFor, harness, startVendors, type Vendors } from './harness.js';

let vendors: Vendors;
beforeEach(async () => {
  vendors = await startVendors();
});
afterEach(async () => {
  await vendors.close();
});

const pd = () => vendors.pagerduty;
const first = () => incident([awsRootSignIn()], { id: 'inc-pd-1' });

describe('PagerDuty Events API v2 (contract server)', () => {
  it('triggers one alert with dedup_key = incident id and the documented payload', async () => {
    const { responders } = harness(vendors, configFor(vendors, ['pagerduty']));
    const report = await responders.handle([opened(first())]);
    expect(report.complete).toBe(true);
    expect(pd().opened).toHaveLength(1);
    const event = pd().processed()[0]?.body as { links?: unknown };
    expect(event).toMatchObject({
      routing_key: CREDENTIALS.routingKey,
      event_action: 'trigger',
      dedup_key: 'inc-pd-1',
      payload: {
        summary:
          'root (111122223333) signed in to AWS 111122223333 from 192.0.2.0 · Firefox/62 on macOS · without MFA · critical',
        source: 'AWS account 111122223333',
        severity: 'critical',
      },
    });
    expect(event.links).toBeUndefined();
  });

  it('outage then recovery: 500, 502, 503 then 202 — one alert, three backoff waits', async () => {
    const { responders, clock } = harness(vendors, configFor(vendors, ['pagerduty']));
    pd().fail({ kind: 'status', status: 500 }, { kind: 'status', status: 502 }, { kind: 'status', status: 503 });
    const report = await responders.handle([opened(first())]);
    expect(report.complete).toBe(true);
    expect(pd().received).toHaveLength(4);
    expect(pd().opened).toHaveLength(1);
    expect(clock.sleeps).toHaveLength(3);
    for (const [i, ms] of clock.sleeps.entries()) expect(ms).toBeLessThan(200 * 2 ** i);
  });

  it('429 storm: waits exactly the Retry-After each time (seconds and HTTP-date)', async () => {
    const { responders, clock } = harness(vendors, configFor(vendors, ['pagerduty']));
    // The fake clock starts on a whole second; after waiting 2 s and 3 s, this date is 5 s away.
    const httpDate = new Date(clock.now() + 10_000).toUTCString();
    pd().fail(
      { kind: 'status', status: 429, headers: { 'retry-after': '2' } },
      { kind: 'status', status: 429, headers: { 'retry-after': '3' } },
      { kind: 'status', status: 429, headers: { 'retry-after': httpDate } },
    );
    const report = await responders.handle([opened(first())]);
    expect(report.complete).toBe(true);
    expect(clock.sleeps).toEqual([2_000, 3_000, 5_000]);
    expect(pd().opened).toHaveLength(1);
  });

  it('400 from the contract (bad routing key) is not retried and is reported failed with the vendor errors', async () => {
    const input = configFor(vendors, ['pagerduty']);
    const { responders, clock } = harness(vendors, {
      ...input,
      pagerduty: { eventsUrl: vendors.pagerduty.eventsUrl, routingKey: 'too-short' },
    });
    const report = await responders.handle([opened(first())]);
    expect(pd().received).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
    expect(report.incidents[0]?.actions[0]).toMatchObject({ status: 'failed', httpStatus: 400 });
    expect(report.incidents[0]?.actions[0]?.detail).toContain("Length of 'routing_key' is incorrect");
  });

  it('a timeout is retried; the hung request never opened an alert', async () => {
    const { responders } = harness(vendors, configFor(vendors, ['pagerduty']));
    pd().fail({ kind: 'hang' });
    const report = await responders.handle([opened(first())]);
    expect(report.complete).toBe(true);
    expect(pd().received).toHaveLength(2);
    expect(pd().opened).toHaveLength(1);
  });

  it('a lost answer is retried and still makes one alert (dedup_key)', async () => {
    const { responders } = harness(vendors, configFor(vendors, ['pagerduty']));
    pd().fail({ kind: 'lost' }, { kind: 'reset' });
    expect((await responders.handle([opened(first())])).complete).toBe(true);
    expect(pd().processed()).toHaveLength(2);
    expect(pd().opened).toHaveLength(1);
    expect(pd().opened[0]?.triggers).toBe(2);
  });

  it('the same incident updated 100 times pages once; the session end does not resolve it', async () => {
    const { responders } = harness(vendors, configFor(vendors, ['pagerduty']));
    const report = await responders.handle(session('inc-pd-100', 100));
    expect(report.complete).toBe(true);
    expect(pd().notifications).toBe(1);
    expect(
      pd()
        .processed()
        .map((r) => (r.body as { event_action: string }).event_action),
    ).toEqual(['trigger']);
    expect(pd().alerts.get(`${CREDENTIALS.routingKey}/inc-pd-100`)?.status).toBe('triggered');
  });

  it('a drill resolves itself when its session ends', async () => {
    const { responders } = harness(vendors, configFor(vendors, ['pagerduty']));
    expect((await responders.handle(session('inc-pd-drill', 3, { drill: true }))).complete).toBe(true);
    expect(pd().alerts.get(`${CREDENTIALS.routingKey}/inc-pd-drill`)?.status).toBe('resolved');
  });

  it('drills page at low urgency (severity info) with DRILL first', async () => {
    const { responders } = harness(vendors, configFor(vendors, ['pagerduty']));
    await responders.handle([opened(incident([awsRootSignIn()], { id: 'inc-drill', drill: true }))]);
    const body = pd().processed()[0]?.body as { payload?: { severity: string; summary: string } } | undefined;
    expect(body?.payload?.severity).toBe('info');
    expect(body?.payload?.summary.startsWith('DRILL · ')).toBe(true);
  });

  it('a drill closed while PagerDuty is down still pages, then resolves, once it is back', async () => {
    const { responders } = harness(vendors, configFor(vendors, ['pagerduty']));
    const first = () => incident([awsRootSignIn()], { id: 'inc-pd-1', drill: true });
    pd().fail(...Array.from({ length: 4 }, () => ({ kind: 'status' as const, status: 503 })));
    const down = await responders.handle([opened(first()), closed(first())]);
    expect(down.complete).toBe(false);
    expect(down.incidents[0]?.actions.find((a) => a.key === 'resolve:pagerduty')?.detail).toBe(
      'waiting for page:pagerduty',
    );
    const up = await responders.handle([closed(first())]);
    expect(up.complete).toBe(true);
    expect(pd().opened).toHaveLength(1);
    expect(pd().opened[0]?.status).toBe('resolved');
  });
});
