import { randomBytes } from 'node:crypto';
import { validateAdf } from './adf.js';
import type { Received, Reply } from './base.js';
import { JiraServer } from './jira.js';
import { ServiceNowServer } from './servicenow.js';

/**
 * The colleague's Jira and ServiceNow contract servers, extended with the endpoints the aftermath uses,
 * as their documentation describes them. Jira (REST v3): sub-task create (`parent`, `duedate`
 * YYYY-MM-DD), `GET /issue/{key}?fields=status,attachment`, `GET|POST /issue/{key}/transitions` (204,
 * `update.comment` in ADF), `POST /issue/{key}/attachments` (multipart, `X-Atlassian-Token: no-check`,
 * else 403). ServiceNow: the `incident_task` table and the Attachment API (`POST /api/now/attachment/file`
 * with a raw body, `GET /api/now/attachment`).
 */

export interface UploadedFile {
  fileName: string;
  contentType: string;
  content: string;
}

export interface JiraSubtask {
  parentKey: string;
  duedate: string;
  status: 'To Do' | 'Done';
  comments: unknown[];
  attachments: UploadedFile[];
}

const TRANSITIONS = [
  { id: '11', name: 'To Do', to: { name: 'To Do', statusCategory: { key: 'new' } } },
  { id: '31', name: 'Done', to: { name: 'Done', statusCategory: { key: 'done' } } },
];

export class JiraWithSubtasks extends JiraServer {
  readonly subtasks = new Map<string, JiraSubtask>();

  constructor(email: string, apiToken: string) {
    super(email, apiToken, 'SEC', ['Task', 'Incident', 'Subtask']);
  }

  /** `POST /issue/{key}/attachments` is multipart (Jira's attachment contract); every other body is JSON. */
  protected override refuseMediaType(request: Received): Reply | undefined {
    if (/\/attachments$/.test(request.path) && /^multipart\/form-data\b/i.test(String(request.headers['content-type'])))
      return undefined;
    return super.refuseMediaType(request);
  }

  protected override route(request: Received): Reply {
    const path = request.path;
    const issue = /^\/rest\/api\/3\/issue\/([^/]+)(\/transitions|\/attachments)?$/.exec(path);
    if (request.method === 'POST' && path === '/rest/api/3/issue') return this.createMaybeSubtask(request);
    if (!issue?.[1] || !this.authorised(request)) return super.route(request);
    const key = decodeURIComponent(issue[1]);
    const subtask = this.subtasks.get(key);
    if (!subtask) return super.route(request);
    if (request.method === 'GET' && !issue[2]) {
      const done = subtask.status === 'Done';
      return {
        status: 200,
        body: {
          key,
          fields: {
            status: { name: subtask.status, statusCategory: { key: done ? 'done' : 'new' } },
            attachment: subtask.attachments.map((a, i) => ({ id: String(30_000 + i), filename: a.fileName })),
          },
        },
      };
    }
    if (issue[2] === '/transitions' && request.method === 'GET')
      return { status: 200, body: { transitions: TRANSITIONS } };
    if (issue[2] === '/transitions' && request.method === 'POST') return this.transition(subtask, request.body);
    if (issue[2] === '/attachments' && request.method === 'POST') return this.attach(subtask, request);
    return super.route(request);
  }

  private authorised(request: Received): boolean {
    const header = request.headers.authorization ?? '';
    return header === `Basic ${Buffer.from(`${this.email}:${this.apiToken}`).toString('base64')}`;
  }

