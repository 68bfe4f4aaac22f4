import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../../shared/core/model/audit-event.js';
import { auditEvent } from '../../../support/audit-events.js';
import { session } from '../support/incidents.js';
import { AWS_EXECUTORS, aftermathSetup, FakeDriver, JIRA, PAGERDUTY, sent } from './support.js';

const HOUR = 3_600_000;

/** The root user of the registry's aws-root-prod account changing its password, at `time`. */
function rootPasswordChange(time: string): AuditEvent {
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
    time,
  });
}

const CHAT = { chat: { kind: 'slack' as const } };

async function requestedRotation(input = { ...JIRA, ...PAGERDUTY, ...CHAT, ...AWS_EXECUTORS }) {
  const setup = aftermathSetup(input);
  await setup.responders.handle(session('inc-o', 1, { tamper: true }));
  const watch = setup.store.all()[0];
  if (!watch?.requestedAt) throw new Error('rotation not requested');
  return { ...setup, watch };
}

describe('overdue escalation', () => {
  it('pages every pager once, at high severity, when the rotation is not seen by the deadline', async () => {
    const { responders, drivers, clock, store, watch } = await requestedRotation();
    const pagesBefore = sent(drivers.pagerduty).length;
    expect((await responders.checkOverdue()).incidents).toEqual([]);

    clock.advance(Date.parse(watch.deadlineAt) - clock.now() + 1);
    const report = await responders.checkOverdue();
    expect(report.complete).toBe(true);
    expect(sent(drivers.pagerduty).slice(pagesBefore)).toEqual(['rotation:overdue:pagerduty']);
    expect(sent(drivers.chat)).toContain('rotation:overdue:chat');
    const page = drivers.pagerduty.calls[drivers.pagerduty.calls.length - 1]?.action;
    expect(page?.kind === 'page' && page.page).toMatchObject({
      headline: 'Rotation of aws-root-prod not seen within 24 h of incident inc-o',
      severity: 'high',
      reason: 'escalated',
    });
    expect(store.all()[0]).toMatchObject({ status: 'escalated' });

    clock.advance(HOUR);
    await responders.checkOverdue();
    expect(sent(drivers.pagerduty).filter((k) => k.startsWith('rotation:overdue'))).toHaveLength(1);
    expect(sent(drivers.chat).filter((k) => k.startsWith('rotation:overdue'))).toHaveLength(1);
  });

  it('a pager that fails is tried again on the next check; nothing pages twice', async () => {
    const { responders, drivers, clock, store, watch } = await requestedRotation();
    drivers.pagerduty.behaviour = () => ({ ok: false, retryable: true, status: 503, error: 'pagerduty 503' });
    clock.advance(Date.parse(watch.deadlineAt) - clock.now() + 1);
    const first = await responders.checkOverdue();
    expect(first.complete).toBe(false);
    expect(store.all()[0]?.status).toBe('open');

    drivers.pagerduty.behaviour = () => ({ ok: true });
    await responders.checkOverdue();
    expect(store.all()[0]?.status).toBe('escalated');
    expect(sent(drivers.chat).filter((k) => k === 'rotation:overdue:chat')).toHaveLength(1);
  });

  it('a rotation seen in time is never escalated, and its task closes itself', async () => {
    const { responders, drivers, clock, store, watch } = await requestedRotation();
    const report = await responders.rotationSeen(rootPasswordChange(new Date(clock.now() + HOUR).toISOString()));
    expect(report.complete).toBe(true);
    const close = drivers.jira.calls.find((c) => c.action.key === 'rotation:jira:done');
    expect(close?.context.dependency?.ref?.issueKey).toBe('SEC-rotation');
    expect(close?.action.kind === 'task.close' && close.action.note.blocks[0]).toMatchObject({
      text: expect.stringMatching(/^Rotation seen in the audit logs: signin\.amazonaws\.com PasswordUpdated by root/),
    });
    expect(store.all()[0]).toMatchObject({ status: 'seen', closedAt: expect.any(String) });

    clock.advance(Date.parse(watch.deadlineAt) - clock.now() + HOUR);
    await responders.checkOverdue();
    await responders.runDue();
    expect(sent(drivers.pagerduty).some((k) => k.startsWith('rotation:'))).toBe(false);
    expect(sent(drivers.jira).filter((k) => k === 'rotation:jira:done')).toHaveLength(1);
  });

  it('seen after the escalation: the task closes and the overdue alert is resolved', async () => {
    const { responders, drivers, clock, watch } = await requestedRotation();
    clock.advance(Date.parse(watch.deadlineAt) - clock.now() + 1);
    await responders.checkOverdue();
    await responders.rotationSeen([rootPasswordChange(new Date(clock.now()).toISOString())]);
    expect(sent(drivers.jira)).toContain('rotation:jira:done');
    expect(sent(drivers.pagerduty)).toContain('resolve:pagerduty:rotation-overdue');
  });

  it('events that prove nothing (another account, before the session ended) leave the watch open', async () => {
    const { responders, store, clock } = await requestedRotation();
    const other = auditEvent({
      service: 'signin.amazonaws.com',
      action: 'PasswordUpdated',
      actor: { type: 'Root', display: 'root', arn: 'arn:aws:iam::444455556666:root', accountId: '444455556666' },
      time: new Date(clock.now()).toISOString(),
    });
    await responders.rotationSeen([other, auditEvent(), rootPasswordChange('2022-11-10T16:00:00.000Z')]);
    expect(store.all()[0]?.status).toBe('open');
  });
});

describe('a rotation seen before it came due', () => {
  it('is not requested again: no RotateSecret, no task; session keys are still deactivated', async () => {
    const { responders, drivers, clock, store } = aftermathSetup({ ...JIRA, ...AWS_EXECUTORS });
    await responders.handle(session('inc-early', 1));
    const watch = store.all()[0];
    expect(watch?.requestedAt).toBeUndefined();
    await responders.rotationSeen(rootPasswordChange(new Date(clock.now()).toISOString()));
    clock.advance(Date.parse(watch?.dueAt ?? '') - clock.now() + 1);
    const due = await responders.runDue();
    expect(due.complete).toBe(true);
    expect(sent(drivers.secretsmanager)).toEqual([]);
    expect(sent(drivers.jira)).not.toContain('rotation:jira:task');
    expect(store.all()[0]).toMatchObject({
      status: 'seen',
      requestedAt: expect.any(String),
      closedAt: expect.any(String),
    });
    // Nothing left to do for it.
    expect(await store.listPending()).toEqual([]);
  });
});

describe('without a registry', () => {
  it('the aftermath is off: the methods answer with empty, complete reports', async () => {
    const { createResponders } = await import('../../../../shared/core/act/responders.js');
    const responders = createResponders(undefined, { drivers: { outbox: new FakeDriver() } });
    expect(responders.aftermath).toBeUndefined();
    expect(await responders.checkOverdue()).toMatchObject({ incidents: [], complete: true });
    expect(await responders.rotationSeen([])).toMatchObject({ incidents: [], complete: true });
  });
});
