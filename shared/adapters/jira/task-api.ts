import type { InviteAction, TaskCloseAction, TaskCreateAction } from '../../core/act/actions.js';
import type { RespondersConfig } from '../../core/act/config-schema.js';
import type { DeliveryContext } from '../../core/act/driver.js';
import { toAdf } from '../../core/act/render/adf.js';
import { capCodePoints } from '../../core/act/render/sanitize.js';
import type { AttemptResult } from '../../core/act/retry-policy.js';
import { callVendor, type FetchLike, type HttpRequest, joinUrl, parseJson, type VendorCall } from '../http/request.js';
import { hashKey } from '../http/vendor-key.js';
import { renderInvite } from '../ics/invite.js';
import { fetchWithBody, INVITE_FILE_NAME, inviteForm } from '../ics/upload.js';

/**
 * The aftermath on Jira Cloud REST v3: the review and the rotation are sub-tasks of the incident's
 * issue (`parent`, `duedate` YYYY-MM-DD), found again by a label after a lost answer; the invite is an
 * attachment of the review sub-task; a rotation sub-task is closed by the transition into a "done"
 * status, with the proof as a comment in the same request.
 */

type JiraConfig = NonNullable<RespondersConfig['jira']>;

/** What the issue driver hands over: credentials already applied. */
export interface JiraSession {
  config: JiraConfig;
  request: Pick<HttpRequest, 'headers' | 'timeoutMs'>;
  call: Omit<VendorCall, 'ok'>;
  fetch?: FetchLike;
}

const SUMMARY_MAX = 255;

/** The label of an incident's review or rotation sub-task. */
export function taskLabel(incidentId: string, task: string): string {
  return hashKey(`${incidentId}#${task}`);
}

export async function createSubtask(
  action: TaskCreateAction,
  context: DeliveryContext,
  jira: JiraSession,
): Promise<AttemptResult> {
  const parentKey = context.dependency?.ref?.issueKey;
  if (!parentKey) return { ok: false, retryable: false, error: 'jira: no issue key recorded for this incident' };
  const { config } = jira;
  const label = taskLabel(action.incidentId, action.task.task);
  if (context.previousAttempts > 0) {
    const jql = `labels = "${label}" ORDER BY created ASC`;
    const { result, response } = await send(
      jira,
      'GET',
      `/rest/api/3/search/jql?jql=${encodeURIComponent(jql)}&fields=key&maxResults=1`,
      [200],
    );
    if (!result.ok) return result;
    const found = (parseJson(response?.text ?? '') as { issues?: { key?: unknown }[] } | undefined)?.issues?.[0];
    if (typeof found?.key === 'string') return { ok: true, ref: subtaskRef(config, found.key, parentKey, 'found') };
  }
  const { result, response } = await send(jira, 'POST', '/rest/api/3/issue', [201], {
    fields: {
      project: { key: config.projectKey },
      parent: { key: parentKey },
      issuetype: { name: config.subtaskIssueType },
      summary: capCodePoints(action.task.title.replace(/\s+/g, ' '), SUMMARY_MAX),
      description: toAdf(action.task.doc),
      duedate: action.task.dueDate,
      labels: ['glasswatch', 'break-glass', `glasswatch-${action.task.task}`, label],
    },
  });
  if (!result.ok) return result;
  const key = (parseJson(response?.text ?? '') as { key?: unknown } | undefined)?.key;
  if (typeof key !== 'string') return { ok: false, retryable: false, error: 'jira 201 without an issue key' };
  return { ok: true, ref: subtaskRef(config, key, parentKey, 'created') };
}

