import type { Action } from '../../core/act/actions.js';
import type { RespondersConfig } from '../../core/act/config-schema.js';
import type { DeliveryContext, OutputDriver } from '../../core/act/driver.js';
import { neutraliseServiceNow, toPlainText } from '../../core/act/render/plain-text.js';
import { capCodePoints } from '../../core/act/render/sanitize.js';
import type { AttemptResult } from '../../core/act/retry-policy.js';
import type { SecretResolver } from '../../core/act/secrets.js';
import type { Severity } from '../../core/model/finding.js';
import { basicAuthCall, callVendor, type FetchLike, joinUrl, parseJson } from '../http/request.js';
import { cachedSecrets } from '../http/secret-cache.js';
import { vendorKey } from '../http/vendor-key.js';
import { attachInvite, closeIncidentTask, createIncidentTask, recordOf, TASK_TABLE } from './task-api.js';

/**
 * ServiceNow Table API: one `incident` record per incident (`POST /api/now/table/incident`, 201 with
 * `result.sys_id`), later events as work notes (`PATCH /api/now/table/incident/{sys_id}`). The record's
 * `correlation_id` is the incident id, so a create whose answer was lost is found again (Table API
 * reads are consistent) instead of created twice. A create that times out on our side but reaches
 * ServiceNow after the lookup can still duplicate: the lookup narrows that window, it cannot close it.
 * Text is plain, with `[code]` neutralised. The aftermath's review and rotation tasks are
 * `incident_task` records of that incident (task-api.ts).
 */

/** Kinds this driver delivers: the incident record and its work notes, and the aftermath's tasks. */
const HANDLED: ReadonlySet<Action['kind']> = new Set([
  'ticket.open',
  'ticket.append',
  'task.create',
  'task.close',
  'invite.send',
]);
/** Tables a work note may go to: the incident, or one of its tasks (a review reminder). */
const APPEND_TABLES: ReadonlySet<string> = new Set(['incident', TASK_TABLE]);

const LIMITS = { shortDescription: 160, description: 4_000, workNotes: 16_000, correlationId: 100 } as const;
/** ServiceNow urgency/impact: 1 high, 2 medium, 3 low. */
const URGENCY: Readonly<Record<Severity, '1' | '2' | '3'>> = { critical: '1', high: '1', medium: '2', low: '3' };

export interface ServiceNowDeps {
  secrets: SecretResolver;
  timeoutMs: number;
  now: () => number;
  fetch?: FetchLike;
}

type ServiceNowConfig = NonNullable<RespondersConfig['servicenow']>;

