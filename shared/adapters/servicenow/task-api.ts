import type { InviteAction, TaskCloseAction, TaskCreateAction } from '../../core/act/actions.js';
import type { RespondersConfig } from '../../core/act/config-schema.js';
import type { DeliveryContext } from '../../core/act/driver.js';
import { neutraliseServiceNow, toPlainText } from '../../core/act/render/plain-text.js';
import { capCodePoints } from '../../core/act/render/sanitize.js';
import type { AttemptResult } from '../../core/act/retry-policy.js';
import { callVendor, type FetchLike, type HttpRequest, joinUrl, parseJson, type VendorCall } from '../http/request.js';
import { vendorKey } from '../http/vendor-key.js';
import { renderInvite } from '../ics/invite.js';
import { fetchWithBody, INVITE_CONTENT_TYPE, INVITE_FILE_NAME } from '../ics/upload.js';

/**
 * The aftermath on ServiceNow: review and rotation are `incident_task` records of the incident
 * (`incident` = its sys_id, `due_date` in UTC, `correlation_id` per incident and task so a lost answer
 * is found again); the invite is an attachment of the review task (Attachment API, raw body); a
 * rotation task is closed as Closed Complete (state 3) with the proof in the close notes.
 */

type ServiceNowConfig = NonNullable<RespondersConfig['servicenow']>;

export interface ServiceNowSession {
  config: ServiceNowConfig;
  request: Pick<HttpRequest, 'headers' | 'timeoutMs'>;
  call: Omit<VendorCall, 'ok'>;
  fetch?: FetchLike;
}

export const TASK_TABLE = 'incident_task';
/** incident_task states: 1 Open, 2 Work in Progress, 3 Closed Complete. */
const CLOSED_COMPLETE = '3';
const LIMITS = { shortDescription: 160, description: 4_000, notes: 4_000, correlationId: 100 } as const;

/** `2024-03-12T09:00:00.000Z` → `2024-03-12 09:00:00`: a Table API date-time in UTC (internal value). */
export function glideDateTime(iso: string): string {
  return iso.slice(0, 19).replace('T', ' ');
}

export async function createIncidentTask(
  action: TaskCreateAction,
  context: DeliveryContext,
  sn: ServiceNowSession,
): Promise<AttemptResult> {
  const parent = context.dependency?.ref?.sysId;
  if (!parent) return { ok: false, retryable: false, error: 'servicenow: no sys_id recorded for this incident' };
  const correlationId = vendorKey(`${action.incidentId}#${action.task.task}`, LIMITS.correlationId);
  const fields = 'sysparm_fields=sys_id,number';
  if (context.previousAttempts > 0) {
    const query = encodeURIComponent(`correlation_id=${correlationId}`);
    const { result, response } = await send(
      sn,
      'GET',
      `/api/now/table/${TASK_TABLE}?sysparm_query=${query}&${fields}&sysparm_limit=1`,
      [200],
    );
    if (!result.ok) return result;
    const found = recordOf((parseJson(response?.text ?? '') as { result?: unknown[] } | undefined)?.result?.[0]);
    if (found) return { ok: true, ref: { ...found, table: TASK_TABLE, parentSysId: parent, how: 'found' } };
  }
  const { result, response } = await send(sn, 'POST', `/api/now/table/${TASK_TABLE}?${fields}`, [201], {
    incident: parent,
    short_description: neutraliseServiceNow(capCodePoints(action.task.title, LIMITS.shortDescription)),
    description: toPlainText(action.task.doc, LIMITS.description),
    due_date: glideDateTime(action.task.dueAt),
    correlation_id: correlationId,
    correlation_display: 'Glasswatch',
    ...(sn.config.assignmentGroup ? { assignment_group: sn.config.assignmentGroup } : {}),
  });
  if (!result.ok) return result;
  const created = recordOf((parseJson(response?.text ?? '') as { result?: unknown } | undefined)?.result);
  if (!created) return { ok: false, retryable: false, error: 'servicenow 201 without result.sys_id' };
  return { ok: true, ref: { ...created, table: TASK_TABLE, parentSysId: parent, how: 'created' } };
}

