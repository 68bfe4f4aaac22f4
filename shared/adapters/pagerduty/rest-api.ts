import type { RespondersConfig } from '../../core/act/config-schema.js';
import { capCodePoints } from '../../core/act/render/sanitize.js';
import type { AttemptResult } from '../../core/act/retry-policy.js';
import type { SecretResolver } from '../../core/act/secrets.js';
import { callVendor, type FetchLike, joinUrl, parseJson } from '../http/request.js';
import { cachedSecrets } from '../http/secret-cache.js';

/**
 * PagerDuty REST API v2, only for what Events API v2 has no action for: a note on the incident an
 * alert's `dedup_key` belongs to. "List incidents" with `incident_key` (and `date_range=all`, so an
 * older incident is found too) gives the incident; "Create a note on an incident" (`POST
 * /incidents/{id}/notes`, `From` = a user's e-mail, 201) adds the note, which notifies nobody.
 * Events are processed asynchronously, so an incident not found yet is retried.
 */

type RestConfig = NonNullable<NonNullable<RespondersConfig['pagerduty']>['restApi']>;

export interface PagerDutyRestDeps {
  secrets: SecretResolver;
  timeoutMs: number;
  now: () => number;
  fetch?: FetchLike;
}

/** PagerDuty's limit for a note's content. */
const NOTE_MAX = 25_000;
const ACCEPT = 'application/vnd.pagerduty+json;version=2';

export type NoteSender = (dedupKey: string, note: string) => Promise<AttemptResult>;

export function createNoteSender(config: RestConfig, deps: PagerDutyRestDeps): NoteSender {
  const credentials = cachedSecrets(deps.secrets, { token: config.token });
  return async (dedupKey, note) => {
    const { token } = await credentials();
    const headers = { authorization: `Token token=${token}`, accept: ACCEPT };
    const call = { vendor: 'pagerduty', secrets: [token], now: deps.now };
    const query = `incident_key=${encodeURIComponent(dedupKey)}&date_range=all&limit=1`;
    const found = await callVendor(
      { method: 'GET', url: joinUrl(config.url, `/incidents?${query}`), headers, timeoutMs: deps.timeoutMs },
      { ...call, ok: [200] },
      deps.fetch,
    );
    if (!found.result.ok) return found.result;
    const incidents = (parseJson(found.response?.text ?? '') as { incidents?: { id?: unknown }[] } | undefined)
      ?.incidents;
    const id = incidents?.[0]?.id;
    if (typeof id !== 'string' || !/^[A-Z0-9]{1,32}$/.test(id)) {
      return { ok: false, retryable: true, error: `pagerduty: no incident with incident_key ${dedupKey} (yet)` };
    }
    const { result } = await callVendor(
      {
        method: 'POST',
        url: joinUrl(config.url, `/incidents/${id}/notes`),
        headers: { ...headers, from: config.from },
        json: { note: { content: capCodePoints(note, NOTE_MAX) } },
        timeoutMs: deps.timeoutMs,
      },
      { ...call, ok: [201] },
      deps.fetch,
    );
    return result.ok ? { ok: true, ref: { dedupKey, incident: id } } : result;
  };
}
