import type { Action } from '../../core/act/actions.js';
import type { RespondersConfig } from '../../core/act/config-schema.js';
import type { DeliveryContext, OutputDriver } from '../../core/act/driver.js';
import { toAdf } from '../../core/act/render/adf.js';
import { capCodePoints } from '../../core/act/render/sanitize.js';
import type { AttemptResult } from '../../core/act/retry-policy.js';
import type { SecretResolver } from '../../core/act/secrets.js';
import { basicAuthCall, callVendor, type FetchLike, joinUrl, parseJson } from '../http/request.js';
import { cachedSecrets } from '../http/secret-cache.js';
import { hashKey } from '../http/vendor-key.js';
import { attachInvite, closeSubtask, createSubtask } from './task-api.js';

/**
 * Jira Cloud REST v3: one issue per incident (`POST /rest/api/3/issue`, description in ADF), later
 * events as comments (`POST /rest/api/3/issue/{key}/comment`). Basic auth with e-mail and API token.
 *
 * An earlier attempt that timed out may have created the issue, so before creating again the driver
 * searches for the incident's label (`gw-…`). Jira's search index can lag a few seconds behind a
 * create; the label lookup narrows the duplicate window, it cannot close it. The aftermath's review and
 * rotation tasks are sub-tasks of that issue (task-api.ts).
 */

const SUMMARY_MAX = 255;

export interface JiraDeps {
  secrets: SecretResolver;
  timeoutMs: number;
  now: () => number;
  fetch?: FetchLike;
}

type JiraConfig = NonNullable<RespondersConfig['jira']>;

/** The label that finds an incident's issue again: `gw-` and a hash (labels cannot hold spaces or colons). */
export function incidentLabel(incidentId: string): string {
  return hashKey(incidentId);
}

/** Kinds this driver delivers: the incident's issue and comments, and the aftermath's sub-tasks. */
const HANDLED: ReadonlySet<Action['kind']> = new Set([
  'ticket.open',
  'ticket.append',
  'task.create',
  'task.close',
  'invite.send',
]);

export function createJiraDriver(config: JiraConfig, deps: JiraDeps): OutputDriver {
  const credentials = cachedSecrets(deps.secrets, { email: config.email, apiToken: config.apiToken });

  return {
    async deliver(action: Action, context: DeliveryContext): Promise<AttemptResult> {
      if (!HANDLED.has(action.kind)) return { ok: false, retryable: false, error: `jira cannot ${action.kind}` };
      const { email, apiToken } = await credentials();
      const { call, request } = basicAuthCall('jira', email, apiToken, deps);
      const session = { config, request, call, ...(deps.fetch ? { fetch: deps.fetch } : {}) };
      switch (action.kind) {
        case 'task.create':
          return createSubtask(action, context, session);
        case 'task.close':
          return closeSubtask(action, context, session);
        case 'invite.send':
          return attachInvite(action, context, session);
      }

      if (action.kind === 'ticket.append') {
        const issueKey = context.dependency?.ref?.issueKey;
        if (!issueKey) return { ok: false, retryable: false, error: 'jira: no issue key recorded for this incident' };
        const { result, response } = await callVendor(
          {
            ...request,
            method: 'POST',
            url: joinUrl(config.baseUrl, `/rest/api/3/issue/${encodeURIComponent(issueKey)}/comment`),
            json: { body: toAdf(action.comment) },
          },
          { ...call, ok: [201] },
          deps.fetch,
        );
        if (!result.ok) return result;
        const id = (parseJson(response?.text ?? '') as { id?: unknown } | undefined)?.id;
        return { ok: true, ref: { issueKey, ...(typeof id === 'string' ? { commentId: id } : {}) } };
      }

      if (action.kind !== 'ticket.open') return { ok: false, retryable: false, error: `jira cannot ${action.kind}` };
      const label = incidentLabel(action.incidentId);
      if (context.previousAttempts > 0) {
        const jql = `labels = "${label}" ORDER BY created ASC`;
        const { result, response } = await callVendor(
          {
            ...request,
            method: 'GET',
            url: joinUrl(
              config.baseUrl,
              `/rest/api/3/search/jql?jql=${encodeURIComponent(jql)}&fields=key&maxResults=1`,
            ),
          },
          { ...call, ok: [200] },
          deps.fetch,
        );
        if (!result.ok) return result;
        const found = (parseJson(response?.text ?? '') as { issues?: { id?: unknown; key?: unknown }[] } | undefined)
          ?.issues?.[0];
        if (typeof found?.key === 'string')
          return { ok: true, ref: issueRef(config.baseUrl, found.key, found.id, 'found') };
      }
      const { result, response } = await callVendor(
        {
          ...request,
          method: 'POST',
          url: joinUrl(config.baseUrl, '/rest/api/3/issue'),
          json: {
            fields: {
              project: { key: config.projectKey },
              issuetype: { name: config.issueType },
              summary: capCodePoints(action.ticket.title.replace(/\s+/g, ' '), SUMMARY_MAX),
              description: toAdf(action.ticket),
              labels: ['glasswatch', 'break-glass', label],
            },
          },
        },
        { ...call, ok: [201] },
        deps.fetch,
      );
      if (!result.ok) return result;
      const created = parseJson(response?.text ?? '') as { id?: unknown; key?: unknown } | undefined;
      if (typeof created?.key !== 'string')
        return { ok: false, retryable: false, error: 'jira 201 without an issue key' };
      return { ok: true, ref: issueRef(config.baseUrl, created.key, created.id, 'created') };
    },

    /** Closed = the status is in Jira's `done` category, whatever the workflow calls it. */
    async ticketStatus(ref) {
      if (!ref.issueKey) return { ok: false, retryable: false, error: 'jira: no issue key recorded for this ticket' };
      const { email, apiToken } = await credentials();
      const { call, request } = basicAuthCall('jira', email, apiToken, deps);
      const { result, response } = await callVendor(
        {
          ...request,
          method: 'GET',
          url: joinUrl(config.baseUrl, `/rest/api/3/issue/${encodeURIComponent(ref.issueKey)}?fields=status`),
        },
        { ...call, ok: [200] },
        deps.fetch,
      );
      if (!result.ok) return result;
      const status = (
        parseJson(response?.text ?? '') as
          | { fields?: { status?: { name?: unknown; statusCategory?: { key?: unknown } } } }
          | undefined
      )?.fields?.status;
      const name = typeof status?.name === 'string' ? status.name : 'unknown status';
      return { ok: true, closed: status?.statusCategory?.key === 'done', label: `${ref.issueKey} ${name}` };
    },
  };
}

function issueRef(baseUrl: string, key: string, id: unknown, how: string): Record<string, string> {
  return {
    issueKey: key,
    ...(typeof id === 'string' ? { issueId: id } : {}),
    url: joinUrl(baseUrl, `/browse/${encodeURIComponent(key)}`),
    how,
  };
}
