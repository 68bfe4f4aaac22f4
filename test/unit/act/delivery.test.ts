import { describe, expect, it } from 'vitest';
import type { Action, OutputName } from '../../../shared/core/act/actions.js';
import { type RespondersInput, respondersSchema } from '../../../shared/core/act/config-schema.js';
import type { DeliveryContext, OutputDriver } from '../../../shared/core/act/driver.js';
import { ResponderConfigError } from '../../../shared/core/act/errors.js';
import { createResponders } from '../../../shared/core/act/responders.js';
import type { AttemptResult } from '../../../shared/core/act/retry-policy.js';
import type { DeliveryLedger } from '../../../shared/core/ports/delivery-ledger.js';
import { InMemoryDeliveryLedger } from '../../../shared/core/ports/in-memory-delivery-ledger.js';
import { FakeClock, seeded } from './support/clock.js';
import { awsActivity, awsRootSignIn, closed, extend, incident, opened, session } from './support/incidents.js';

type Behaviour = (action: Action, context: DeliveryContext, call: number) => AttemptResult;

/** A driver that records every call and answers as told. */
class FakeDriver implements OutputDriver {
  readonly calls: { key: string; action: Action; context: DeliveryContext }[] = [];
  constructor(public behaviour: Behaviour = () => ({ ok: true })) {}
  async deliver(action: Action, context: DeliveryContext): Promise<AttemptResult> {
    this.calls.push({ key: action.key, action, context });
    return this.behaviour(action, context, this.calls.length);
  }
  keys(): string[] {
    return this.calls.map((c) => c.key);
  }
}

/** Delivered; a ticket open answers with its issue key. */
const ticketRef = (action: Action, issueKey: string): AttemptResult => ({
  ok: true,
  ref: action.kind === 'ticket.open' ? { issueKey } : {},
});

const down =
  (status = 503, retryAfterMs?: number): Behaviour =>
  () => ({ ok: false, retryable: true, status, error: `vendor ${status}`, ...(retryAfterMs ? { retryAfterMs } : {}) });

function setup(input: RespondersInput, ledger: DeliveryLedger = new InMemoryDeliveryLedger()) {
  const config = respondersSchema.parse({ retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000 }, ...input });
  const drivers = Object.fromEntries(
    (['pagerduty', 'opsgenie', 'sns', 'chat', 'jira', 'servicenow', 'outbox'] as OutputName[]).map((o) => [
      o,
      new FakeDriver((a) => ticketRef(a, 'SEC-1')),
    ]),
  ) as Record<OutputName, FakeDriver>;
  const clock = new FakeClock();
  const responders = createResponders(config, { drivers, ledger, clock, random: seeded(7) });
  return { responders, drivers, clock, ledger };
}

const PD_JIRA: RespondersInput = {
  pagerduty: { routingKey: 'R'.repeat(32) },
  jira: { baseUrl: 'https://x.atlassian.net', projectKey: 'SEC' },
};
const start = () => incident([awsRootSignIn()], { id: 'inc-1' });

