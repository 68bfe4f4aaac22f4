import { randomBytes } from 'node:crypto';
import { basicCredentials, type Received, type Reply, VendorServer } from './base.js';

/**
 * ServiceNow Table API as documented (REST API reference, Table API): basic auth; `POST
 * /api/now/table/incident` → 201 `{result:{sys_id, number, …}}`; `GET …?sysparm_query=` → 200
 * `{result:[…]}`; `PATCH /api/now/table/incident/{sys_id}` → 200; `GET …/{sys_id}?sysparm_fields=` → 200 `{result:{…}}`; errors as `{error:{message, detail},
 * status:"failure"}` (400 unreadable body, 401 bad credentials, 404 unknown record). Field lengths of
 * the incident table are enforced: short_description 160, description 4,000, correlation_id 100.
 */
export interface ServiceNowIncident {
  sys_id: string;
  number: string;
  short_description: string;
  description: string;
  correlation_id: string;
  urgency?: string;
  work_notes: string[];
  /** Incident state: 1 New, 2 In Progress, 3 On Hold, 6 Resolved, 7 Closed, 8 Canceled. */
  state: string;
}

const LENGTHS: Readonly<Record<string, number>> = { short_description: 160, description: 4_000, correlation_id: 100 };

export class ServiceNowServer extends VendorServer {
  readonly incidents: ServiceNowIncident[] = [];

  constructor(
    readonly username: string,
    readonly password: string,
  ) {
    super();
  }

  protected route(request: Received): Reply {
    const credentials = basicCredentials(request.headers.authorization);
    if (credentials?.[0] !== this.username || credentials[1] !== this.password) {
      return failure(401, 'User Not Authenticated', 'Required to provide Auth information');
    }
    if (request.path === '/api/now/table/incident') {
      if (request.method === 'POST') return this.create(request);
      if (request.method === 'GET') return this.query(request.query.get('sysparm_query') ?? '');
    }
    const one = /^\/api\/now\/table\/incident\/([0-9a-f]{32})$/.exec(request.path);
    if (one?.[1] && request.method === 'PATCH') return this.update(one[1], request);
    if (one?.[1] && request.method === 'GET') return this.read(one[1], request.query.get('sysparm_fields'));
    return failure(400, 'Requested URI does not represent any resource', request.path);
  }

  private create(request: Received): Reply {
    const body = request.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object')
      return failure(400, 'Exception while reading request', 'The payload is not valid JSON.');
    for (const [field, max] of Object.entries(LENGTHS)) {
      const value = body[field];
      if (value !== undefined && (typeof value !== 'string' || value.length > max)) {
        return failure(400, 'Invalid value', `${field} exceeds its maximum length of ${max}`);
      }
    }
    const incident: ServiceNowIncident = {
      sys_id: randomBytes(16).toString('hex'),
      number: `INC${String(10_001 + this.incidents.length).padStart(7, '0')}`,
      short_description: String(body.short_description ?? ''),
      description: String(body.description ?? ''),
      correlation_id: String(body.correlation_id ?? ''),
      ...(typeof body.urgency === 'string' ? { urgency: body.urgency } : {}),
      work_notes: typeof body.work_notes === 'string' ? [body.work_notes] : [],
      state: '1',
    };
    this.incidents.push(incident);
    return { status: 201, body: { result: { sys_id: incident.sys_id, number: incident.number } } };
  }

  /** Understands `correlation_id=<value>`, the query Glasswatch sends. */
  private query(sysparmQuery: string): Reply {
    const match = /^correlation_id=(.+)$/.exec(sysparmQuery);
    if (!match) return failure(400, 'Invalid query', sysparmQuery.slice(0, 80));
    const result = this.incidents
      .filter((i) => i.correlation_id === match[1])
      .map((i) => ({ sys_id: i.sys_id, number: i.number }));
    return { status: 200, body: { result } };
  }

  /** A person sets the incident's state (6 Resolved, 7 Closed…) in the instance. */
  setState(number: string, state: string): void {
    const incident = this.incidents.find((i) => i.number === number);
    if (!incident) throw new Error(`no ServiceNow incident ${number}`);
    incident.state = state;
  }

  /** `GET /api/now/table/incident/{sys_id}` with `sysparm_fields`: 200 `{result:{…}}`, 404 unknown. */
  private read(sysId: string, fields: string | null): Reply {
    const incident = this.incidents.find((i) => i.sys_id === sysId);
    if (!incident) return failure(404, 'No Record found', "Record doesn't exist or ACL restricts the record retrieval");
    const names = fields ? fields.split(',') : Object.keys(incident);
    const result = Object.fromEntries(
      names.filter((n) => n in incident).map((n) => [n, incident[n as keyof ServiceNowIncident]]),
    );
    return { status: 200, body: { result } };
  }

  private update(sysId: string, request: Received): Reply {
    const incident = this.incidents.find((i) => i.sys_id === sysId);
    if (!incident) return failure(404, 'No Record found', "Record doesn't exist or ACL restricts the record retrieval");
    const body = request.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object')
      return failure(400, 'Exception while reading request', 'The payload is not valid JSON.');
    if (typeof body.work_notes === 'string' && body.work_notes !== '') incident.work_notes.push(body.work_notes);
    return { status: 200, body: { result: { sys_id: incident.sys_id } } };
  }
}

function failure(status: number, message: string, detail: string): Reply {
  return { status, body: { error: { message, detail }, status: 'failure' } };
}
