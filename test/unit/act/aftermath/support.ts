import { type Action, OUTPUTS, type OutputName } from '../../../../shared/core/act/actions.js';
import { type RespondersInput, respondersSchema } from '../../../../shared/core/act/config-schema.js';
import type { DeliveryContext, OutputDriver } from '../../../../shared/core/act/driver.js';
import { createResponders } from '../../../../shared/core/act/responders.js';
import type { AttemptResult } from '../../../../shared/core/act/retry-policy.js';
import { InMemoryDeliveryLedger } from '../../../../shared/core/ports/in-memory-delivery-ledger.js';
import { InMemoryRotationWatchStore } from '../../../../shared/core/ports/in-memory-rotation-watch-store.js';
import type { Registry, RegistryInput } from '../../../../shared/core/registry/index.js';
import { registrySchema } from '../../../../shared/core/registry/schema.js';
import { FakeClock, seeded } from '../support/clock.js';

/**
 * The aftermath under test: a registry with one break-glass account per kind of credential, fake
 * drivers that record every action, a fake clock, and in-memory ledger and watch store.
 */

export const ROOT_SECRET = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:breakglass/root-AbCdEf';

export const REGISTRY_INPUT: RegistryInput = {
  accounts: [
    {
      id: 'aws-root-prod',
      cloud: 'aws',
      match: { arn: 'arn:aws:iam::111122223333:root' },
      owners: ['alice@example.com', 'bob@example.com'],
      sessionGapMinutes: 30,
      rotation: { secretId: ROOT_SECRET },
    },
    {
      id: 'aws-breakglass-user',
      cloud: 'aws',
      match: { userName: 'breakglass', accountId: '111122223333' },
      owners: ['alice@example.com'],
    },
    {
      id: 'entra-emergency',
      cloud: 'azure',
      match: { userPrincipalName: 'emergency@contoso.com' },
      owners: ['carol@contoso.com'],
    },
    { id: 'gws-superadmin', cloud: 'gcp', match: { email: 'breakglass@example.com' } },
  ],
};

export const registry = (): Registry => registrySchema.parse(REGISTRY_INPUT);

type Behaviour = (action: Action, context: DeliveryContext, call: number) => AttemptResult;

/** Records every call; tickets and tasks answer with keys so later actions can hang on them. */
export class FakeDriver implements OutputDriver {
  readonly calls: { action: Action; context: DeliveryContext }[] = [];
  constructor(public behaviour: Behaviour = defaultAnswer) {}
  async deliver(action: Action, context: DeliveryContext): Promise<AttemptResult> {
    this.calls.push({ action, context });
    return this.behaviour(action, context, this.calls.length);
  }
  keys(): string[] {
    return this.calls.map((c) => c.action.key);
  }
}

function defaultAnswer(action: Action): AttemptResult {
  if (action.kind === 'ticket.open') return { ok: true, ref: { issueKey: 'SEC-1' } };
  if (action.kind === 'task.create') return { ok: true, ref: { issueKey: `SEC-${action.task.task}` } };
  return { ok: true };
}

export const JIRA: RespondersInput = { jira: { baseUrl: 'https://x.atlassian.net', projectKey: 'SEC' } };
export const PAGERDUTY: RespondersInput = { pagerduty: { routingKey: 'R'.repeat(32) } };
export const SCHEDULER: RespondersInput = {
  scheduler: {
    targetArn: 'arn:aws:sqs:us-east-1:111122223333:glasswatch-responders',
    roleArn: 'arn:aws:iam::111122223333:role/glasswatch-scheduler',
    deadLetterArn: 'arn:aws:sqs:us-east-1:111122223333:glasswatch-scheduler-dlq',
  },
};
export const AWS_EXECUTORS: RespondersInput = { rotation: { aws: {} } };

/** 2022-11-10T16:50Z: just after the events of the incident builders (root sign-in 16:24, activity from 16:30). */
export const SESSION_DAY = Date.parse('2022-11-10T16:50:00Z');

export function aftermathSetup(
  input: RespondersInput,
  nowMs = SESSION_DAY,
  store: InMemoryRotationWatchStore = new InMemoryRotationWatchStore(),
) {
  const config = respondersSchema.parse({ retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100 }, ...input });
  const drivers = Object.fromEntries(OUTPUTS.map((o) => [o, new FakeDriver()])) as Record<OutputName, FakeDriver>;
  const clock = new FakeClock(nowMs);
  const ledger = new InMemoryDeliveryLedger();
  const responders = createResponders(config, {
    drivers,
    ledger,
    clock,
    random: seeded(3),
    registry: registry(),
    rotations: store,
  });
  return { responders, drivers, clock, ledger, store, config };
}

/** Keys an output was asked to deliver, in order. */
export function sent(driver: FakeDriver): string[] {
  return driver.keys();
}
