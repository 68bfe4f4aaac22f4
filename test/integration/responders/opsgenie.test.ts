import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { awsActivity, awsRootSignIn, closed, extend, incident, opened } from '../../unit/act/support/incidents.js';
import { configFor, harness, startVendors, type Vendors } from './harness.js';

let vendors: Vendors;
beforeEach(async () => {
  vendors = await startVendors();
});
afterEach(async () => {
  await vendors.close();
});

describe('Opsgenie / JSM Alert API (contract server)', () => {
  it('one alert by alias; an escalation opens its own alert once; the session end is a note, the alert stays open', async () => {
    const { responders } = harness(vendors, configFor(vendors, ['opsgenie']));
    const first = incident([awsRootSignIn()], { id: 'inc-og-1', severity: 'high' });
    const raise = extend(first, [awsActivity({ action: 'StopLogging', kinds: ['audit.tamper'] })], {
      severity: 'critical',
    });
    const report = await responders.handle([opened(first), extend(first, []), raise, raise, closed(raise.incident)]);
    expect(report.complete).toBe(true);
    expect(vendors.opsgenie.opened.map((a) => a.alias)).toEqual(['inc-og-1', 'inc-og-1:tamper']);
    const alert = vendors.opsgenie.alerts.get('inc-og-1');
    expect(alert).toMatchObject({ priority: 'P2', status: 'open', count: 1 });
    expect(alert?.message.length).toBeLessThanOrEqual(130);
    expect(alert?.notes).toEqual([
      `Session ended at ${raise.incident.lastSeen} (last activity), 2 events, final severity critical`,
    ]);
    const escalation = vendors.opsgenie.alerts.get('inc-og-1:tamper');
    expect(escalation).toMatchObject({ priority: 'P1', status: 'open', count: 1 });
    expect(escalation?.message).toMatch(/^Incident inc-og-1 escalated: new audit\.tamper; severity raised/);
  });

  it('drills get the lowest priority', async () => {
    const { responders } = harness(vendors, configFor(vendors, ['opsgenie']));
    await responders.handle([opened(incident([awsRootSignIn()], { id: 'inc-og-2', drill: true }))]);
    expect(vendors.opsgenie.alerts.get('inc-og-2')?.priority).toBe('P5');
  });

  it('a 422 from the contract is a permanent failure', async () => {
    const { responders } = harness(vendors, configFor(vendors, ['opsgenie']));
    vendors.opsgenie.fail({ kind: 'status', status: 422, body: '{"message":"Request body is not processable."}' });
    const report = await responders.handle([opened(incident([awsRootSignIn()], { id: 'inc-og-3' }))]);
    expect(report.incidents[0]?.actions[0]).toMatchObject({ status: 'failed', httpStatus: 422, attempts: 1 });
  });
});
