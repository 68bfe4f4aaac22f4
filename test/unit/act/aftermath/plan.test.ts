import { describe, expect, it } from 'vitest';
import type { Action } from '../../../../shared/core/act/actions.js';
import { requestToken } from '../../../../shared/core/act/aftermath/plan.js';
import type { IncidentEvent } from '../../../../shared/core/model/incident.js';
import { awsActivity, awsRootSignIn, closed, extend, incident, opened, session } from '../support/incidents.js';
import { AWS_EXECUTORS, aftermathSetup, JIRA, ROOT_SECRET, SCHEDULER, SESSION_DAY, sent } from './support.js';

const HOUR = 3_600_000;

function signIn(outcome: 'success' | 'failure', seconds: number): IncidentEvent {
  return {
    ...awsRootSignIn(),
    id: `aws:signin-${outcome}-${seconds}`,
    time: new Date(Date.parse('2022-11-10T16:20:00Z') + seconds * 1000).toISOString(),
    outcome,
    kinds: [outcome === 'success' ? 'signin.success' : 'signin.failure'],
  };
}

function lastAction(driver: { calls: { action: Action }[] }): Action | undefined {
  return driver.calls[driver.calls.length - 1]?.action;
}

describe('closed session: review and delayed rotation', () => {
  it('schedules the review, adds its task and invite to the ticket, and schedules the rotation for later', async () => {
    const { responders, drivers, store } = aftermathSetup({ ...JIRA, ...SCHEDULER, ...AWS_EXECUTORS });
    const changes = session('inc-a', 1);
    const report = await responders.handle(changes);
    expect(report.complete).toBe(true);

    expect(sent(drivers.scheduler)).toEqual(['review:scheduler', 'rotation:scheduler']);
    const review = drivers.scheduler.calls[0]?.action;
    // Thursday 10 November 2022 + 2 business days: Monday 14 November, 10:00 in UTC (the default zone).
    expect(review?.kind === 'schedule.create' && review.schedule).toMatchObject({
      name: 'gw-review-inc-a',
      expression: 'at(2022-11-14T10:00:00)',
      input: { source: 'glasswatch.aftermath', task: 'review', incidentId: 'inc-a' },
    });
    expect(sent(drivers.jira)).toEqual(
      expect.arrayContaining(['ticket:jira:open', 'ticket:jira:ended', 'review:jira:task', 'review:jira:invite']),
    );
    const task = drivers.jira.calls.find((c) => c.action.key === 'review:jira:task');
    expect(task?.context.dependency?.ref?.issueKey).toBe('SEC-1');
    expect(task?.action.kind === 'task.create' && task.action.task.dueDate).toBe('2022-11-14');

    // The rotation is not due yet: nothing rotated, no rotation task.
    expect(sent(drivers.secretsmanager)).toEqual([]);
    expect(sent(drivers.jira)).not.toContain('rotation:jira:task');
    const [watch] = store.all();
    const lastSeen = Date.parse(changes[changes.length - 1]?.incident.lastSeen ?? '');
    expect(watch).toMatchObject({
      incidentId: 'inc-a',
      account: 'aws-root-prod',
      reason: 'session-ended',
      immediate: false,
      status: 'open',
    });
    // Session gap (30 min for this account) + rotation delay (60 min default) after the last event.
    expect(Date.parse(watch?.dueAt ?? '')).toBe(lastSeen + 30 * 60_000 + HOUR);
    expect(Date.parse(watch?.deadlineAt ?? '')).toBe(lastSeen + 90 * 60_000 + 24 * HOUR);
    const wakeUp = drivers.scheduler.calls[1]?.action;
    expect(wakeUp?.kind === 'schedule.create' && wakeUp.schedule.at).toBe(`${watch?.dueAt.slice(0, 19)}Z`);
  });

  it('when the rotation comes due, runDue requests it once: task on the ticket and RotateSecret', async () => {
    const { responders, drivers, clock, store } = aftermathSetup({ ...JIRA, ...SCHEDULER, ...AWS_EXECUTORS });
    const changes = session('inc-b', 1);
    await responders.handle(changes);
    expect((await responders.runDue()).incidents).toEqual([]);

    clock.advance(3 * HOUR);
    const due = await responders.runDue();
    expect(due.complete).toBe(true);
    expect(sent(drivers.secretsmanager)).toEqual(['rotation:secretsmanager']);
    expect(lastAction(drivers.secretsmanager)).toMatchObject({
      secretId: ROOT_SECRET,
      requestToken: requestToken('inc-b'),
    });
    expect(sent(drivers.jira)).toContain('rotation:jira:task');
    expect(store.all()[0]?.requestedAt).toBeDefined();

    // Again, or the closed change redelivered: nothing is sent twice.
    await responders.runDue();
    await responders.handle(changes.slice(-1));
    expect(sent(drivers.secretsmanager)).toEqual(['rotation:secretsmanager']);
    expect(sent(drivers.jira).filter((k) => k.startsWith('rotation:') || k.startsWith('review:'))).toEqual([
      'review:jira:task',
      'review:jira:invite',
      'rotation:jira:task',
    ]);
  });

  it('a replay of an old session requests the rotation in the same run (already due)', async () => {
    const { responders, drivers } = aftermathSetup(
      { ...JIRA, ...SCHEDULER, ...AWS_EXECUTORS },
      Date.parse('2026-01-01T00:00:00Z'),
    );
    await responders.handle(session('inc-old', 1));
    // No wake-up in the past: only the review is scheduled.
    expect(sent(drivers.scheduler)).toEqual(['review:scheduler']);
    expect(sent(drivers.secretsmanager)).toEqual(['rotation:secretsmanager']);
  });
});

