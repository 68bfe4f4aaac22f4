import { describe, expect, it } from 'vitest';
import type { Action } from '../../../shared/core/act/actions.js';
import { respondersSchema } from '../../../shared/core/act/config-schema.js';
import type { OutputDriver } from '../../../shared/core/act/driver.js';
import { type CheckResult, fail, pass, unchecked } from '../../../shared/core/assure/verify/result.js';
import { InMemoryAssuranceStore } from '../../../shared/core/ports/in-memory-assurance-store.js';
import { InMemoryDeliveryLedger } from '../../../shared/core/ports/in-memory-delivery-ledger.js';
import { createAlertSender } from '../../../shared/runtime/assure/alert-sender.js';
import { runHeartbeatCheck } from '../../../shared/runtime/assure/heartbeat-check.js';
import { runVerify } from '../../../shared/runtime/assure/verify.js';
import { ManualClock } from './support/world.js';

/** pipeline.misconfigured through the heartbeat's alert mechanism: one page per finding, resolved when fixed. */

const T0 = Date.parse('2026-03-02T12:00:00Z');

function setup() {
  const clock = new ManualClock(T0);
  const store = new InMemoryAssuranceStore();
  const sent: Action[] = [];
  const pagerduty: OutputDriver = {
    async deliver(action) {
      sent.push(action);
      return { ok: true };
    },
  };
  const config = respondersSchema.parse({ pagerduty: { routingKey: 'k' } });
  const alerts = createAlertSender(config, { drivers: { pagerduty }, ledger: new InMemoryDeliveryLedger(), clock });
  let results: CheckResult[] = [];
  const verify = (next: CheckResult[]) => {
    results = next;
    return runVerify({ store, alerts, check: async () => results }, clock.now());
  };
  return { clock, store, sent, alerts, verify };
}

const stopped = fail('aws', 'aws.trail.logging', 'trail is logging', 'IsLogging is false (StopLogging)');
const logging = pass('aws', 'aws.trail.logging', 'trail is logging');

describe('runVerify', () => {
  it('pages pipeline.misconfigured once per failing setting and resolves it when it passes again', async () => {
    const { clock, sent, verify } = setup();
    expect((await verify([logging])).opened).toEqual([]);
    const first = await verify([stopped]);
    expect(first.opened.map((a) => a.kind)).toEqual(['pipeline.misconfigured']);
    expect(sent[0]?.kind === 'page' && sent[0].page.headline).toBe(
      'pipeline.misconfigured: trail is logging: IsLogging is false (StopLogging)',
    );
    clock.advance(60_000);
    expect((await verify([stopped])).opened).toEqual([]);
    expect(sent).toHaveLength(1);
    const fixed = await verify([logging]);
    expect(fixed.resolved.map((a) => a.key)).toEqual(['misconfigured:aws.trail.logging']);
    expect(sent.map((a) => a.kind)).toEqual(['page', 'resolve']);
  });

  it('stores every result of the run, with its time, before paging', async () => {
    const { store, verify, clock } = setup();
    const cannot = unchecked('gcp', 'gcp.sink', 'organization sink', 'pipeline.gcp.sink not in the registry');
    await verify([stopped, cannot]);
    expect(await store.listChecks()).toEqual([
      { ...stopped, checkedAtMs: T0 },
      { ...cannot, checkedAtMs: T0 },
    ]);
    clock.advance(3_600_000);
    await verify([logging]);
    expect(await store.listChecks()).toEqual([{ ...logging, checkedAtMs: T0 + 3_600_000 }]);
  });

  it('keeps an alert open while its setting cannot be checked', async () => {
    const { verify } = setup();
    await verify([stopped]);
    const blind = await verify([unchecked('aws', 'aws.trail.logging', 'trail is logging', 'no credentials')]);
    expect(blind.resolved).toEqual([]);
  });

  it('and the heartbeat check leaves its alerts alone (and the other way round)', async () => {
    const { store, alerts, clock, verify } = setup();
    await verify([stopped]);
    const heartbeat = await runHeartbeatCheck({ store, alerts }, clock.now());
    expect(heartbeat.resolved).toEqual([]);
    expect((await store.openAlerts()).map((a) => a.kind)).toEqual(['pipeline.misconfigured']);
  });
});
