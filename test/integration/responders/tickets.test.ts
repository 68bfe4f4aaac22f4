import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adfText, validateAdf } from '../../support/vendor-servers/adf.js';
import {
  awsActivity,
  awsRootSignIn,
  closed,
  extend,
  incident,
  opened,
  session,
} from '../../unit/act/support/incidents.js';
import { CREDENTIALS, configFor, harness, startVendors, type Vendors } from './harness.js';

let vendors: Vendors;
beforeEach(async () => {
  vendors = await startVendors();
});
afterEach(async () => {
  await vendors.close();
});

describe('Jira Cloud REST v3 (contract server)', () => {
  it('opens one issue per incident and appends each change as an ADF comment; ends with "Session ended"', async () => {
    const { responders } = harness(vendors, configFor(vendors, ['jira']));
    const report = await responders.handle(session('inc-j-1', 3));
    expect(report.complete).toBe(true);
    expect(vendors.jira.issues).toHaveLength(1);
    const issue = vendors.jira.issues[0];
    expect(issue?.summary).toBe('Break-glass use: root (111122223333) in AWS 111122223333 · critical');
    expect(issue?.labels).toEqual(['glasswatch', 'break-glass', expect.stringMatching(/^gw-[0-9a-f]{32}$/)]);
    expect(validateAdf(issue?.description)).toEqual([]);
    expect(issue?.comments).toHaveLength(4);
    expect(adfText(issue?.comments[3])[0]).toMatch(
      /^Session ended at \S+ \(last activity\), \d+ events?, final severity \w+\. The pages stay open/,
    );
    expect(report.incidents[0]?.actions.find((a) => a.key === 'ticket:jira:open')?.ref).toMatchObject({
      issueKey: 'SEC-1',
      url: `${vendors.jira.url}/browse/SEC-1`,
    });
  });

  it('a create whose answer was lost is found again by its label, not created twice', async () => {
    const { responders } = harness(vendors, configFor(vendors, ['jira']));
    vendors.jira.fail({ kind: 'lost' });
    const report = await responders.handle([opened(incident([awsRootSignIn()], { id: 'inc-j-2' }))]);
    expect(report.complete).toBe(true);
    expect(vendors.jira.issues).toHaveLength(1);
    expect(vendors.jira.processed().map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /rest/api/3/issue',
      'GET /rest/api/3/search/jql',
    ]);
    expect(report.incidents[0]?.actions[0]?.ref?.how).toBe('found');
  });

  it('429 with Retry-After is honoured; a comment waits for its issue', async () => {
    const { responders, clock } = harness(vendors, configFor(vendors, ['jira']));
    vendors.jira.fail({
      kind: 'status',
      status: 429,
      headers: { 'retry-after': '5' },
      body: '{"errorMessages":["Rate limit exceeded"]}',
    });
    const first = incident([awsRootSignIn()], { id: 'inc-j-3' });
    const report = await responders.handle([opened(first), extend(first, [awsActivity()])]);
    expect(report.complete).toBe(true);
    expect(clock.sleeps).toEqual([5_000]);
    expect(vendors.jira.issues[0]?.comments).toHaveLength(1);
  });

  it('bad credentials: 401 fails without retry, and the report never shows the token', async () => {
    const input = configFor(vendors, ['jira']);
    const { responders } = harness(vendors, input);
    vendors.jira.fail({
      kind: 'status',
      status: 401,
      body: JSON.stringify({ errorMessages: [`token ${CREDENTIALS.jiraToken} rejected`] }),
    });
    const report = await responders.handle([opened(incident([awsRootSignIn()], { id: 'inc-j-4' }))]);
    const action = report.incidents[0]?.actions[0];
    expect(action).toMatchObject({ status: 'failed', httpStatus: 401, attempts: 1 });
    expect(JSON.stringify(report)).not.toContain(CREDENTIALS.jiraToken);
    expect(action?.detail).toContain('[redacted]');
  });

  it('a missing credential is a clear, permanent failure naming the variable', async () => {
    const input = configFor(vendors, ['jira'], {});
    const { responders } = harness(vendors, {
      ...input,
      jira: { baseUrl: vendors.jira.url, projectKey: 'SEC', apiToken: { env: 'GLASSWATCH_TEST_UNSET_TOKEN' } },
    });
    const report = await responders.handle([opened(incident([awsRootSignIn()], { id: 'inc-j-5' }))]);
    expect(report.incidents[0]?.actions[0]).toMatchObject({
      status: 'failed',
      detail: 'jira: SecretUnavailableError: environment variable GLASSWATCH_TEST_UNSET_TOKEN: not set',
    });
    expect(vendors.jira.received).toEqual([]);
  });
});

describe('ServiceNow Table API (contract server)', () => {
  it('opens one incident record and appends work notes; the session end is noted', async () => {
    const { responders } = harness(vendors, configFor(vendors, ['servicenow']));
    const report = await responders.handle(session('inc-s-1', 2));
    expect(report.complete).toBe(true);
    expect(vendors.servicenow.incidents).toHaveLength(1);
    const record = vendors.servicenow.incidents[0];
    expect(record).toMatchObject({
      short_description: 'Break-glass use: root (111122223333) in AWS 111122223333 · critical',
      correlation_id: 'inc-s-1',
      urgency: '1',
    });
    expect(record?.description.length).toBeLessThanOrEqual(4_000);
    expect(record?.work_notes).toHaveLength(3);
    expect(record?.work_notes[2]).toMatch(/^Session ended at /);
  });

  it('a create whose answer was lost is found by correlation_id, not created twice', async () => {
    const { responders } = harness(vendors, configFor(vendors, ['servicenow']));
    vendors.servicenow.fail({ kind: 'lost' }, { kind: 'status', status: 503 });
    const first = incident([awsRootSignIn()], { id: 'inc-s-2' });
    const report = await responders.handle([opened(first), closed(first)]);
    expect(report.complete).toBe(true);
    expect(vendors.servicenow.incidents).toHaveLength(1);
    expect(vendors.servicenow.incidents[0]?.work_notes).toHaveLength(1);
  });
});