/** Closed Complete, the proof in close notes and work notes. PATCH is idempotent. */
export async function closeIncidentTask(
  action: TaskCloseAction,
  context: DeliveryContext,
  sn: ServiceNowSession,
): Promise<AttemptResult> {
  const sysId = context.dependency?.ref?.sysId;
  if (!sysId) return { ok: false, retryable: false, error: `servicenow: no task recorded for ${action.after}` };
  const note = toPlainText(action.note, LIMITS.notes);
  const { result } = await send(
    sn,
    'PATCH',
    `/api/now/table/${TASK_TABLE}/${encodeURIComponent(sysId)}?sysparm_fields=sys_id`,
    [200],
    { state: CLOSED_COMPLETE, close_notes: note, work_notes: note },
  );
  return result.ok ? { ok: true, ref: { sysId, table: TASK_TABLE } } : result;
}

/** `review.ics` attached to the review task, looked for first after a lost answer. */
export async function attachInvite(
  action: InviteAction,
  context: DeliveryContext,
  sn: ServiceNowSession,
): Promise<AttemptResult> {
  const sysId = context.dependency?.ref?.sysId;
  if (!sysId) return { ok: false, retryable: false, error: `servicenow: no review task recorded for ${action.after}` };
  if (context.previousAttempts > 0) {
    const query = encodeURIComponent(`table_sys_id=${sysId}^file_name=${INVITE_FILE_NAME}`);
    const { result, response } = await send(
      sn,
      'GET',
      `/api/now/attachment?sysparm_query=${query}&sysparm_limit=1`,
      [200],
    );
    if (!result.ok) return result;
    const found = (parseJson(response?.text ?? '') as { result?: { sys_id?: unknown }[] } | undefined)?.result?.[0];
    if (typeof found?.sys_id === 'string')
      return { ok: true, ref: { sysId, attachmentSysId: found.sys_id, how: 'found' } };
  }
  const number = context.dependency?.ref?.number;
  const ics = renderInvite(action.invite, number ? `${number} (ServiceNow)` : `ServiceNow ${TASK_TABLE} ${sysId}`);
  const query = `table_name=${TASK_TABLE}&table_sys_id=${encodeURIComponent(sysId)}&file_name=${INVITE_FILE_NAME}`;
  const { result, response } = await callVendor(
    {
      ...sn.request,
      headers: { ...sn.request.headers, 'content-type': INVITE_CONTENT_TYPE },
      method: 'POST',
      url: joinUrl(sn.config.instanceUrl, `/api/now/attachment/file?${query}`),
    },
    { ...sn.call, ok: [201] },
    fetchWithBody(ics, sn.fetch),
  );
  if (!result.ok) return result;
  const id = (parseJson(response?.text ?? '') as { result?: { sys_id?: unknown } } | undefined)?.result?.sys_id;
  return { ok: true, ref: { sysId, ...(typeof id === 'string' ? { attachmentSysId: id } : {}) } };
}

function send(sn: ServiceNowSession, method: HttpRequest['method'], path: string, ok: number[], json?: unknown) {
  return callVendor(
    { ...sn.request, method, url: joinUrl(sn.config.instanceUrl, path), ...(json !== undefined ? { json } : {}) },
    { ...sn.call, ok },
    sn.fetch,
  );
}

/** `{sys_id, number}` of a Table API record, or undefined when the answer does not hold one. */
export function recordOf(value: unknown): { sysId: string; number?: string } | undefined {
  const record = value as { sys_id?: unknown; number?: unknown } | undefined;
  if (typeof record?.sys_id !== 'string' || !/^[0-9a-f]{32}$/.test(record.sys_id)) return undefined;
  return { sysId: record.sys_id, ...(typeof record.number === 'string' ? { number: record.number } : {}) };
}
