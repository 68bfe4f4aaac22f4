import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { respondersSchema } from '../../../shared/core/act/config-schema.js';
import type { AuditEvent } from '../../../shared/core/model/audit-event.js';
import { auditEvent } from '../../support/audit-events.js';
import { adfText } from '../../support/vendor-servers/adf.js';
import { JiraWithSubtasks, ServiceNowWithTasks } from '../../support/vendor-servers/ticket-tasks.js';
import { session } from '../../unit/act/support/incidents.js';
import { CREDENTIALS } from '../responders/harness.js';
import { aftermathHarness } from './support/harness.js';
import { parseIcs, property, unescapeText } from './support/ics-parse.js';

let jira: JiraWithSubtasks;
let servicenow: ServiceNowWithTasks;
beforeEach(async () => {
  jira = await new JiraWithSubtasks(CREDENTIALS.jiraEmail, CREDENTIALS.jiraToken).start();
  servicenow = await new ServiceNowWithTasks(CREDENTIALS.snowUser, CREDENTIALS.snowPassword).start();
});
afterEach(async () => {
  await Promise.all([jira.close(), servicenow.close()]);
});

/** The root user of aws-root-prod changing its password the day after the session. */
function rootPasswordChange(): AuditEvent {
  return auditEvent({
    service: 'signin.amazonaws.com',
    action: 'PasswordUpdated',
    actor: {
      type: 'Root',
      display: 'root (111122223333)',
      arn: 'arn:aws:iam::111122223333:root',
      accountId: '111122223333',
    },
    account: '111122223333',
    time: '2022-11-11T09:00:00.000Z',
  });
}

const JIRA = () => ({ jira: { baseUrl: jira.url, projectKey: 'SEC' } });
const SNOW = () => ({ servicenow: { instanceUrl: servicenow.url } });

describe('Jira Cloud (contract server): review and rotation sub-tasks', () => {
  it('the review is a sub-task of the incident issue, due two business days after the session, with the invite attached', async () => {
    const { responders } = aftermathHarness(JIRA());
    const report = await responders.handle(session('inc-jr', 1));
    expect(report.complete).toBe(true);

    const [incidentIssue, reviewIssue] = jira.issues;
    expect(incidentIssue?.key).toBe('SEC-1');
    expect(reviewIssue?.summary).toBe('Post-incident review: aws-root-prod break-glass use');
    expect(jira.subtasks.get(reviewIssue?.key ?? '')).toMatchObject({
      parentKey: 'SEC-1',
      duedate: '2022-11-14',
      status: 'To Do',
    });
    const create = jira.received.find(
      (r) => r.method === 'POST' && r.path === '/rest/api/3/issue' && JSON.stringify(r.body).includes('"parent"'),
    );
    expect((create?.body as { fields?: Record<string, unknown> } | undefined)?.fields).toMatchObject({
      issuetype: { name: 'Subtask' },
      parent: { key: 'SEC-1' },
      duedate: '2022-11-14',
      labels: ['glasswatch', 'break-glass', 'glasswatch-review', expect.stringMatching(/^gw-[0-9a-f]{32}$/)],
    });

    const [invite] = jira.subtasks.get(reviewIssue?.key ?? '')?.attachments ?? [];
    expect(invite?.fileName).toBe('review.ics');
    expect(invite?.contentType).toMatch(/^text\/calendar/);
    const lines = parseIcs(invite?.content ?? '');
    expect(property(lines, 'METHOD')?.value).toBe('REQUEST');
    expect(property(lines, 'UID')?.value).toBe('inc-jr-review@glasswatch');
    expect(property(lines, 'DTSTART')?.value).toBe('20221114T100000Z');
    expect(lines.filter((l) => l.name === 'ATTENDEE').map((l) => l.value)).toEqual([
      'mailto:alice@example.com',
      'mailto:bob@example.com',
    ]);
    expect(unescapeText(property(lines, 'DESCRIPTION')?.value ?? '')).toContain(
      `Ticket: SEC-1 (review task ${reviewIssue?.key})`,
    );
  });

  it('the rotation sub-task closes itself (transition to done, proof as comment) when the rotation is seen', async () => {
    const { responders } = aftermathHarness(JIRA());
    await responders.handle(session('inc-jt', 1));
    const rotation = jira.issues.find((i) => i.summary === 'Rotate the aws-root-prod break-glass credential');
    expect(rotation).toBeDefined();
    expect(jira.subtasks.get(rotation?.key ?? '')?.status).toBe('To Do');

    const seen = await responders.rotationSeen(rootPasswordChange());
    expect(seen.complete).toBe(true);
    const subtask = jira.subtasks.get(rotation?.key ?? '');
    expect(subtask?.status).toBe('Done');
    expect(adfText(subtask?.comments[0])[0]).toMatch(
      /^Rotation seen in the audit logs: signin\.amazonaws\.com PasswordUpdated/,
    );

    // Seen again (a redelivered event): nothing more is sent.
    const before = jira.received.length;
    await responders.rotationSeen(rootPasswordChange());
    expect(jira.received.length).toBe(before);
  });

  it('a sub-task create whose answer was lost is found again by its label; a 500 on the attachment is retried', async () => {
    const { responders } = aftermathHarness(JIRA());
    let creates = 0;
    jira.injector = (request) => {
      if (request.method === 'POST' && request.path === '/rest/api/3/issue' && ++creates === 2) return { kind: 'lost' };
      if (request.path.endsWith('/attachments') && !jira.received.some((r) => r.status === 500))
        return { kind: 'status', status: 500 };
      return undefined;
    };
    const report = await responders.handle(session('inc-jl', 1));
    expect(report.complete).toBe(true);
    expect(jira.issues.filter((i) => i.summary.startsWith('Post-incident review'))).toHaveLength(1);
    const review = report.incidents[0]?.actions.find((a) => a.key === 'review:jira:task');
    expect(review?.ref).toMatchObject({ how: 'found', parentKey: 'SEC-1' });
    const reviewKey = review?.ref?.issueKey ?? '';
    expect(jira.subtasks.get(reviewKey)?.attachments).toHaveLength(1);
    expect(jira.received.filter((r) => r.path.endsWith('/attachments')).map((r) => r.status)).toEqual([500, 200]);
  });

  it('an attachment upload without the XSRF header would be refused: the driver sends it', async () => {
    const { responders } = aftermathHarness(JIRA());
    await responders.handle(session('inc-jx', 1));
    const upload = jira.received.find((r) => r.path.endsWith('/attachments'));
    expect(upload?.headers['x-atlassian-token']).toBe('no-check');
    expect(upload?.status).toBe(200);
  });
});

