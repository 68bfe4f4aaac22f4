import { describe, expect, it } from 'vitest';
import type { Action } from '../../../shared/core/act/actions.js';
import { respondersSchema } from '../../../shared/core/act/config-schema.js';
import type { OutputDriver } from '../../../shared/core/act/driver.js';
import { RuleError } from '../../../shared/core/detect/errors.js';
import { InMemoryAssuranceStore } from '../../../shared/core/ports/in-memory-assurance-store.js';
import { InMemoryDeliveryLedger } from '../../../shared/core/ports/in-memory-delivery-ledger.js';
import { createAlertSender } from '../../../shared/runtime/assure/alert-sender.js';
import { runHeartbeatCheck } from '../../../shared/runtime/assure/heartbeat-check.js';
import { recordIngestHealth } from '../../../shared/runtime/assure/ingest-health.js';
import { ManualClock } from './support/world.js';

/** The dead-man's switch on a hand-moved clock: what pages, once, and what resolves. */

const T0 = Date.parse('2026-03-02T12:00:00Z');
const MIN = 60_000;

function setup(fail = false) {
  const clock = new ManualClock(T0);
  const store = new InMemoryAssuranceStore();
  const sent: Action[] = [];
  const pagerduty: OutputDriver = {
    async deliver(action) {
      sent.push(action);
      return fail ? { ok: false, retryable: true, status: 503, error: 'pagerduty 503' } : { ok: true };
    },
  };
  const config = respondersSchema.parse({
    pagerduty: { routingKey: 'k' },
    retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1, timeoutMs: 1000 },
  });
  const alerts = createAlertSender(config, { drivers: { pagerduty }, ledger: new InMemoryDeliveryLedger(), clock });
  const check = () =>
    runHeartbeatCheck({ store, alerts, expected: [{ source: 'cloudtrail-s3', region: '-' }] }, clock.now());
  return { clock, store, sent, check };
}

/** PagerDuty configured, every page accepted and recorded in `sent`. */
function recordingSender(sent: Action[], clock: ManualClock) {
  return createAlertSender(respondersSchema.parse({ pagerduty: { routingKey: 'k' } }), {
    drivers: {
      pagerduty: {
        deliver: async (a) => {
          sent.push(a);
          return { ok: true };
        },
      },
    },
    ledger: new InMemoryDeliveryLedger(),
    clock,
  });
}

