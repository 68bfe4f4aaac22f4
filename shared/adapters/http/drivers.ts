import { SNSClient } from '@aws-sdk/client-sns';
import type { OutputName } from '../../core/act/actions.js';
import type { RespondersConfig } from '../../core/act/config-schema.js';
import type { OutputDriver } from '../../core/act/driver.js';
import { planFor } from '../../core/act/plan.js';
import type { SecretResolver } from '../../core/act/secrets.js';
import { createChatDriver } from '../chat/webhook.js';
import { createJiraDriver } from '../jira/issue-api.js';
import { createOpsgenieDriver } from '../opsgenie/alert-api.js';
import { createOutboxDriver } from '../outbox/outbox.js';
import { createPagerDutyDriver } from '../pagerduty/events-api.js';
import { createServiceNowDriver } from '../servicenow/table-api.js';
import { createSnsDriver, type SnsSender } from '../sns/publish.js';
import type { FetchLike } from './request.js';

export interface DriverDeps {
  /** Env locally; Secrets Manager/SSM on AWS. */
  secrets: SecretResolver;
  fetch?: FetchLike;
  /** Defaults to an SNSClient in the topic's region with the SDK's own retries off. */
  snsClient?: SnsSender;
  now?: () => number;
}

/**
 * One driver per output the configuration uses (the outbox when no vendor is configured): the
 * composition the CLI and the Lambda hand to `createResponders`.
 *
 * @example
 * const drivers = createDrivers(registry.responders, { secrets: new EnvSecretResolver(process.env) });
 */
export function createDrivers(
  config: RespondersConfig | undefined,
  deps: DriverDeps,
): Partial<Record<OutputName, OutputDriver>> {
  const plan = planFor(config);
  const now = deps.now ?? Date.now;
  const timeoutMs = config?.retry.timeoutMs ?? 10_000;
  const http = { secrets: deps.secrets, timeoutMs, now, ...(deps.fetch ? { fetch: deps.fetch } : {}) };
  const drivers: Partial<Record<OutputName, OutputDriver>> = {};
  if (config?.pagerduty) drivers.pagerduty = createPagerDutyDriver(config.pagerduty, http);
  if (config?.opsgenie) drivers.opsgenie = createOpsgenieDriver(config.opsgenie, http);
  if (config?.chat) drivers.chat = createChatDriver(config.chat, http);
  if (config?.jira) drivers.jira = createJiraDriver(config.jira, http);
  if (config?.servicenow) drivers.servicenow = createServiceNowDriver(config.servicenow, http);
  if (config?.sns) {
    const region = config.sns.topicArn.split(':')[3];
    const client = deps.snsClient ?? new SNSClient({ ...(region ? { region } : {}), maxAttempts: 1 });
    drivers.sns = createSnsDriver(config.sns, { client, timeoutMs });
  }
  if (plan.outbox) drivers.outbox = createOutboxDriver({ dir: config?.outbox?.dir ?? '.glasswatch/outbox' });
  return drivers;
}
