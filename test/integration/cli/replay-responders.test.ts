import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { readFixtureJsonl } from '../../support/fixtures.js';
import { PagerDutyServer } from '../../support/vendor-servers/pagerduty.js';
import { JiraWithSubtasks } from '../../support/vendor-servers/ticket-tasks.js';

type Doc = Record<string, unknown>;

/** The contract for scripted checks: these four keys, Jira credentials from the named env vars. */
function registry(pagerdutyUrl: string, jiraUrl: string): string {
  return `
accounts:
  - id: aws-prod-root
    cloud: aws
    match: { arn: "arn:aws:iam::111122223333:root" }
responders:
  pagerduty:
    eventsUrl: ${pagerdutyUrl}
    routingKey: R0UT1NGKEY0000000000000000000000
  jira:
    baseUrl: ${jiraUrl}
    projectKey: SEC
  retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 2000 }
`;
}

const JIRA_ENV = { GLASSWATCH_JIRA_EMAIL: 'soc-bot@example.com', GLASSWATCH_JIRA_API_TOKEN: 'token-123' };

let dir: string;
let logs: string;
let pagerduty: PagerDutyServer;
let jira: JiraWithSubtasks;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'glasswatch-responders-'));
  logs = join(dir, 'console.jsonl');
  // The AWS docs' console sign-in samples (CC-BY-SA-4.0): one root session of four events.
  const records = readFixtureJsonl<{ event: Doc }>(
    'aws/aws-docs-cc-by-sa/cloudtrail_console_signin_examples.jsonl',
  ).flatMap(({ event }) => (Array.isArray(event.Records) ? (event.Records as Doc[]) : [event]));
  await writeFile(logs, records.map((r) => JSON.stringify(r)).join('\n'));
  pagerduty = await new PagerDutyServer().start();
  jira = await new JiraWithSubtasks(JIRA_ENV.GLASSWATCH_JIRA_EMAIL, JIRA_ENV.GLASSWATCH_JIRA_API_TOKEN).start();
  await writeFile(join(dir, 'registry.yaml'), registry(pagerduty.eventsUrl, jira.url));
});
afterEach(async () => {
  await pagerduty.close();
  await jira.close();
  await rm(dir, { recursive: true, force: true });
});

describe('glasswatch replay with responders configured', () => {
  it('pages once and opens one ticket per incident; the ended session stays paged until its ticket is closed', async () => {
    pagerduty.fail({ kind: 'status', status: 503 }, { kind: 'status', status: 429, headers: { 'Retry-After': '0' } });
    const state = join(dir, 'state');
    const run = await runCli(['replay', '--registry', join(dir, 'registry.yaml'), '--state', state, logs], JIRA_ENV);
    expect(run.stdout.filter((l) => /failed|pending/.test(l) && !l.includes('actions:'))).toEqual([]);
    expect(run.stderr).toEqual([]);
    expect(run.code).toBe(0);
    expect(pagerduty.opened).toHaveLength(1);
    expect(pagerduty.opened[0]?.summary).toMatch(/^root \(111122223333\) signed in to AWS 111122223333 .*without MFA/);
    // A real page is closed by a person: the session's end does not resolve it.
    expect([...pagerduty.alerts.values()].map((a) => a.status)).toEqual(['triggered']);
    // One ticket; the review and the credential rotation are sub-tasks of it (the rotation task is
    // closed: the replayed logs hold root's PasswordUpdated).
    const tickets = jira.issues.filter((i) => !jira.subtasks.has(i.key));
    expect(tickets).toHaveLength(1);
    expect(jira.subtasks.size).toBe(2);
    expect(run.stdout.join('\n')).toContain('delivered');

    // A second replay of the same logs pages nothing and opens nothing; the ticket, closed since, resolves the page.
    jira.setStatus(tickets[0]?.key as string, 'Done', 'done');
    const again = await runCli(['replay', '--registry', join(dir, 'registry.yaml'), '--state', state, logs], JIRA_ENV);
    expect(again.code).toBe(0);
    expect(pagerduty.opened).toHaveLength(1);
    expect(jira.issues).toHaveLength(3);
    expect([...pagerduty.alerts.values()].map((a) => a.status)).toEqual(['resolved']);
  });

  it('reports what is still undelivered after retries and exits 3', async () => {
    pagerduty.injector = () => ({ kind: 'status', status: 500 });
    const run = await runCli(['replay', '--registry', join(dir, 'registry.yaml'), '--ephemeral', logs], JIRA_ENV);
    expect(run.code).toBe(3);
    expect(run.stdout.join('\n')).toMatch(/pending\s+page:pagerduty/);
    expect(run.stderr.join('\n')).toMatch(/action\(s\) undelivered/);
    expect(jira.issues.filter((i) => !jira.subtasks.has(i.key))).toHaveLength(1); // the ticket does not wait for the pager
  });

  it('fails the Jira actions, naming the missing credential, when its environment variables are not set', async () => {
    const run = await runCli(['replay', '--registry', join(dir, 'registry.yaml'), '--ephemeral', logs], {});
    expect(run.code).toBe(3);
    const out = [...run.stdout, ...run.stderr].join('\n');
    expect(out).toContain('GLASSWATCH_JIRA_EMAIL');
    expect(out).not.toContain('token-123');
    expect(pagerduty.opened).toHaveLength(1);
  });
});
