import type { Action, PageMessage } from '../../core/act/actions.js';
import type { RespondersConfig } from '../../core/act/config-schema.js';
import type { DeliveryContext, OutputDriver } from '../../core/act/driver.js';
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
 * the incident id: Opsgenie keeps one open alert per alias, so a repeated create only counts up.
 * Escalation raises the priority and adds a note; the session's end closes the alert by alias.
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

const LIMITS = { message: 130, alias: 512, description: 15_000, detailValue: 500, note: 25_000 } as const;

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
    async deliver(action: Action, _context: DeliveryContext): Promise<AttemptResult> {
      if (action.kind !== 'page' && action.kind !== 'notify' && action.kind !== 'resolve') {
        return { ok: false, retryable: false, error: `opsgenie cannot ${action.kind}` };
      }
      const { apiKey } = await credentials();
      const alias = vendorKey(action.incidentId, LIMITS.alias);
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

      if (action.kind === 'page') {
        const result = await send('POST', joinUrl(config.apiUrl, '/v2/alerts'), alertOf(action.page, alias));
        return result.ok ? { ok: true, ref: { alias } } : result;
      }
      if (action.kind === 'resolve') {
        const result = await send('POST', byAlias('close'), {
          source: 'Glasswatch',
          note: 'Break-glass session ended.',
        });
        return result.ok ? { ok: true, ref: { alias } } : result;
      }
      // Both calls are idempotent, so a retry after a half-done escalation repeats them safely.
      const priority = await send('PUT', byAlias('priority'), { priority: priorityOf(action.page) });
      if (!priority.ok) return priority;
      const note = await send('POST', byAlias('notes'), {
        source: 'Glasswatch',
        note: capCodePoints(headlineWithReason(action.page), LIMITS.note),
      });
      return note.ok ? { ok: true, ref: { alias } } : note;
    },
  };
}

function priorityOf(page: PageMessage): string {
  return page.drill ? DRILL_PRIORITY : PRIORITIES[page.severity];
}

/** Create-alert body within Opsgenie's documented limits (message 130, description 15,000…). */
export function alertOf(page: PageMessage, alias: string) {
  return {
    message: capCodePoints(headlineWithReason(page), LIMITS.message),
    alias,
    description: capCodePoints(
      [headlineWithReason(page), '', ...page.facts.map((f) => `${f.label}: ${f.value}`)].join('\n'),
      LIMITS.description,
    ),
    priority: priorityOf(page),
    source: 'Glasswatch',
    entity: page.cloud,
    tags: ['glasswatch', 'break-glass', ...(page.drill ? ['drill'] : [])],
    details: Object.fromEntries(page.facts.map((f) => [f.label, capCodePoints(f.value, LIMITS.detailValue)])),
  };
}