  private createMaybeSubtask(request: Received): Reply {
    const fields = (request.body as { fields?: Record<string, unknown> } | undefined)?.fields ?? {};
    const parent = (fields.parent as { key?: unknown } | undefined)?.key;
    const isSubtask = (fields.issuetype as { name?: unknown } | undefined)?.name === 'Subtask';
    if (isSubtask && (typeof parent !== 'string' || !this.issues.some((i) => i.key === parent))) {
      return {
        status: 400,
        body: {
          errorMessages: [],
          errors: { parent: 'Given parent work item does not belong to appropriate hierarchy.' },
        },
      };
    }
    if (fields.duedate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(fields.duedate))) {
      return { status: 400, body: { errorMessages: [], errors: { duedate: 'Error parsing date string' } } };
    }
    const reply = super.route(request);
    const key = (reply.body as { key?: unknown } | undefined)?.key;
    if (reply.status === 201 && isSubtask && typeof key === 'string') {
      this.subtasks.set(key, {
        parentKey: parent as string,
        duedate: String(fields.duedate ?? ''),
        status: 'To Do',
        comments: [],
        attachments: [],
      });
    }
    return reply;
  }

  private transition(subtask: JiraSubtask, body: unknown): Reply {
    const request = body as { transition?: { id?: unknown }; update?: { comment?: { add?: { body?: unknown } }[] } };
    const target = TRANSITIONS.find((t) => t.id === request?.transition?.id);
    if (!target)
      return { status: 400, body: { errorMessages: ['Transition id is not valid for this issue.'], errors: {} } };
    for (const comment of request.update?.comment ?? []) {
      const problems = validateAdf(comment.add?.body);
      if (problems.length > 0)
        return { status: 400, body: { errorMessages: [], errors: { comment: problems.join('; ') } } };
      subtask.comments.push(comment.add?.body);
    }
    subtask.status = target.name === 'Done' ? 'Done' : 'To Do';
    return { status: 204 };
  }

  private attach(subtask: JiraSubtask, request: Received): Reply {
    if (request.headers['x-atlassian-token'] !== 'no-check') return { status: 403, body: 'XSRF check failed' };
    const file = multipartFile(request);
    if (!file) return { status: 400, body: { errorMessages: ['No file named "file" in the request'], errors: {} } };
    subtask.attachments.push(file);
    return {
      status: 200,
      body: [
        { id: String(30_000 + subtask.attachments.length - 1), filename: file.fileName, size: file.content.length },
      ],
    };
  }
}

/** The `file` part of a multipart/form-data body (the contract server keeps the body as text). */
function multipartFile(request: Received): UploadedFile | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(String(request.headers['content-type'] ?? ''));
  const marker = boundary?.[1] ?? boundary?.[2];
  if (!marker) return undefined;
  for (const part of request.raw.split(`--${marker}`)) {
    const [head = '', ...rest] = part.split('\r\n\r\n');
    const name = /name="([^"]*)"/.exec(head)?.[1];
    const fileName = /filename="([^"]*)"/.exec(head)?.[1];
    if (name !== 'file' || !fileName) continue;
    const contentType = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1] ?? '';
    return { fileName, contentType, content: rest.join('\r\n\r\n').replace(/\r\n$/, '') };
  }
  return undefined;
}

export interface IncidentTask {
  sys_id: string;
  number: string;
  incident: string;
  short_description: string;
  description: string;
  due_date: string;
  correlation_id: string;
  state: string;
  close_notes: string;
  work_notes: string[];
  attachments: UploadedFile[];
}

export class ServiceNowWithTasks extends ServiceNowServer {
  readonly tasks: IncidentTask[] = [];

  /** The Attachment API takes the file's own type (checked in `upload`); the Table API takes JSON. */
  protected override refuseMediaType(request: Received): Reply | undefined {
    return request.path === '/api/now/attachment/file' ? undefined : super.refuseMediaType(request);
  }

