import type { AuditEvent, EventOrigin } from '../../model/audit-event.js';
import { FieldReader, isObject, type JsonObject } from '../fields.js';
import type { Normalizer, RecordFormat } from '../types.js';
import { AzureRecord } from './record.js';
import { normalizeSignIn } from './sign-in.js';
import { type AzureTable, DIAGNOSTIC_CATEGORIES } from './tables.js';

/**
 * Entra sign-ins as Microsoft Graph returns them (`GET /auditLogs/signIns`: a `{"value":[signIn…],
 * "@odata.nextLink"}` page, or one `signIn` object): the `properties` of a diagnostic record, at the top
 * level. Read by the same mapping as every other sign-in spelling (sign-in.ts, REST column names), so a
 * sign-in exported from Graph and the same sign-in from Event Hub or Log Analytics are one event (`id`).
 * https://learn.microsoft.com/graph/api/resources/signin
 * https://learn.microsoft.com/graph/api/signin-list
 */

export const GRAPH_SIGN_IN_FORMAT: RecordFormat = 'azure.graph-sign-in';

/**
 * A Graph `signIn`: `createdDateTime` and a `status` object with a principal (user, service principal or
 * application id), and none of the diagnostic wrapper's keys. Directory audits (`activityDateTime`) and
 * risk detections (`detectedDateTime`) do not match.
 */
export function isGraphSignIn(doc: JsonObject): boolean {
  return (
    Object.hasOwn(doc, 'createdDateTime') &&
    isObject(doc.status) &&
    ['userPrincipalName', 'userId', 'servicePrincipalId', 'appId'].some((key) => Object.hasOwn(doc, key)) &&
    !Object.hasOwn(doc, 'properties') &&
    !Object.hasOwn(doc, 'category')
  );
}

/**
 * The sign-in log a Graph sign-in belongs to, by `signInEventTypes` (beta and newer v1.0 records:
 * interactiveUser, nonInteractiveUser, servicePrincipal, managedIdentity) or `isInteractive`.
 */
function tableOf(doc: JsonObject): AzureTable {
  const types = Array.isArray(doc.signInEventTypes) ? doc.signInEventTypes : [];
  const has = (type: string) => types.some((t) => typeof t === 'string' && t.toLowerCase() === type.toLowerCase());
  let category = 'SignInLogs';
  if (has('servicePrincipal')) category = 'ServicePrincipalSignInLogs';
  else if (has('managedIdentity')) category = 'ManagedIdentitySignInLogs';
  else if (has('nonInteractiveUser') || (!has('interactiveUser') && doc.isInteractive === false))
    category = 'NonInteractiveUserSignInLogs';
  return DIAGNOSTIC_CATEGORIES.get(category) as AzureTable;
}

/**
 * One Graph `signIn` → the same {@link AuditEvent} its diagnostic record and Log Analytics row give.
 *
 * @example
 * const events = page.value.map((s, index) => normalizeGraphSignIn(s, { location: 'signins.json', index }));
 */
export const normalizeGraphSignIn: Normalizer = (value: unknown, origin: EventOrigin): AuditEvent => {
  const reader = new FieldReader(GRAPH_SIGN_IN_FORMAT, origin);
  const doc = reader.root(value);
  return normalizeSignIn(new AzureRecord(reader, doc, 'rest', tableOf(doc)));
};