describe('immediate rotation', () => {
  it('audit tampering rotates at once, once per incident, whatever changes follow', async () => {
    const { responders, drivers, store } = aftermathSetup({ ...JIRA, ...SCHEDULER, ...AWS_EXECUTORS });
    const changes = session('inc-t', 1, { tamper: true });
    for (const change of changes) await responders.handle([change]);
    await responders.handle(changes);

    expect(sent(drivers.secretsmanager)).toEqual(['rotation:secretsmanager']);
    expect(sent(drivers.jira).filter((k) => k === 'rotation:jira:task')).toHaveLength(1);
    expect(sent(drivers.scheduler)).toEqual(['review:scheduler']);
    const watches = store.all();
    expect(watches).toHaveLength(1);
    const tamper = changes[2]?.newEvents[0];
    expect(watches[0]).toMatchObject({
      reason: 'audit.tamper',
      immediate: true,
      dueAt: tamper?.time,
      since: tamper?.time,
    });
  });

  it('a failed sign-in followed by a successful one rotates at once; the reverse order waits for the end', async () => {
    const { responders, drivers, store } = aftermathSetup({ ...JIRA, ...AWS_EXECUTORS });
    const first = incident([signIn('failure', 0)], { id: 'inc-f' });
    await responders.handle([opened(first)]);
    expect(store.all()).toEqual([]);
    await responders.handle([extend(first, [signIn('success', 30)])]);
    expect(store.all()[0]).toMatchObject({ reason: 'failed-then-successful sign-in', immediate: true });
    expect(sent(drivers.secretsmanager)).toEqual(['rotation:secretsmanager']);

    const other = aftermathSetup({ ...JIRA, ...AWS_EXECUTORS });
    const ok = incident([signIn('success', 0)], { id: 'inc-s' });
    const later = extend(ok, [signIn('failure', 30)]);
    await other.responders.handle([opened(ok), later]);
    expect(other.store.all()).toEqual([]);
    await other.responders.handle([closed(later.incident)]);
    expect(other.store.all()[0]).toMatchObject({ reason: 'session-ended', immediate: false });
  });

  it('deactivates access keys created during the session, and again for keys created later', async () => {
    const { responders, drivers } = aftermathSetup({ ...JIRA, ...AWS_EXECUTORS });
    const keyFor = (user: string) =>
      awsActivity({
        service: 'iam.amazonaws.com',
        action: 'CreateAccessKey',
        resources: [user],
        kinds: ['account.change'],
      });
    const tampered = incident(
      [
        awsRootSignIn(),
        keyFor('backdoor'),
        awsActivity({ service: 'cloudtrail.amazonaws.com', action: 'StopLogging', kinds: ['audit.tamper'] }),
      ],
      { id: 'inc-k' },
    );
    await responders.handle([opened(tampered)]);
    expect(drivers.iam.calls).toHaveLength(1);
    expect(lastAction(drivers.iam)).toMatchObject({ kind: 'keys.deactivate', cleanup: { users: ['backdoor'] } });

    const more = extend(tampered, [keyFor('second-backdoor')]);
    await responders.handle([more, closed(more.incident)]);
    expect(drivers.iam.calls).toHaveLength(2);
    expect(lastAction(drivers.iam)).toMatchObject({ cleanup: { users: ['backdoor', 'second-backdoor'] } });
    expect(new Set(sent(drivers.iam)).size).toBe(2);
    expect(sent(drivers.secretsmanager)).toEqual(['rotation:secretsmanager']);
  });
});

describe('what the aftermath leaves alone', () => {
  it('tampering by someone outside the registry: a review, but no credential to rotate', async () => {
    const { responders, drivers, store } = aftermathSetup({ ...JIRA, ...AWS_EXECUTORS });
    const outsider = incident(
      [
        awsActivity({
          actor: 'mallory',
          service: 'cloudtrail.amazonaws.com',
          action: 'StopLogging',
          kinds: ['audit.tamper'],
        }),
      ],
      { id: 'inc-x', account: null, correlationKey: 'actor:aws:mallory' },
    );
    await responders.handle([opened(outsider), closed(outsider)]);
    expect(store.all()).toEqual([]);
    expect(sent(drivers.jira)).toContain('review:jira:task');
    // Nobody to invite: the incident belongs to no account with owners.
    expect(sent(drivers.jira)).not.toContain('review:jira:invite');
    expect(sent(drivers.secretsmanager)).toEqual([]);
  });

  it('without AWS executors configured, AWS gets a rotation task like the other clouds', async () => {
    const { responders, drivers } = aftermathSetup({ ...JIRA }, SESSION_DAY);
    await responders.handle(session('inc-n', 1, { tamper: true }));
    expect(sent(drivers.jira)).toContain('rotation:jira:task');
    expect(sent(drivers.secretsmanager)).toEqual([]);
  });
});
