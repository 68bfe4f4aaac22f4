import { createDrivers } from '../../../../shared/adapters/http/drivers.js';
import {
  type AftermathDriverDeps,
  createAftermathDrivers,
} from '../../../../shared/adapters/scheduler/aftermath-drivers.js';
import { type RespondersInput, respondersSchema } from '../../../../shared/core/act/config-schema.js';
import { createResponders } from '../../../../shared/core/act/responders.js';
import { EnvSecretResolver } from '../../../../shared/core/act/secrets.js';
import { InMemoryDeliveryLedger } from '../../../../shared/core/ports/in-memory-delivery-ledger.js';
import { InMemoryRotationWatchStore } from '../../../../shared/core/ports/in-memory-rotation-watch-store.js';
import { registry } from '../../../unit/act/aftermath/support.js';
import { FakeClock, seeded } from '../../../unit/act/support/clock.js';
import { CREDENTIALS } from '../../responders/harness.js';

/**
 * Real drivers (HTTP to the contract servers, AWS SDK clients over aws-sdk-client-mock, files) composed
 * as the CLI and the Lambda compose them: `createDrivers` merged with `createAftermathDrivers`, the
 * test registry, a fake clock that only moves when code sleeps.
 */
export function aftermathHarness(input: RespondersInput, deps: AftermathDriverDeps = {}, nowMs = Date.UTC(2026, 0, 1)) {
  const config = respondersSchema.parse({
    retry: { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 5_000, timeoutMs: 500, maxRetryAfterMs: 60_000 },
    ...input,
  });
  const clock = new FakeClock(nowMs);
  const env = {
    GLASSWATCH_JIRA_EMAIL: CREDENTIALS.jiraEmail,
    GLASSWATCH_JIRA_API_TOKEN: CREDENTIALS.jiraToken,
    GLASSWATCH_SERVICENOW_USERNAME: CREDENTIALS.snowUser,
    GLASSWATCH_SERVICENOW_PASSWORD: CREDENTIALS.snowPassword,
  };
  const now = () => clock.now();
  const drivers = {
    ...createDrivers(config, { secrets: new EnvSecretResolver(env), now }),
    ...createAftermathDrivers(config, { now, ...deps }),
  };
  const ledger = new InMemoryDeliveryLedger();
  const store = new InMemoryRotationWatchStore();
  const responders = createResponders(config, {
    drivers,
    ledger,
    clock,
    random: seeded(5),
    registry: registry(),
    rotations: store,
  });
  return { responders, clock, ledger, store, config };
}
