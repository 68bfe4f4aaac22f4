import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Incident, IncidentChange } from '../../../shared/core/model/incident.js';
import { storedChange } from '../../../shared/runtime/aws/stored-changes.js';
import { adfText } from '../../support/vendor-servers/adf.js';
import { awsActivity, awsRootSignIn, closed, extend, incident, opened } from '../../unit/act/support/incidents.js';
import { CREDENTIALS, configFor, harness, startVendors, type Vendors } from './harness.js';

/**
 * Order of changes on AWS: the incident-change queue is a standard SQS queue (at least once, any
 * order). The responders act on the incident as stored, re-read by id (stored-changes.ts), so every
 * change renders the newest stored version, and the ledger's version checks make a late change a no-op
 * when what was already delivered carried it. Reordered and repeated deliveries, against the contract
 * servers.
 */

let vendors: Vendors;
beforeEach(async () => {
  vendors = await startVendors();
});
afterEach(async () => {
  await vendors.close();
});

/** One incident's four changes: opened v1, activity v2, tamper v3 (critical), closed v4. */
function story(id: string, drill = false) {
  const v1 = incident([awsRootSignIn()], { id, severity: drill ? 'low' : 'high', drill });
  const v2 = extend(v1, [awsActivity()]);
  const v3 = extend(v2.incident, [awsActivity({ action: 'StopLogging', kinds: ['audit.tamper'] })], {
    severity: drill ? 'high' : 'critical',
  });
  const v4 = closed(v3.incident);
  return { changes: [opened(v1), v2, v3, v4], versions: [v1, v2.incident, v3.incident, v4.incident] };
}

/** The Lambda's path for one message: the claimed change rebuilt from what the store holds now. */
async function deliver(
  responders: ReturnType<typeof harness>['responders'],
  stored: Incident,
  claimed: IncidentChange,
): Promise<void> {
  const checked = await storedChange({ getIncident: async () => stored }, claimed);
  if (!checked.ok) throw new Error(checked.reason);
  expect((await responders.handle([checked.change])).complete).toBe(true);
}

const alertKeys = () => vendors.pagerduty.opened.map((a) => a.dedupKey);

describe('reordered and repeated deliveries', () => {
  it('all four changes backwards and twice, the store at v4: one page carrying the tamper, one ticket with every event', async () => {
    const { responders } = harness(vendors, configFor(vendors, ['pagerduty', 'jira']));
    const { changes, versions } = story('inc-rev');
    const latest = versions[3] as Incident;
    for (const change of [...changes].reverse()) await deliver(responders, latest, change);
    for (const change of changes) await deliver(responders, latest, change);

    expect(alertKeys()).toEqual(['inc-rev']);
    expect(vendors.pagerduty.alerts.get(`${CREDENTIALS.routingKey}/inc-rev`)).toMatchObject({
      severity: 'critical',
      status: 'triggered',
    });
    expect(vendors.jira.issues).toHaveLength(1);
    const issue = vendors.jira.issues[0];
    const description = adfText(issue?.description).join('\n');
    expect(description).toContain('StopLogging');
    expect(description).toContain('CreateBucket');
    // The ticket opened from v4 holds every event: no timeline comment repeats them; the session end once.
    expect(issue?.comments.map((c) => adfText(c)[0]?.slice(0, 17))).toEqual(['Session ended at ']);
  });

  it('in order as the store grows, with repeats: the page, then the tamper escalation once, comments once each', async () => {
    const { responders } = harness(vendors, configFor(vendors, ['pagerduty', 'jira']));
    const { changes, versions } = story('inc-grow');
    for (const [i, change] of changes.entries()) {
      await deliver(responders, versions[i] as Incident, change);
      await deliver(responders, versions[i] as Incident, change);
    }
    // A stale redelivery of the opening after the end changes nothing.
    await deliver(responders, versions[3] as Incident, changes[0] as IncidentChange);
    expect(alertKeys()).toEqual(['inc-grow', 'inc-grow:tamper']);
    const comments = vendors.jira.issues[0]?.comments.map((c) => adfText(c)[0] ?? '') ?? [];
    expect(comments).toHaveLength(3);
    expect(comments.at(-1)).toMatch(/^Session ended at /);
  });

  it('a drill closed before its tamper change arrives: resolved once, the late escalation never pages', async () => {
    const { responders } = harness(vendors, configFor(vendors, ['pagerduty']));
    const { changes, versions } = story('inc-drill', true);
    await deliver(responders, versions[1] as Incident, changes[0] as IncidentChange);
    await deliver(responders, versions[3] as Incident, changes[3] as IncidentChange);
    await deliver(responders, versions[3] as Incident, changes[2] as IncidentChange);
    await deliver(responders, versions[3] as Incident, changes[1] as IncidentChange);
    expect(alertKeys()).toEqual(['inc-drill']);
    expect(vendors.pagerduty.alerts.get(`${CREDENTIALS.routingKey}/inc-drill`)?.status).toBe('resolved');
  });
});
