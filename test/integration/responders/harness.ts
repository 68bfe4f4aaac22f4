import { createDrivers } from '../../../shared/adapters/http/drivers.js';
import type { FetchLike } from '../../../shared/adapters/http/request.js';
import type { RespondersInput } from '../../../shared/core/act/config-schema.js';
import { respondersSchema } from '../../../shared/core/act/config-schema.js';
import { createResponders, type Responders } from '../../../shared/core/act/responders.js';
import { EnvSecretResolver } from '../../../shared/core/act/secrets.js';
import { InMemoryDeliveryLedger } from '../../../shared/core/ports/in-memory-delivery-ledger.js';
import type { Received } from '../../support/vendor-servers/base.js';
import { JiraServer } from '../../support/vendor-servers/jira.js';
import { OpsgenieServer } from '../../support/vendor-servers/opsgenie.js';
import { PagerDutyServer } from '../../support/vendor-servers/pagerduty.js';
import { ServiceNowServer } from '../../support/vendor-servers/servicenow.js';
import { SnsStub } from '../../support/vendor-servers/sns-stub.js';
import { WebhookServer } from '../../support/vendor-servers/webhook.js';
import { FakeClock, seeded } from '../../unit/act/support/clock.js';

/** Credentials the contract servers expect; passed as environment variables, like the real thing. */
export const CREDENTIALS = {
  routingKey: 'R0UT1NGKEYR0UT1NGKEYR0UT1NGKEY00',
  opsgenieKey: 'eb243592-faa2-4ba2-a551-1afdf565c889',
  jiraEmail: 'glasswatch@example.com',
  jiraToken: 'ATATT3xFfGF0-jira-api-token-value',
  snowUser: 'glasswatch.integration',
  snowPassword: 'sn0w-p4ssw0rd-value',
} as const;

export interface Vendors {
  pagerduty: PagerDutyServer;
  opsgenie: OpsgenieServer;
  jira: JiraServer;
  servicenow: ServiceNowServer;
  slack: WebhookServer;
  teams: WebhookServer;
  sns: SnsStub;
  close(): Promise<void>;
}

/**
 * Requests waiting for an answer, by the id the harness's fetch stamps on them. When a contract server
 * decides never to answer one (a `hang`, or a `lost` answer after it acted), the request times out
 * right then on the harness's injected clock — never on a real-time timer, which a loaded machine
 * stretches until a slow answer looks like a timeout and a message goes out twice.
 */
const waiting = new Map<string, () => void>();
let requestCount = 0;
const REQUEST_ID_HEADER = 'x-test-request';

function timeOutOnInjectedClock(request: Received): void {
  waiting.get(String(request.headers[REQUEST_ID_HEADER]))?.();
}

function fetchOnInjectedClock(clock: FakeClock, timeoutMs: number): FetchLike {
  return async (url, init) => {
    const id = String(++requestCount);
    const timeout = new AbortController();
    waiting.set(id, () => {
      clock.advance(timeoutMs);
      timeout.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    });
    try {
      // init.signal (the driver's real-time AbortSignal.timeout) is deliberately not passed on.
      return await fetch(url, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), [REQUEST_ID_HEADER]: id },
        signal: timeout.signal,
      });
    } finally {
      waiting.delete(id);
    }
  };
}

export async function startVendors(): Promise<Vendors> {
  const pagerduty = await new PagerDutyServer().start();
  const opsgenie = await new OpsgenieServer(CREDENTIALS.opsgenieKey).start();
  const jira = await new JiraServer(CREDENTIALS.jiraEmail, CREDENTIALS.jiraToken).start();
  const servicenow = await new ServiceNowServer(CREDENTIALS.snowUser, CREDENTIALS.snowPassword).start();
  const slack = await new WebhookServer('slack').start();
  const teams = await new WebhookServer('teams').start();
  const sns = new SnsStub();
  sns.timeouts = 'now';
  for (const server of [pagerduty, opsgenie, jira, servicenow, slack, teams])
    server.onNoAnswer = timeOutOnInjectedClock;
  return {
    pagerduty,
    opsgenie,
    jira,
    servicenow,
    slack,
    teams,
    sns,
    close: async () => {
      await Promise.all([pagerduty, opsgenie, jira, servicenow, slack, teams].map((s) => s.close()));
      sns.client.destroy();
    },
  };
}

