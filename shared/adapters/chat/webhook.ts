import type { Action } from '../../core/act/actions.js';
import { endpointUrl, type RespondersConfig } from '../../core/act/config-schema.js';
import type { DeliveryContext, OutputDriver } from '../../core/act/driver.js';
import { toSlack, toTeams } from '../../core/act/render/chat.js';
import type { AttemptResult } from '../../core/act/retry-policy.js';
import type { SecretResolver } from '../../core/act/secrets.js';
import { callVendor, type FetchLike } from '../http/request.js';
import { cachedSecrets } from '../http/secret-cache.js';

/**
 * SOC channel message through an incoming webhook: Slack (200 "ok") or a Teams Workflows webhook
 * (200/202). The webhook URL is a credential: it comes from a secret reference and is redacted from
 * every error. Slack answers 429 with Retry-After when a channel is flooded.
 */

const RENDERERS = { slack: toSlack, teams: toTeams } as const;

type ChatConfig = NonNullable<RespondersConfig['chat']>;

export function createChatDriver(
  config: ChatConfig,
  deps: { secrets: SecretResolver; timeoutMs: number; now: () => number; fetch?: FetchLike },
): OutputDriver {
  const credentials = cachedSecrets(deps.secrets, { webhookUrl: config.webhookUrl });
  return {
    async deliver(action: Action, _context: DeliveryContext): Promise<AttemptResult> {
      if (action.kind !== 'page' && action.kind !== 'notify') {
        return { ok: false, retryable: false, error: `chat cannot ${action.kind}` };
      }
      const { webhookUrl } = await credentials();
      // The URL comes from a secret, not the validated config: hold it to the same https rule.
      if (!endpointUrl.safeParse(webhookUrl).success) {
        return { ok: false, retryable: false, error: `${config.kind}: webhook URL is not an https URL` };
      }
      const { result } = await callVendor(
        { method: 'POST', url: webhookUrl, json: RENDERERS[config.kind](action.page), timeoutMs: deps.timeoutMs },
        {
          vendor: config.kind,
          ok: [200, 201, 202, 204],
          secrets: [webhookUrl, new URL(webhookUrl).pathname],
          now: deps.now,
        },
        deps.fetch,
      );
      return result;
    },
  };
}