export function createServiceNowDriver(config: ServiceNowConfig, deps: ServiceNowDeps): OutputDriver {
  const credentials = cachedSecrets(deps.secrets, { username: config.username, password: config.password });
  const table = joinUrl(config.instanceUrl, '/api/now/table/incident');

  return {
    async deliver(action: Action, context: DeliveryContext): Promise<AttemptResult> {
      if (!HANDLED.has(action.kind)) return { ok: false, retryable: false, error: `servicenow cannot ${action.kind}` };
      const { username, password } = await credentials();
      const { call, request } = basicAuthCall('servicenow', username, password, deps);
      const session = { config, request, call, ...(deps.fetch ? { fetch: deps.fetch } : {}) };
      switch (action.kind) {
        case 'task.create':
          return createIncidentTask(action, context, session);
        case 'task.close':
          return closeIncidentTask(action, context, session);
        case 'invite.send':
          return attachInvite(action, context, session);
      }

      if (action.kind === 'ticket.append') {
        const sysId = context.dependency?.ref?.sysId;
        if (!sysId) return { ok: false, retryable: false, error: 'servicenow: no sys_id recorded for this incident' };
        const appendTo = context.dependency?.ref?.table ?? 'incident';
        if (!APPEND_TABLES.has(appendTo)) {
          return { ok: false, retryable: false, error: `servicenow: cannot append to table ${appendTo}` };
        }
        const { result } = await callVendor(
          {
            ...request,
            method: 'PATCH',
            url: `${joinUrl(config.instanceUrl, `/api/now/table/${appendTo}`)}/${encodeURIComponent(sysId)}?sysparm_fields=sys_id`,
            json: { work_notes: toPlainText(action.comment, LIMITS.workNotes) },
          },
          { ...call, ok: [200] },
          deps.fetch,
        );
        return result.ok ? { ok: true, ref: { sysId } } : result;
      }

      if (action.kind !== 'ticket.open') {
        return { ok: false, retryable: false, error: `servicenow cannot ${action.kind}` };
      }
      const correlationId = vendorKey(action.incidentId, LIMITS.correlationId);
      if (context.previousAttempts > 0) {
        const query = `correlation_id=${correlationId}`;
        const { result, response } = await callVendor(
          {
            ...request,
            method: 'GET',
            url: `${table}?sysparm_query=${encodeURIComponent(query)}&sysparm_fields=sys_id,number&sysparm_limit=1`,
          },
          { ...call, ok: [200] },
          deps.fetch,
        );
        if (!result.ok) return result;
        const found = recordOf((parseJson(response?.text ?? '') as { result?: unknown[] } | undefined)?.result?.[0]);
        if (found) return { ok: true, ref: { ...found, url: recordUrl(found.sysId), how: 'found' } };
      }
      const urgency = action.drill ? '3' : URGENCY[action.severity];
      const { result, response } = await callVendor(
        {
          ...request,
          method: 'POST',
          url: `${table}?sysparm_fields=sys_id,number`,
          json: {
            short_description: neutraliseServiceNow(capCodePoints(action.ticket.title, LIMITS.shortDescription)),
            description: toPlainText(action.ticket, LIMITS.description),
            correlation_id: correlationId,
            correlation_display: 'Glasswatch',
            urgency,
            impact: urgency,
            ...(config.assignmentGroup ? { assignment_group: config.assignmentGroup } : {}),
          },
        },
        { ...call, ok: [201] },
        deps.fetch,
      );
      if (!result.ok) return result;
      const created = recordOf((parseJson(response?.text ?? '') as { result?: unknown } | undefined)?.result);
      if (!created) return { ok: false, retryable: false, error: 'servicenow 201 without result.sys_id' };
      return { ok: true, ref: { ...created, url: recordUrl(created.sysId), how: 'created' } };
    },

    async ticketStatus(ref) {
      if (!ref.sysId || !/^[0-9a-f]{32}$/.test(ref.sysId))
        return { ok: false, retryable: false, error: 'servicenow: no sys_id recorded for this ticket' };
      const { username, password } = await credentials();
      const { call, request } = basicAuthCall('servicenow', username, password, deps);
      const { result, response } = await callVendor(
        { ...request, method: 'GET', url: `${table}/${ref.sysId}?sysparm_fields=state,number` },
        { ...call, ok: [200] },
        deps.fetch,
      );
      if (!result.ok) return result;
      const state = (parseJson(response?.text ?? '') as { result?: { state?: unknown } } | undefined)?.result?.state;
      const label = STATES[String(state)] ?? `state ${String(state).slice(0, 8)}`;
      return { ok: true, closed: CLOSED_STATES.has(String(state)), label: `${ref.number ?? ref.sysId} ${label}` };
    },
  };

  function recordUrl(sysId: string): string {
    return joinUrl(config.instanceUrl, `/incident.do?sys_id=${sysId}`);
  }
}

/** Incident `state` values of the base system (ServiceNow "Incident states"): 6 Resolved, 7 Closed, 8 Canceled end it. */
const STATES: Readonly<Record<string, string>> = {
  '1': 'New',
  '2': 'In Progress',
  '3': 'On Hold',
  '6': 'Resolved',
  '7': 'Closed',
  '8': 'Canceled',
};
const CLOSED_STATES: ReadonlySet<string> = new Set(['6', '7', '8']);
