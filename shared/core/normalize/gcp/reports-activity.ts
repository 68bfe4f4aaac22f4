import type { AuditEvent, EventOrigin } from '../../model/audit-event.js';
import { contentId } from '../content-id.js';
import { FieldReader, isObject, type JsonObject } from '../fields.js';
import type { Normalizer, RecordFormat } from '../types.js';
import { firstParam, readReportsEvents } from './activity-metadata.js';
import { interpretAuditCall } from './audit-call.js';
import { type EntryParts, type Interpreter, interpretedEvent } from './interpretation.js';
import { isServiceAgent, readActor } from './principal.js';
import { interpretWorkspaceLogin } from './workspace-login.js';

/**
 * Google Workspace audit activities as the Admin SDK Reports API returns them (`activities.list`:
 * `{"kind": "admin#reports#activities", "items": [activity…]}`; one activity: `kind`
 * "admin#reports#activity", `id {time, uniqueQualifier, applicationName, customerId}`, `actor {email,
 * profileId, callerType}`, `ipAddress`, `events[]`). The same events Cloud Logging carries in
 * `protoPayload.metadata`, read by the same interpreters: the login application's sign-ins and account
 * changes, every other application's events as calls by the actor.
 * https://developers.google.com/admin-sdk/reports/reference/rest/v1/activities
 * https://developers.google.com/admin-sdk/reports/v1/appendix/activity/login
 */

export const GCP_REPORTS_ACTIVITY_FORMAT: RecordFormat = 'gcp.reports-activity';

/**
 * Applications whose events need their own reading; the rest are calls by the actor. The Reports API
 * files 2-Step Verification, password and recovery changes under `user_accounts`
 * (developers.google.com/admin-sdk/reports/v1/appendix/activity/user-accounts); Cloud Logging under
 * login.googleapis.com: the login interpreter's table holds both.
 */
const INTERPRETERS: ReadonlyMap<string, Interpreter> = new Map([
  ['login', interpretWorkspaceLogin],
  ['user_accounts', interpretWorkspaceLogin],
]);

/** One Reports API activity: its `kind`, or an `id` naming the application with an `events` list. */
export function isReportsActivity(doc: JsonObject): boolean {
  if (doc.kind === 'admin#reports#activity') return true;
  return isObject(doc.id) && Object.hasOwn(doc.id, 'applicationName') && Array.isArray(doc.events);
}

/**
 * One Reports API activity → {@link AuditEvent}. Throws NormalizeError naming the field when `id`,
 * `id.time` or `id.applicationName` is missing or mistyped. The service is the application's Cloud
 * Logging name (`login` → `login.googleapis.com`), the action the first event's name (`login_success`),
 * the account the Workspace customer.
 *
 * @example
 * const events = page.items.map((a, index) => normalizeReportsActivity(a, { location: 'login.json', index }));
 */
export const normalizeReportsActivity: Normalizer = (value: unknown, origin: EventOrigin): AuditEvent => {
  const reader = new FieldReader(GCP_REPORTS_ACTIVITY_FORMAT, origin);
  const activity = reader.root(value);
  const id = reader.object(activity, 'id');
  const time = reader.time(id, 'time', 'id.time');
  const application = reader.string(id, 'applicationName', 'id.applicationName');
  const unique = reader.optString(id, 'uniqueQualifier', 'id.uniqueQualifier') ?? contentId(activity, reader, 'id');
  const events = readReportsEvents(activity, reader);
  const who = reader.optObject(activity, 'actor');
  const principal = { principalEmail: reader.optString(who, 'email', 'actor.email') ?? null };
  const actor = readActor(principal, reader, firstParam(events, 'affected_email_address'));
  if (actor.display === '(unknown)')
    actor.display = reader.optString(who, 'profileId', 'actor.profileId') ?? actor.display;
  const serviceName = `${application}.googleapis.com`;
  const parts: EntryParts = {
    payload: activity,
    resourceLabels: undefined,
    serviceName,
    methodName: events[0]?.name ?? application,
    events,
    actor,
    reader,
  };
  const meaning = (INTERPRETERS.get(application) ?? interpretAuditCall)(parts);
  const nativeId = `reports:${application}|${time.iso}|${unique}`;
  return interpretedEvent(
    {
      nativeId,
      time,
      service: serviceName,
      resources: [],
      account: reader.optString(id, 'customerId', 'id.customerId'),
      src: { ip: reader.optString(activity, 'ipAddress') },
      origin,
      raw: activity,
    },
    meaning,
    actor,
    isServiceAgent(actor.email),
  );
};
