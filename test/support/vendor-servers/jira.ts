import { validateAdf } from './adf.js';
import { basicCredentials, type Received, type Reply, VendorServer } from './base.js';

/**
 * Jira Cloud REST v3 as documented (developer.atlassian.com, "Create issue", "Add comment", "Search
 * for issues using JQL (enhanced search)"): basic auth with e-mail and API token (401 otherwise);
 * `POST /rest/api/3/issue` → 201 `{id, key, self}`; `POST /rest/api/3/issue/{key}/comment` → 201;
 * `GET /rest/api/3/issue/{key}?fields=status` → 200 `{fields:{status:{name, statusCategory:{key}}}}`;
 * `GET /rest/api/3/search/jql` → 200 `{issues, isLast}`; errors as 400 `{errorMessages, errors}`,
 * 404 for an unknown issue. Descriptions and comments must be valid ADF; the summary one line ≤ 255.
 */
export interface JiraIssue {
  id: string;
  key: string;
  summary: string;
  labels: string[];
  description: unknown;
  comments: unknown[];
  /** Workflow status and its category (`new`, `indeterminate`, `done`), as `GET issue?fields=status` shows it. */
  status: { name: string; category: 'new' | 'indeterminate' | 'done' };
}

export class JiraServer extends VendorServer {
  readonly issues: JiraIssue[] = [];

  constructor(
    readonly email: string,
    readonly apiToken: string,
    readonly projectKey = 'SEC',
    readonly issueTypes: readonly string[] = ['Task', 'Incident'],
  ) {
    super();
  }

  protected route(request: Received): Reply {
    const credentials = basicCredentials(request.headers.authorization);
    if (credentials?.[0] !== this.email || credentials[1] !== this.apiToken) {
      return {
        status: 401,
        body: {
          errorMessages: ['You are not authenticated. Authentication required to perform this operation.'],
          errors: {},
        },
      };
    }
    if (request.method === 'POST' && request.path === '/rest/api/3/issue') return this.create(request.body);
    if (request.method === 'GET' && request.path === '/rest/api/3/search/jql')
      return this.search(request.query.get('jql') ?? '');
    const one = /^\/rest\/api\/3\/issue\/([^/]+)$/.exec(request.path);
    if (request.method === 'GET' && one?.[1]) return this.status(decodeURIComponent(one[1]));
    const comment = /^\/rest\/api\/3\/issue\/([^/]+)\/comment$/.exec(request.path);
    if (request.method === 'POST' && comment?.[1]) return this.comment(decodeURIComponent(comment[1]), request.body);
    return { status: 404, body: { errorMessages: ['Not found'], errors: {} } };
  }

  private create(body: unknown): Reply {
    const fields = (body as { fields?: Record<string, unknown> } | undefined)?.fields;
    if (!fields) return badRequest({}, ['Request body is missing fields']);
    const errors: Record<string, string> = {};
    if ((fields.project as { key?: unknown } | undefined)?.key !== this.projectKey)
      errors.project = 'valid project is required';
    const issueType = (fields.issuetype as { name?: unknown } | undefined)?.name;
    if (typeof issueType !== 'string' || !this.issueTypes.includes(issueType))
      errors.issuetype = 'valid issue type is required';
    const summary = fields.summary;
    if (typeof summary !== 'string' || summary.trim() === '')
      errors.summary = 'You must specify a summary of the issue.';
    else if (summary.length > 255) errors.summary = 'Summary must be less than 255 characters.';
    else if (/[\r\n]/.test(summary)) errors.summary = 'The summary is invalid because it contains newline characters.';
    if (fields.description !== undefined) {
      const problems = validateAdf(fields.description);
      if (problems.length > 0)
        errors.description = `Operation value must be an Atlassian Document (see the Atlassian Document Format): ${problems.slice(0, 3).join('; ')}`;
    }
    const labels = fields.labels;
    if (
      labels !== undefined &&
      (!Array.isArray(labels) || labels.some((l) => typeof l !== 'string' || /\s/.test(l) || l.length > 255))
    ) {
      errors.labels = 'Labels cannot contain spaces.';
    }
    if (Object.keys(errors).length > 0) return badRequest(errors);
    const id = String(10_000 + this.issues.length);
    const key = `${this.projectKey}-${this.issues.length + 1}`;
    this.issues.push({
      id,
      key,
      summary: summary as string,
      labels: (labels as string[] | undefined) ?? [],
      description: fields.description,
      comments: [],
      status: { name: 'To Do', category: 'new' },
    });
    return { status: 201, body: { id, key, self: `${this.url}/rest/api/3/issue/${id}` } };
  }

  private comment(keyOrId: string, body: unknown): Reply {
    const issue = this.issues.find((i) => i.key === keyOrId || i.id === keyOrId);
    if (!issue)
      return {
        status: 404,
        body: { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} },
      };
    const doc = (body as { body?: unknown } | undefined)?.body;
    const problems = validateAdf(doc);
    if (problems.length > 0)
      return badRequest({ comment: `Comment body is not valid ADF: ${problems.slice(0, 3).join('; ')}` });
    issue.comments.push(doc);
    const id = String(20_000 + issue.comments.length);
    return { status: 201, body: { id, self: `${this.url}/rest/api/3/issue/${issue.id}/comment/${id}`, body: doc } };
  }

  /** A person moves the issue through the workflow (e.g. to "Done", category `done`). */
  setStatus(key: string, name: string, category: JiraIssue['status']['category']): void {
    const issue = this.issues.find((i) => i.key === key);
    if (!issue) throw new Error(`no Jira issue ${key}`);
    issue.status = { name, category };
  }

  /** `GET /rest/api/3/issue/{key}?fields=status` ("Get issue"): the status with its category. */
  private status(keyOrId: string): Reply {
    const issue = this.issues.find((i) => i.key === keyOrId || i.id === keyOrId);
    if (!issue)
      return {
        status: 404,
        body: { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} },
      };
    const { name, category } = issue.status;
    const names = { new: 'To Do', indeterminate: 'In Progress', done: 'Done' } as const;
    return {
      status: 200,
      body: {
        id: issue.id,
        key: issue.key,
        fields: { status: { name, statusCategory: { key: category, name: names[category] } } },
      },
    };
  }

  /** Understands the one JQL shape Glasswatch sends: `labels = "<label>"`. */
  private search(jql: string): Reply {
    const label = /labels\s*=\s*"([^"]+)"/.exec(jql)?.[1];
    if (!label) return badRequest({}, [`Error in the JQL Query: ${jql.slice(0, 80)}`]);
    const issues = this.issues.filter((i) => i.labels.includes(label)).map((i) => ({ id: i.id, key: i.key }));
    return { status: 200, body: { issues, isLast: true } };
  }
}

function badRequest(errors: Record<string, string>, errorMessages: string[] = []): Reply {
  return { status: 400, body: { errorMessages, errors } };
}
