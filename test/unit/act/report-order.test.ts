import { describe, expect, it } from 'vitest';
import type { Action } from '../../../shared/core/act/actions.js';
import { respondersSchema } from '../../../shared/core/act/config-schema.js';
import type { OutputDriver } from '../../../shared/core/act/driver.js';
import { createResponders } from '../../../shared/core/act/responders.js';
import { FakeClock, seeded } from './support/clock.js';
import { awsRootSignIn, incident, opened } from './support/incidents.js';

describe('the delivery report', () => {
  it('lists incidents in the order of their changes, whichever was delivered first', async () => {
    // The first incident's page is held until the second's was delivered.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const delivered: string[] = [];
    const driver: OutputDriver = {
      async deliver(action: Action) {
        if (action.incidentId === 'inc-a') await held;
        delivered.push(action.incidentId);
        if (action.incidentId === 'inc-b') release();
        return { ok: true };
      },
    };
    const config = respondersSchema.parse({ pagerduty: { routingKey: 'R'.repeat(32) } });
    const responders = createResponders(config, {
      drivers: { pagerduty: driver },
      clock: new FakeClock(),
      random: seeded(1),
    });
    const changes = ['inc-a', 'inc-b'].map((id) => opened(incident([awsRootSignIn()], { id })));
    const report = await responders.handle(changes);
    expect(delivered).toEqual(['inc-b', 'inc-a']);
    expect(report.incidents.map((i) => i.incidentId)).toEqual(['inc-a', 'inc-b']);
  });
});