describe('runHeartbeatCheck', () => {
  it('pages pipeline.silent once per silence and resolves it when the source speaks again', async () => {
    const { clock, store, sent, check } = setup();
    await recordIngestHealth(
      store,
      { transport: 'aws.s3', lastSeen: [{ source: 'aws.cloudtrail', region: 'us-east-1', timeMs: T0 }] },
      T0,
    );
    expect((await check()).opened).toEqual([]);

    clock.advance(46 * MIN);
    const silent = await check();
    expect(silent.opened.map((a) => a.kind)).toEqual(['pipeline.silent']);
    expect(sent.map((a) => [a.kind, a.key])).toEqual([['page', 'page:pagerduty']]);
    expect(sent[0]?.kind === 'page' && sent[0].page.headline).toMatch(
      /^pipeline\.silent: CloudTrail log files \(S3\) silent for 46 min/,
    );

    clock.advance(5 * MIN);
    expect((await check()).opened).toEqual([]);
    expect(sent).toHaveLength(1);

    await recordIngestHealth(
      store,
      { transport: 'aws.s3', lastSeen: [{ source: 'aws.cloudtrail', region: 'eu-west-1', timeMs: clock.now() }] },
      clock.now(),
    );
    const spoke = await check();
    expect(spoke.resolved.map((a) => a.alertId)).toEqual(silent.opened.map((a) => a.alertId));
    expect(sent.map((a) => a.key)).toEqual(['page:pagerduty', 'resolve:pagerduty']);
    expect(await store.openAlerts()).toEqual([]);
  });

  it('pages an expected source that never delivered, and a dead-letter queue holding messages', async () => {
    const { store, sent, clock } = setup();
    const alertsOf = await runHeartbeatCheck(
      {
        store,
        alerts: recordingSender(sent, clock),
        expected: [{ source: 'azure-pull', region: '-' }],
        deadLetters: async () => [{ queue: 'ingest-dlq', depth: 2 }],
      },
      clock.now(),
    );
    expect(alertsOf.opened.map((a) => a.summary)).toEqual([
      'Entra / Azure (Log Analytics poller): no audit event ever seen',
      'dead-letter queue ingest-dlq holds 2 message(s)',
    ]);
  });

  it('pages failing rules once, and keeps retrying an alert whose page did not go out', async () => {
    const { store, sent, check } = setup(true);
    await recordIngestHealth(
      store,
      {
        transport: 'gcp.pull',
        lastSeen: [{ source: 'gcp.audit', region: undefined, timeMs: T0 }],
        errors: [
          new RuleError('signin-success', 'gcp:1', { location: 'x' }, { cause: new Error('boom') }),
          new Error('bad record'),
        ],
      },
      T0,
    );
    expect(await store.errorCounts(T0 - MIN)).toEqual([
      { source: 'gcp-pull', region: '-', ruleErrors: 1, pollerErrors: 0, recordErrors: 1, lastError: 'bad record' },
    ]);
    const first = await check();
    expect(first.undelivered.map((u) => u.alertId)).toContainEqual(
      expect.stringMatching(/^pipeline\.failing:errors:gcp-pull#-/),
    );
    expect(await store.openAlerts()).toEqual([]);
    await check();
    expect(sent.filter((a) => a.key === 'page:pagerduty').length).toBeGreaterThanOrEqual(2);
  });

  it('pages a non-empty dead-letter queue on every check until drained, naming it and its oldest message', async () => {
    const { clock, store, sent } = setup();
    const alerts = recordingSender(sent, clock);
    let depth = 3;
    const check = () =>
      runHeartbeatCheck(
        { store, alerts, deadLetters: async () => [{ queue: 'fwd-dlq', depth, oldestAgeMs: 125 * MIN }] },
        clock.now(),
      );
    expect((await check()).opened).toHaveLength(1);
    for (let run = 1; run <= 3; run++) {
      clock.advance(5 * MIN);
      expect((await check()).repeated.map((a) => a.key)).toEqual(['dlq:fwd-dlq']);
    }
    const pages = sent.filter((a) => a.kind === 'page');
    expect(pages).toHaveLength(4);
    expect(new Set(pages.map((a) => a.incidentId)).size).toBe(1); // one vendor dedup key: one alert, re-raised
    expect(pages[3]?.kind === 'page' && pages[3].page.headline).toMatch(
      /fwd-dlq holds 3 message\(s\), oldest 2 h 5 min old/,
    );
    depth = 0;
    clock.advance(5 * MIN);
    const drained = await check();
    expect(drained.repeated).toEqual([]);
    expect(drained.resolved.map((a) => a.key)).toEqual(['dlq:fwd-dlq']);
  });

  it('sends pipeline.failing about the pager itself through the SNS fallback too, not only the failing pager', async () => {
    const { clock, store } = setup();
    const sent: Action[] = [];
    const driver: OutputDriver = {
      deliver: async (a) => {
        sent.push(a);
        return { ok: true };
      },
    };
    const alerts = createAlertSender(
      respondersSchema.parse({
        pagerduty: { routingKey: 'k' },
        sns: { topicArn: 'arn:aws:sns:us-east-1:111122223333:pager' },
        fallbackPager: 'sns',
      }),
      { drivers: { pagerduty: driver, sns: driver }, ledger: new InMemoryDeliveryLedger(), clock },
    );
    await runHeartbeatCheck(
      {
        store,
        alerts,
        deadLetters: async () => [
          { queue: 'responders-dlq', depth: 1, pager: true },
          { queue: 'ingest-dlq', depth: 1 },
        ],
      },
      clock.now(),
    );
    const byQueue = (queue: string) =>
      sent
        .filter((a) => a.incidentId.includes(queue))
        .map((a) => a.output)
        .sort();
    expect(byQueue('responders-dlq')).toEqual(['pagerduty', 'sns']);
    expect(byQueue('ingest-dlq')).toEqual(['pagerduty']);
  });
});