describe('delivery', () => {
  it('delivers each action once; handling the same change again sends nothing', async () => {
    const { responders, drivers } = setup(PD_JIRA);
    const first = await responders.handle([opened(start())]);
    expect(first.complete).toBe(true);
    expect(first.incidents[0]?.actions.map((a) => [a.key, a.status, a.sent])).toEqual([
      ['page:pagerduty', 'delivered', true],
      ['ticket:jira:open', 'delivered', true],
    ]);
    const again = await responders.handle([opened(start())]);
    expect(
      again.incidents[0]?.actions.every((a) => a.status === 'delivered' && !a.sent && a.detail === 'already delivered'),
    ).toBe(true);
    expect(drivers.pagerduty.keys()).toEqual(['page:pagerduty']);
    expect(drivers.jira.keys()).toEqual(['ticket:jira:open']);
  });

  it('a retry re-sends only the output that failed', async () => {
    const { responders, drivers } = setup(PD_JIRA);
    drivers.pagerduty.behaviour = down();
    const first = await responders.handle([opened(start())]);
    expect(first.complete).toBe(false);
    expect(first.totals).toEqual({ delivered: 1, pending: 1, failed: 0 });
    expect(drivers.pagerduty.calls).toHaveLength(4);
    drivers.pagerduty.behaviour = () => ({ ok: true });
    const second = await responders.handle([opened(start())]);
    expect(second.complete).toBe(true);
    expect(drivers.pagerduty.calls).toHaveLength(5);
    expect(drivers.pagerduty.calls[4]?.context.previousAttempts).toBe(4);
    expect(drivers.jira.keys()).toEqual(['ticket:jira:open']);
  });

  it('never retries a 400: one attempt, failed, with the vendor status', async () => {
    const { responders, drivers, clock } = setup(PD_JIRA);
    drivers.jira.behaviour = () => ({ ok: false, retryable: false, status: 400, error: 'jira 400: summary: invalid' });
    const report = await responders.handle([opened(start())]);
    const ticket = report.incidents[0]?.actions.find((a) => a.key === 'ticket:jira:open');
    expect(ticket).toMatchObject({
      status: 'failed',
      httpStatus: 400,
      attempts: 1,
      detail: 'jira 400: summary: invalid',
    });
    expect(drivers.jira.calls).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
    // A failed action stays failed on redelivery (it goes to the DLQ), unless a re-drive asks otherwise.
    await responders.handle([opened(start())]);
    expect(drivers.jira.calls).toHaveLength(1);
  });

  it('waits at least the Retry-After between attempts (injected clock)', async () => {
    const { responders, drivers, clock } = setup(PD_JIRA);
    drivers.pagerduty.behaviour = (_a, _c, call) => (call < 3 ? down(429, 7_000)(_a, _c, call) : { ok: true });
    const report = await responders.handle([opened(start())]);
    expect(report.complete).toBe(true);
    expect(clock.sleeps).toEqual([7_000, 7_000]);
  });

  it('pages through the SNS fallback after N failures of the primary, once, even after the primary recovers', async () => {
    const { responders, drivers } = setup({
      ...PD_JIRA,
      sns: { topicArn: 'arn:aws:sns:us-east-1:111122223333:bg' },
      fallbackPager: 'sns',
      fallbackAfterAttempts: 2,
    });
    drivers.pagerduty.behaviour = down();
    const first = await responders.handle([opened(start())]);
    expect(drivers.sns.keys()).toEqual(['page:fallback:sns']);
    expect(first.incidents[0]?.actions.find((a) => a.key === 'page:fallback:sns')).toMatchObject({
      status: 'delivered',
      sent: true,
    });
    expect(drivers.pagerduty.calls).toHaveLength(4);
    drivers.pagerduty.behaviour = () => ({ ok: true });
    const second = await responders.handle([opened(start())]);
    expect(second.complete).toBe(true);
    expect(drivers.sns.keys()).toEqual(['page:fallback:sns']);
  });

  it('falls back at once when the primary fails permanently (e.g. a revoked key)', async () => {
    const { responders, drivers } = setup({
      ...PD_JIRA,
      sns: { topicArn: 'arn:aws:sns:us-east-1:111122223333:bg' },
      fallbackPager: 'sns',
      fallbackAfterAttempts: 3,
    });
    drivers.pagerduty.behaviour = () => ({
      ok: false,
      retryable: false,
      status: 400,
      error: 'pagerduty 400: invalid routing key',
    });
    await responders.handle([opened(start())]);
    expect(drivers.pagerduty.calls).toHaveLength(1);
    expect(drivers.sns.keys()).toEqual(['page:fallback:sns']);
  });

  it('does not fall back while the primary delivers', async () => {
    const { responders, drivers } = setup({
      ...PD_JIRA,
      sns: { topicArn: 'arn:aws:sns:us-east-1:111122223333:bg' },
      fallbackPager: 'sns',
    });
    await responders.handle(session('inc-ok', 3));
    expect(drivers.sns.calls).toEqual([]);
  });

  it('appends comments only after the ticket exists, with its key', async () => {
    const { responders, drivers } = setup(PD_JIRA);
    drivers.jira.behaviour = (a) => (a.kind === 'ticket.open' ? down()(a, {} as DeliveryContext, 0) : { ok: true });
    const first = start();
    const more = extend(first, [awsActivity()]);
    const blocked = await responders.handle([opened(first)]);
    expect(blocked.totals.pending).toBe(1);
    drivers.jira.behaviour = (a) => ticketRef(a, 'SEC-9');
    const report = await responders.handle([opened(first), more, extend(more.incident, [awsActivity()])]);
    expect(report.complete).toBe(true);
    const comments = drivers.jira.calls.filter((c) => c.key.startsWith('ticket:jira:events:'));
    // The ticket opened from the first change's snapshot, so both later changes need their comment.
    expect(comments).toHaveLength(2);
    expect(comments[0]?.context.dependency?.ref?.issueKey).toBe('SEC-9');
    expect(report.incidents[0]?.actions.find((a) => a.detail?.startsWith('covered by'))).toBeUndefined();
  });

  it('skips a comment whose events a later-opened ticket already holds', async () => {
    const { responders, drivers } = setup(PD_JIRA);
    const more = extend(start(), [awsActivity()]);
    // The opened change was lost: the extension opens the ticket from its own snapshot.
    const report = await responders.handle([more]);
    expect(drivers.jira.keys()).toEqual(['ticket:jira:open']);
    expect(report.incidents[0]?.actions.find((a) => a.key.startsWith('ticket:jira:events:'))).toMatchObject({
      status: 'delivered',
      sent: false,
      detail: 'covered by ticket:jira:open',
    });
  });

  it('100 updates of one incident page once and append 100 comments; the session end leaves the page open', async () => {
    const { responders, drivers } = setup(PD_JIRA);
    const report = await responders.handle(session('inc-100', 100));
    expect(report.complete).toBe(true);
    expect(drivers.pagerduty.keys()).toEqual(['page:pagerduty']);
    expect(drivers.jira.keys().filter((k) => k.startsWith('ticket:jira:events:'))).toHaveLength(100);
    expect(drivers.jira.keys().at(-1)).toBe('ticket:jira:ended');
  });

  it('a tamper event during an open incident notifies once, however often the change is redelivered', async () => {
    const { responders, drivers } = setup({ ...PD_JIRA, chat: { kind: 'slack' } });
    const first = incident([awsRootSignIn()], { id: 'inc-t', severity: 'high' });
    await responders.handle([opened(first)]);
    const raise = extend(first, [awsActivity({ action: 'StopLogging', kinds: ['audit.tamper'] })], {
      severity: 'critical',
    });
    await responders.handle([raise, raise]);
    await responders.handle([extend(raise.incident, [awsActivity()])]);
    expect(drivers.pagerduty.keys()).toEqual(['page:pagerduty', 'notify:pagerduty:tamper']);
    expect(drivers.chat.keys()).toEqual(['page:chat', 'notify:chat:tamper']);
    expect(drivers.pagerduty.calls.map((c) => (c.action.kind === 'notify' ? c.action.alertKey : undefined))).toEqual([
      undefined,
      'inc-t:tamper',
    ]);
  });

  it('an escalation still undelivered when a drill resolved itself is not sent (it would page again)', async () => {
    const { responders, drivers } = setup(PD_JIRA);
    const first = incident([awsRootSignIn()], { id: 'inc-r', severity: 'high', drill: true });
    const raise = extend(first, [awsActivity({ action: 'StopLogging', kinds: ['audit.tamper'] })], {
      severity: 'critical',
    });
    drivers.pagerduty.behaviour = (a) => (a.kind === 'notify' ? down()(a, {} as DeliveryContext, 0) : { ok: true });
    await responders.handle([opened(first), raise, closed(raise.incident)]);
    drivers.pagerduty.behaviour = () => ({ ok: true });
    const redelivered = await responders.handle([raise]);
    expect(redelivered.incidents[0]?.actions.find((a) => a.kind === 'notify')).toMatchObject({
      status: 'delivered',
      sent: false,
      detail: 'superseded by resolve:pagerduty',
    });
    expect(drivers.pagerduty.keys().filter((k) => k.startsWith('notify:'))).toHaveLength(4);
    expect(drivers.pagerduty.keys().at(-1)).toBe('resolve:pagerduty');
  });

  it('a drill: resolve waits for the page; closing after delivery resolves', async () => {
    const { responders, drivers } = setup(PD_JIRA);
    const first = { ...start(), drill: true };
    await responders.handle([opened(first), closed(first)]);
    expect(drivers.pagerduty.keys()).toEqual(['page:pagerduty', 'resolve:pagerduty']);
  });

  it('leaves an action alone while another worker holds an unexpired claim', async () => {
    const ledger = new InMemoryDeliveryLedger();
    const { responders, drivers, clock } = setup(PD_JIRA, ledger);
    await ledger.put({
      incidentId: 'inc-1',
      actionKey: 'page:pagerduty',
      status: 'sending',
      attempts: 1,
      leaseUntil: clock.now() + 60_000,
      updatedAt: '',
      revision: 3,
    });
    const report = await responders.handle([opened(start())]);
    expect(report.incidents[0]?.actions[0]).toMatchObject({
      key: 'page:pagerduty',
      status: 'pending',
      detail: 'being sent by another worker',
    });
    expect(drivers.pagerduty.calls).toEqual([]);
    clock.advance(120_000);
    expect((await responders.handle([opened(start())])).complete).toBe(true);
  });

  it('sends nothing when the ledger cannot be read (no bookkeeping, no page)', async () => {
    const broken: DeliveryLedger = {
      get: async () => {
        throw new Error('ProvisionedThroughputExceededException');
      },
      list: async () => [],
      listByAction: async () => [],
      put: async () => undefined,
      compareAndSet: async () => false,
    };
    const { responders, drivers } = setup(PD_JIRA, broken);
    const report = await responders.handle([opened(start())]);
    expect(report.totals.pending).toBe(2);
    expect(drivers.pagerduty.calls).toEqual([]);
  });

  it('stops starting attempts at the deadline and reports the rest pending', async () => {
    const { responders, drivers } = setup(PD_JIRA);
    drivers.pagerduty.behaviour = down(503, 30_000);
    const report = await responders.handle([opened(start())], { deadlineMs: 45_000 });
    expect(drivers.pagerduty.calls).toHaveLength(2);
    expect(report.incidents[0]?.actions[0]).toMatchObject({ status: 'pending', detail: 'vendor 503' });
  });

  it('treats a throwing driver (bug, missing credential) as failed, not retried', async () => {
    const { responders, drivers } = setup(PD_JIRA);
    drivers.pagerduty.behaviour = () => {
      throw new Error('environment variable PD_KEY: not set');
    };
    const report = await responders.handle([opened(start())]);
    expect(report.incidents[0]?.actions[0]).toMatchObject({
      status: 'failed',
      detail: 'pagerduty: Error: environment variable PD_KEY: not set',
    });
    expect(drivers.pagerduty.calls).toHaveLength(1);
  });

  it('refuses to start without a driver for a configured output', () => {
    const config = respondersSchema.parse(PD_JIRA);
    expect(() => createResponders(config, { drivers: {} })).toThrow(ResponderConfigError);
    expect(() => createResponders(config, { drivers: {} })).toThrow(/no driver for configured output "pagerduty"/);
  });
});
