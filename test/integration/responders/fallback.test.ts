import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { awsActivity, awsRootSignIn, extend, incident, opened } from '../../unit/act/support/incidents.js';
import { configFor, harness, startVendors, type Vendors } from './harness.js';

let vendors: Vendors;
beforeEach(async () => {
  vendors = await startVendors();
});
afterEach(async () => {
  await vendors.close();
});

const failing = (n: number) => Array.from({ length: n }, () => ({ kind: 'status' as const, status: 503 }));

describe('fallback pager (SNS) when PagerDuty keeps failing', () => {
  it('pages through SNS after the bound, once; PagerDuty delivers later without a second SNS page', async () => {
    const input = configFor(vendors, ['pagerduty', 'sns', 'jira'], { fallbackPager: 'sns', fallbackAfterAttempts: 3 });
    const { responders } = harness(vendors, input);
    const first = incident([awsRootSignIn()], { id: 'inc-fb-1' });
    vendors.pagerduty.fail(...failing(4));

    const outage = await responders.handle([opened(first)]);
    expect(outage.complete).toBe(false);
    expect(vendors.sns.published).toHaveLength(1);
    expect(vendors.sns.published[0]?.subject).toBe(
      'Glasswatch critical (fallback pager): root (111122223333) signed in to AWS 111122223333 from 192...',
    );
    expect(vendors.sns.published[0]?.message.split('\n')[0]).toBe(
      'Primary pager (pagerduty) failing, paging through sns · root (111122223333) signed in to AWS 111122223333 from 192.0.2.0 · Firefox/62 on macOS · without MFA · critical',
    );
    expect(vendors.pagerduty.opened).toHaveLength(0);
    expect(vendors.jira.issues).toHaveLength(1);

    const recovered = await responders.handle([opened(first), extend(first, [awsActivity()])]);
    expect(recovered.complete).toBe(true);
    expect(vendors.pagerduty.opened).toHaveLength(1);
    expect(vendors.sns.published).toHaveLength(1);
  });

  it('an SNS that is itself throttled is retried (SDK Throttling error), still one publish', async () => {
    const input = configFor(vendors, ['pagerduty', 'sns'], { fallbackPager: 'sns', fallbackAfterAttempts: 1 });
    const { responders } = harness(vendors, input);
    vendors.pagerduty.fail(...failing(4));
    vendors.sns.fail({ kind: 'status', status: 400 }, { kind: 'status', status: 500 });
    await responders.handle([opened(incident([awsRootSignIn()], { id: 'inc-fb-2' }))]);
    expect(vendors.sns.attempts).toHaveLength(3);
    expect(vendors.sns.published).toHaveLength(1);
  });

  it('without a fallback setting SNS pages every incident like any pager', async () => {
    const { responders } = harness(vendors, configFor(vendors, ['pagerduty', 'sns']));
    await responders.handle([opened(incident([awsRootSignIn()], { id: 'inc-fb-3' }))]);
    expect(vendors.pagerduty.opened).toHaveLength(1);
    expect(vendors.sns.published).toHaveLength(1);
    expect(vendors.sns.published[0]?.subject).toMatch(/^Glasswatch critical: root \(111122223333\) signed in/);
  });
});