  protected override route(request: Received): Reply {
    const { path, method } = request;
    const authorised =
      request.headers.authorization === `Basic ${Buffer.from(`${this.username}:${this.password}`).toString('base64')}`;
    const isTask = path === '/api/now/table/incident_task' || path.startsWith('/api/now/table/incident_task/');
    const isAttachment = path.startsWith('/api/now/attachment');
    if (!authorised || (!isTask && !isAttachment)) return super.route(request);
    if (path === '/api/now/table/incident_task' && method === 'POST') return this.createTask(request.body);
    if (path === '/api/now/table/incident_task' && method === 'GET') {
      const id = /^correlation_id=(.+)$/.exec(request.query.get('sysparm_query') ?? '')?.[1];
      return {
        status: 200,
        body: {
          result: this.tasks.filter((t) => t.correlation_id === id).map(({ sys_id, number }) => ({ sys_id, number })),
        },
      };
    }
    const one = /^\/api\/now\/table\/incident_task\/([0-9a-f]{32})$/.exec(path);
    if (one?.[1] && method === 'PATCH') return this.updateTask(one[1], request.body);
    if (path === '/api/now/attachment/file' && method === 'POST') return this.upload(request);
    if (path === '/api/now/attachment' && method === 'GET') {
      const [, table, name] =
        /^table_sys_id=([0-9a-f]{32})\^file_name=(.+)$/.exec(request.query.get('sysparm_query') ?? '') ?? [];
      const task = this.tasks.find((t) => t.sys_id === table);
      const found = task?.attachments.filter((a) => a.fileName === name) ?? [];
      return {
        status: 200,
        body: {
          result: found.map((_, i) => ({ sys_id: `${task?.sys_id.slice(0, 30)}${String(i).padStart(2, '0')}` })),
        },
      };
    }
    return failure(400, 'Requested URI does not represent any resource', path);
  }

  private createTask(body: unknown): Reply {
    const fields = body as Record<string, unknown> | undefined;
    if (!fields || typeof fields.incident !== 'string' || !this.incidents.some((i) => i.sys_id === fields.incident)) {
      return failure(400, 'Invalid reference', 'incident does not reference an incident record');
    }
    if (typeof fields.due_date !== 'string' || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(fields.due_date)) {
      return failure(400, 'Invalid value', 'due_date is not a date-time (yyyy-MM-dd HH:mm:ss)');
    }
    if (typeof fields.short_description !== 'string' || fields.short_description.length > 160) {
      return failure(400, 'Invalid value', 'short_description exceeds its maximum length of 160');
    }
    const task: IncidentTask = {
      sys_id: randomBytes(16).toString('hex'),
      number: `TASK${String(10_001 + this.tasks.length).padStart(7, '0')}`,
      incident: fields.incident,
      short_description: fields.short_description,
      description: String(fields.description ?? ''),
      due_date: fields.due_date,
      correlation_id: String(fields.correlation_id ?? ''),
      state: '1',
      close_notes: '',
      work_notes: [],
      attachments: [],
    };
    this.tasks.push(task);
    return { status: 201, body: { result: { sys_id: task.sys_id, number: task.number } } };
  }

  private updateTask(sysId: string, body: unknown): Reply {
    const task = this.tasks.find((t) => t.sys_id === sysId);
    if (!task) return failure(404, 'No Record found', "Record doesn't exist or ACL restricts the record retrieval");
    const fields = (body ?? {}) as Record<string, unknown>;
    if (typeof fields.state === 'string') task.state = fields.state;
    if (typeof fields.close_notes === 'string') task.close_notes = fields.close_notes;
    if (typeof fields.work_notes === 'string' && fields.work_notes !== '') task.work_notes.push(fields.work_notes);
    return { status: 200, body: { result: { sys_id: task.sys_id } } };
  }

  private upload(request: Received): Reply {
    const table = request.query.get('table_name');
    const task = this.tasks.find((t) => t.sys_id === request.query.get('table_sys_id'));
    const fileName = request.query.get('file_name');
    const contentType = String(request.headers['content-type'] ?? '');
    if (table !== 'incident_task' || !task || !fileName) return failure(400, 'Invalid attachment target', `${table}`);
    if (!contentType || contentType.startsWith('application/json'))
      return failure(400, 'Invalid content type', contentType);
    task.attachments.push({ fileName, contentType, content: request.raw });
    return {
      status: 201,
      body: {
        result: {
          sys_id: randomBytes(16).toString('hex'),
          file_name: fileName,
          table_name: table,
          table_sys_id: task.sys_id,
        },
      },
    };
  }
}

function failure(status: number, message: string, detail: string): Reply {
  return { status, body: { error: { message, detail }, status: 'failure' } };
}