/** Moves the sub-task into a "done" status (whatever the workflow names it) with the note as a comment. */
export async function closeSubtask(
  action: TaskCloseAction,
  context: DeliveryContext,
  jira: JiraSession,
): Promise<AttemptResult> {
  const issueKey = context.dependency?.ref?.issueKey;
  if (!issueKey) return { ok: false, retryable: false, error: `jira: no sub-task recorded for ${action.after}` };
  const path = `/rest/api/3/issue/${encodeURIComponent(issueKey)}`;
  const status = await send(jira, 'GET', `${path}?fields=status`, [200]);
  if (!status.result.ok) return status.result;
  const category = (
    parseJson(status.response?.text ?? '') as { fields?: { status?: { statusCategory?: { key?: unknown } } } }
  )?.fields?.status?.statusCategory?.key;
  if (category === 'done') return { ok: true, ref: { issueKey, how: 'already done' } };
  const listed = await send(jira, 'GET', `${path}/transitions`, [200]);
  if (!listed.result.ok) return listed.result;
  const transitions =
    (parseJson(listed.response?.text ?? '') as { transitions?: TransitionJson[] } | undefined)?.transitions ?? [];
  const done = transitions.find((t) => t.to?.statusCategory?.key === 'done' && typeof t.id === 'string');
  if (!done) {
    return { ok: false, retryable: false, error: `jira: ${issueKey} has no transition into a done status` };
  }
  const { result } = await send(jira, 'POST', `${path}/transitions`, [204], {
    transition: { id: done.id },
    update: { comment: [{ add: { body: toAdf(action.note) } }] },
  });
  return result.ok ? { ok: true, ref: { issueKey, transition: String(done.id) } } : result;
}

/** Attaches `review.ics` to the review sub-task (looked for first after a lost answer). */
export async function attachInvite(
  action: InviteAction,
  context: DeliveryContext,
  jira: JiraSession,
): Promise<AttemptResult> {
  const issueKey = context.dependency?.ref?.issueKey;
  if (!issueKey) return { ok: false, retryable: false, error: `jira: no review sub-task recorded for ${action.after}` };
  const path = `/rest/api/3/issue/${encodeURIComponent(issueKey)}`;
  if (context.previousAttempts > 0) {
    const { result, response } = await send(jira, 'GET', `${path}?fields=attachment`, [200]);
    if (!result.ok) return result;
    const attachments =
      (parseJson(response?.text ?? '') as { fields?: { attachment?: { filename?: unknown }[] } } | undefined)?.fields
        ?.attachment ?? [];
    if (attachments.some((a) => a.filename === INVITE_FILE_NAME)) return { ok: true, ref: { issueKey, how: 'found' } };
  }
  const parent = context.dependency?.ref?.parentKey;
  const ics = renderInvite(action.invite, parent ? `${parent} (review task ${issueKey})` : issueKey);
  const { result, response } = await callVendor(
    {
      ...jira.request,
      // Jira refuses attachment uploads without this header (XSRF check).
      headers: { ...jira.request.headers, 'x-atlassian-token': 'no-check' },
      method: 'POST',
      url: joinUrl(jira.config.baseUrl, `${path}/attachments`),
    },
    { ...jira.call, ok: [200] },
    fetchWithBody(inviteForm(ics), jira.fetch),
  );
  if (!result.ok) return result;
  const id = (parseJson(response?.text ?? '') as { id?: unknown }[] | undefined)?.[0]?.id;
  return { ok: true, ref: { issueKey, ...(typeof id === 'string' ? { attachmentId: id } : {}) } };
}

interface TransitionJson {
  id?: unknown;
  to?: { statusCategory?: { key?: unknown } };
}

function send(jira: JiraSession, method: HttpRequest['method'], path: string, ok: number[], json?: unknown) {
  return callVendor(
    { ...jira.request, method, url: joinUrl(jira.config.baseUrl, path), ...(json !== undefined ? { json } : {}) },
    { ...jira.call, ok },
    jira.fetch,
  );
}

function subtaskRef(config: JiraConfig, key: string, parentKey: string, how: string): Record<string, string> {
  return { issueKey: key, parentKey, url: joinUrl(config.baseUrl, `/browse/${encodeURIComponent(key)}`), how };
}
