import type { Action, PageMessage } from '../../core/act/actions.js';
import type { RespondersConfig } from '../../core/act/config-schema.js';
import type { DeliveryContext, OutputDriver, PageLink } from '../../core/act/driver.js';
import { headlineWithReason } from '../../core/act/render/page.js';
import { capCodePoints } from '../../core/act/render/sanitize.js';
import type { AttemptResult } from '../../core/act/retry-policy.js';
import type { SecretResolver } from '../../core/act/secrets.js';
import type { Severity } from '../../core/model/finding.js';
import { callVendor, type FetchLike, type HttpRequest, joinUrl } from '../http/request.js';
import { cachedSecrets } from '../http/secret-cache.js';
import { vendorKey } from '../http/vendor-key.js';

/**
 * Opsgenie / Jira Service Management alerts (Alert API v2, `Authorization: GenieKey …`). The alias is
 * the action's alert key: the incident id for its page, `<incident>:tamper`… for an escalation, which
 * creates an alert of its own (a create on an open alert's alias only counts up, notifying nobody).
 * Notes (`POST /v2/alerts/{alias}/notes`) say the session ended; close (`…/close`) carries why.
 * Every request answers 202 (processed asynchronously). Opsgenie reaches end of support on 2027-04-05.
 */

const PRIORITIES: Readonly<Record<Severity, 'P1' | 'P2' | 'P3' | 'P4'>> = {
  critical: 'P1',
  high: 'P2',
  medium: 'P3',
  low: 'P4',
};
/** Drills: lowest priority, so they do not wake anyone. */
const DRILL_PRIORITY = 'P5';

const LIMITS = { message: 130, alias: 512, description: 15_000, detailValue: 500, note: 25_000, entity: 512 } as const;

export interface OpsgenieDeps {
  secrets: SecretResolver;
  timeoutMs: number;
  now: () => number;
  fetch?: FetchLike;
}

type OpsgenieConfig = NonNullable<RespondersConfig['opsgenie']>;

export function createOpsgenieDriver(config: OpsgenieConfig, deps: OpsgenieDeps): OutputDriver {
  const credentials = cachedSecrets(deps.secrets, { apiKey: config.apiKey });
  return {
    async deliver(action: Action, context: DeliveryContext): Promise<AttemptResult> {
      if (action.kind !== 'page' && action.kind !== 'notify' && action.kind !== 'resolve' && action.kind !== 'note') {
        return { ok: false, retryable: false, error: `opsgenie cannot ${action.kind}` };
      }
      const { apiKey } = await credentials();
      const alias = vendorKey(action.alertKey, LIMITS.alias);
      const byAlias = (verb: string) =>
        joinUrl(config.apiUrl, `/v2/alerts/${encodeURIComponent(alias)}/${verb}?identifierType=alias`);
      const send = async (method: HttpRequest['method'], url: string, json: unknown) =>
        (
          await callVendor(
            { method, url, json, headers: { authorization: `GenieKey ${apiKey}` }, timeoutMs: deps.timeoutMs },
            { vendor: 'opsgenie', ok: [200, 202], secrets: [apiKey], now: deps.now },
            deps.fetch,
          )
        ).result;

      const result =
        action.kind === 'resolve'
          ? await send('POST', byAlias('close'), {
              source: 'Glasswatch',
              note: capCodePoints(action.note, LIMITS.note),
            })
          : action.kind === 'note'
            ? await send('POST', byAlias('notes'), {
                source: 'Glasswatch',
                note: capCodePoints(action.note, LIMITS.note),
              })
            : await send('POST', joinUrl(config.apiUrl, '/v2/alerts'), alertOf(action.page, alias, context.links));
      return result.ok ? { ok: true, ref: { alias } } : result;
    },
  };
}

function priorityOf(page: PageMessage): string {
  return page.drill ? DRILL_PRIORITY : PRIORITIES[page.severity];
}

/** Create-alert body within Opsgenie's documented limits (message 130, description 15,000…). */
export function alertOf(page: PageMessage, alias: string, links: readonly PageLink[] = []) {
  return {
    message: capCodePoints(headlineWithReason(page), LIMITS.message),
    alias,
    description: capCodePoints(
      [headlineWithReason(page), '', ...page.facts.map((f) => `${f.label}: ${f.value}`)].join('\n'),
      LIMITS.description,
    ),
    priority: priorityOf(page),
    source: 'Glasswatch',
    entity: capCodePoints(page.source, LIMITS.entity),
    tags: ['glasswatch', 'break-glass', ...(page.drill ? ['drill'] : [])],
    details: Object.fromEntries([
      ...page.facts.map((f) => [f.label, capCodePoints(f.value, LIMITS.detailValue)]),
      ...links.map((l) => [l.text || 'Ticket', capCodePoints(l.href, LIMITS.detailValue)]),
    ]),
  };
}
