import type { Action, PageMessage } from '../../core/act/actions.js';
import type { RespondersConfig } from '../../core/act/config-schema.js';
import type { DeliveryContext, OutputDriver } from '../../core/act/driver.js';
import { headlineWithReason } from '../../core/act/render/page.js';
import { capCodePoints } from '../../core/act/render/sanitize.js';
import type { AttemptResult } from '../../core/act/retry-policy.js';
import type { SecretResolver } from '../../core/act/secrets.js';
import type { Severity } from '../../core/model/finding.js';
import { callVendor, type FetchLike } from '../http/request.js';
import { cachedSecrets } from '../http/secret-cache.js';
import { vendorKey } from '../http/vendor-key.js';
import { createNoteSender } from './rest-api.js';

/**
 * PagerDuty Events API v2 (`POST /v2/enqueue`): `trigger` with `dedup_key` = the action's alert key
 * (the incident id for its page, `<incident>:tamper`… for an escalation, which must open an alert of its
 * own: a trigger on an open alert's key is appended to it without notifying anyone); `resolve` with the
 * same key. Notes go through the REST API (rest-api.ts) when it is configured. 202 means accepted; 400
 * is never retried; 429 and 5xx are (PagerDuty's own retry table).
 */

/** Drills page at low urgency: with "urgency based on severity", info/warning are low urgency. */
const SEVERITIES: Readonly<Record<Severity, 'critical' | 'error' | 'warning' | 'info'>> = {
  critical: 'critical',
  high: 'error',
  medium: 'warning',
  low: 'info',
};

const SUMMARY_MAX = 1024;
const DEDUP_MAX = 255;
const SOURCE_MAX = 255;

export interface PagerDutyDeps {
  secrets: SecretResolver;
  timeoutMs: number;
  now: () => number;
  fetch?: FetchLike;
}

type PagerDutyConfig = NonNullable<RespondersConfig['pagerduty']>;

export function createPagerDutyDriver(config: PagerDutyConfig, deps: PagerDutyDeps): OutputDriver {
  const credentials = cachedSecrets(deps.secrets, {
    routingKey: config.routingKey ?? (config.routingKeySecret as NonNullable<PagerDutyConfig['routingKeySecret']>),
  });
  const sendNote = config.restApi ? createNoteSender(config.restApi, deps) : undefined;
  return {
    async deliver(action: Action, context: DeliveryContext): Promise<AttemptResult> {
      if (action.kind !== 'page' && action.kind !== 'notify' && action.kind !== 'resolve' && action.kind !== 'note') {
        return { ok: false, retryable: false, error: `pagerduty cannot ${action.kind}` };
      }
      const dedupKey = vendorKey(action.alertKey, DEDUP_MAX);
      if (action.kind === 'note') {
        if (!sendNote)
          return { ok: false, retryable: false, error: 'pagerduty: notes need responders.pagerduty.restApi' };
        return sendNote(dedupKey, action.note);
      }
      if (action.kind === 'resolve' && sendNote) {
        // The note first: a resolved incident still takes notes, but the reason belongs before the resolve.
        const noted = await sendNote(dedupKey, action.note);
        if (!noted.ok) return noted;
      }
      const { routingKey } = await credentials();
      const body =
        action.kind === 'resolve'
          ? { routing_key: routingKey, event_action: 'resolve', dedup_key: dedupKey }
          : {
              routing_key: routingKey,
              event_action: 'trigger',
              dedup_key: dedupKey,
              client: 'Glasswatch',
              payload: payloadOf(action.page),
              ...(context.links ? { links: context.links } : {}),
            };
      const { result } = await callVendor(
        { method: 'POST', url: config.eventsUrl, json: body, timeoutMs: deps.timeoutMs },
        { vendor: 'pagerduty', ok: [202], secrets: [routingKey], now: deps.now },
        deps.fetch,
      );
      return result.ok ? { ok: true, ref: { dedupKey } } : result;
    },
  };
}

/**
 * PD-CEF payload. Facts go to custom_details as plain strings; the only `links` are the ticket's (our
 * own vendor URL), no `images`: untrusted text never becomes a link. `source` is the cloud account.
 */
export function payloadOf(page: PageMessage) {
  return {
    summary: capCodePoints(headlineWithReason(page), SUMMARY_MAX),
    source: capCodePoints(page.source, SOURCE_MAX),
    severity: page.drill ? 'info' : SEVERITIES[page.severity],
    timestamp: page.timestamp,
    component: page.cloud,
    class: page.drill ? 'break-glass drill' : 'break-glass use',
    custom_details: Object.fromEntries(page.facts.map((f) => [f.label, f.value])),
  };
}
