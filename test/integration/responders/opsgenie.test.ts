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
  it('creates one alert by alias, raises priority and notes the escalation, closes on session end', async () => {
    const { responders } = harness(vendors, configFor(vendors, ['opsgenie']));
    const first = incident([awsRootSignIn()], { id: 'inc-og-1', severity: 'high' });
    const raise = extend(first, [awsActivity({ action: 'StopLogging', kinds: ['audit.tamper'] })], {
      severity: 'critical',
    });
    const report = await responders.handle([opened(first), extend(first, []), raise, raise, closed(raise.incident)]);
    expect(report.complete).toBe(true);
    expect(vendors.opsgenie.opened).toHaveLength(1);
    const alert = vendors.opsgenie.alerts.get('inc-og-1');
    expect(alert).toMatchObject({ priority: 'P1', status: 'closed', count: 1 });
    expect(alert?.message.length).toBeLessThanOrEqual(130);
    expect(alert?.notes).toHaveLength(1);
    expect(alert?.notes[0]).toMatch(/^Severity raised from high to critical; new detection audit\.tamper · root/);
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