/** PagerDuty with its REST API too (notes on the alert). */
export function pagerDutyWithRest(vendors: Vendors): NonNullable<RespondersInput['pagerduty']> {
  return {
    eventsUrl: vendors.pagerduty.eventsUrl,
    routingKey: CREDENTIALS.routingKey,
    restApi: { url: vendors.pagerduty.url, token: { env: 'GLASSWATCH_PAGERDUTY_API_TOKEN' }, from: 'soc@example.com' },
  };
}

/** Responders config for the local servers; `outputs` picks which vendors are configured. */
export function configFor(vendors: Vendors, outputs: readonly string[], extra: RespondersInput = {}): RespondersInput {
  const all: RespondersInput = {
    pagerduty: { eventsUrl: vendors.pagerduty.eventsUrl, routingKey: CREDENTIALS.routingKey },
    opsgenie: { apiUrl: vendors.opsgenie.url },
    sns: { topicArn: 'arn:aws:sns:us-east-1:111122223333:break-glass-pages' },
    chat: { kind: 'slack' },
    jira: { baseUrl: vendors.jira.url, projectKey: 'SEC' },
    servicenow: { instanceUrl: vendors.servicenow.url },
  };
  const picked = Object.fromEntries(Object.entries(all).filter(([k]) => outputs.includes(k)));
  return {
    retry: { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 5_000, timeoutMs: 300, maxRetryAfterMs: 60_000 },
    ...picked,
    ...extra,
  };
}

export interface Harness {
  responders: Responders;
  clock: FakeClock;
  ledger: InMemoryDeliveryLedger;
}

/**
 * Real drivers (fetch, SNS SDK over the stub) against the local servers, with a fake clock for waits
 * and for timeouts (see {@link fetchOnInjectedClock}); `options.fetch` replaces that fetch.
 */
export function harness(
  vendors: Vendors,
  input: RespondersInput,
  options: { seed?: number; chatKind?: 'slack' | 'teams'; concurrency?: number; fetch?: FetchLike } = {},
): Harness {
  const config = respondersSchema.parse(input);
  const clock = new FakeClock();
  const ledger = new InMemoryDeliveryLedger();
  const env = {
    GLASSWATCH_OPSGENIE_API_KEY: CREDENTIALS.opsgenieKey,
    GLASSWATCH_PAGERDUTY_API_TOKEN: vendors.pagerduty.restToken,
    GLASSWATCH_JIRA_EMAIL: CREDENTIALS.jiraEmail,
    GLASSWATCH_JIRA_API_TOKEN: CREDENTIALS.jiraToken,
    GLASSWATCH_SERVICENOW_USERNAME: CREDENTIALS.snowUser,
    GLASSWATCH_SERVICENOW_PASSWORD: CREDENTIALS.snowPassword,
    GLASSWATCH_CHAT_WEBHOOK_URL: (options.chatKind === 'teams' ? vendors.teams : vendors.slack).webhookUrl,
  };
  const drivers = createDrivers(config, {
    secrets: new EnvSecretResolver(env),
    snsClient: vendors.sns.client,
    now: () => clock.now(),
    fetch: options.fetch ?? fetchOnInjectedClock(clock, config.retry.timeoutMs),
  });
  const responders = createResponders(config, {
    drivers,
    ledger,
    clock,
    random: seeded(options.seed ?? 1),
    concurrency: options.concurrency ?? 4,
  });
  return { responders, clock, ledger };
}