describe('ServiceNow (contract server): incident tasks', () => {
  it('the review is an incident_task of the incident with a UTC due date; the invite is attached', async () => {
    const { responders } = aftermathHarness({ ...SNOW(), review: { timezone: 'Europe/Paris' } });
    const report = await responders.handle(session('inc-sr', 1));
    expect(report.complete).toBe(true);
    const [record] = servicenow.incidents;
    const review = servicenow.tasks.find((t) => t.short_description.startsWith('Post-incident review'));
    // Monday 14 November 2022, 10:00 in Paris = 09:00 UTC.
    expect(review).toMatchObject({ incident: record?.sys_id, due_date: '2022-11-14 09:00:00', state: '1' });
    expect(review?.description).toContain('Review checklist');
    const [invite] = review?.attachments ?? [];
    expect(invite).toMatchObject({ fileName: 'review.ics', contentType: expect.stringMatching(/^text\/calendar/) });
    const lines = parseIcs(invite?.content ?? '');
    expect(property(lines, 'DTSTART')?.value).toBe('20221114T090000Z');
    expect(unescapeText(property(lines, 'DESCRIPTION')?.value ?? '')).toContain(
      `Ticket: ${review?.number} (ServiceNow)`,
    );
  });

  it('the rotation task is closed complete when the rotation is seen; the review reminder is a work note on its task', async () => {
    const { responders } = aftermathHarness(SNOW());
    await responders.handle(session('inc-st', 1));
    const rotation = servicenow.tasks.find((t) => t.short_description.startsWith('Rotate the aws-root-prod'));
    expect(rotation?.state).toBe('1');
    await responders.rotationSeen([rootPasswordChange()]);
    expect(rotation?.state).toBe('3');
    expect(rotation?.close_notes).toMatch(/^Rotation seen in the audit logs/);

    const reminder = await responders.handleTrigger({
      source: 'glasswatch.aftermath',
      version: 1,
      task: 'review',
      incidentId: 'inc-st',
      dueAt: '2022-11-14T10:00:00Z',
    });
    expect(reminder.complete).toBe(true);
    const review = servicenow.tasks.find((t) => t.short_description.startsWith('Post-incident review'));
    expect(review?.work_notes[0]).toMatch(/^The post-incident review is due now \(Mon 2022-11-14 10:00 UTC\)/);
  });

  it('a task create whose answer was lost is found by correlation_id, not created twice', async () => {
    const { responders } = aftermathHarness(SNOW());
    let creates = 0;
    servicenow.injector = (request) =>
      request.method === 'POST' && request.path === '/api/now/table/incident_task' && ++creates === 1
        ? { kind: 'lost' }
        : undefined;
    const report = await responders.handle(session('inc-sl', 1));
    expect(report.complete).toBe(true);
    expect(servicenow.tasks.filter((t) => t.short_description.startsWith('Post-incident review'))).toHaveLength(1);
  });
});

describe('configuration', () => {
  it('the Jira sub-task issue type is configurable (company-managed projects call it Sub-task)', () => {
    expect(respondersSchema.parse(JIRA()).jira?.subtaskIssueType).toBe('Subtask');
    expect(
      respondersSchema.parse({ jira: { ...JIRA().jira, subtaskIssueType: 'Sub-task' } }).jira?.subtaskIssueType,
    ).toBe('Sub-task');
  });
});
