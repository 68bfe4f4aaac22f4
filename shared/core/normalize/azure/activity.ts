import type { Actor, AuditEvent, PrincipalRef } from '../../model/audit-event.js';
import { contentId } from '../content-id.js';
import { cap, isObject, type JsonObject, objectOrJson } from '../fields.js';
import { asGuid, compact, entraUserDisplay, reason, statusOutcome, subscriptionOf, withOptional } from './common.js';
import type { AzureRecord } from './record.js';
import { DIAGNOSTIC_CATEGORIES } from './tables.js';

/**
 * The Azure Activity log (ARM control plane: role assignments, diagnostic settings, deletions) in its
 * three spellings: the AzureActivity table, the diagnostic-settings record (Event Hub, storage archive),
 * and EventData as the REST API (subscription and tenant level) and `az monitor activity-log list`
 * return it. Tenant-level events (`microsoft.aadiam/diagnosticSettings/*`) name no subscription: their
 * account is the tenant.
 * https://learn.microsoft.com/azure/azure-monitor/reference/tables/azureactivity
 * https://learn.microsoft.com/azure/azure-monitor/essentials/activity-log-schema
 * https://learn.microsoft.com/rest/api/monitor/activity-logs/list (EventData)
 */
const C = {
  correlationId: { la: 'CorrelationId', diag: 'correlationId', rest: 'correlationId' },
  // Current AzureActivity rows: OperationNameValue ("MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/DELETE").
  // Rows from before the 2021 schema change have only the display name in OperationName ("Update
  // Incidents"); their Properties.message holds the operation itself, as it does in current rows.
  operation: {
    la: ['OperationNameValue', 'Properties.message', 'OperationName'],
    diag: 'operationName',
    rest: ['operationName.value', 'authorization.action', 'operationName.localizedValue'],
  },
  status: { la: ['ActivityStatusValue', 'ActivityStatus'], diag: 'resultType', rest: 'status.value' },
  substatus: { la: ['ActivitySubstatusValue', 'ActivitySubstatus'], diag: 'resultSignature', rest: 'subStatus.value' },
  description: { la: 'ResultDescription', diag: 'resultDescription', rest: 'description' },
  time: { la: 'TimeGenerated', diag: 'time', rest: 'eventTimestamp' },
  submitted: { la: 'EventSubmissionTimestamp', rest: 'submissionTimestamp' },
  caller: { la: 'Caller', rest: 'caller' },
  claims: { la: 'Claims', diag: 'identity.claims', rest: 'claims' },
  authorization: { la: 'Authorization', diag: 'identity.authorization', rest: 'authorization' },
  ip: { la: 'CallerIpAddress', diag: 'callerIpAddress', rest: 'httpRequest.clientIpAddress' },
  resource: { la: ['_ResourceId', 'ResourceId'], diag: 'resourceId', rest: 'resourceId' },
  subscription: { la: 'SubscriptionId', rest: 'subscriptionId' },
  tenant: { la: 'TenantId', diag: 'tenantId', rest: 'tenantId' },
  category: {
    la: ['CategoryValue', 'Category'],
    diag: ['properties.eventCategory', 'category'],
    rest: 'category.value',
  },
  provider: { la: ['ResourceProviderValue', 'ResourceProvider'], rest: 'resourceProviderName.value' },
  requestBody: { la: 'Properties.requestbody', diag: 'properties.requestbody', rest: 'properties.requestbody' },
  responseBody: { la: 'Properties.responseBody', diag: 'properties.responseBody', rest: 'properties.responseBody' },
} as const;

const CLAIM_UPN = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn';
const CLAIM_NAME_ID = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name';
const CLAIM_EMAIL = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';
const CLAIM_OBJECT_ID = 'http://schemas.microsoft.com/identity/claims/objectidentifier';

/** Status words that name the same state, so the id is the same in every spelling. */
const STATUS_KEY: ReadonlyMap<string, string> = new Map([
  ['succeeded', 'success'],
  ['failed', 'failure'],
  ['started', 'start'],
  ['accepted', 'accept'],
]);

/** Operations whose request or response body names the principal that gains or loses a role. */
const ROLE_ASSIGNMENT_OPERATIONS: ReadonlySet<string> = new Set([
  'microsoft.authorization/roleassignments/write',
  'microsoft.authorization/roleassignments/delete',
]);

/**
 * One Activity record → an `api` event. Outcome: Success/Succeeded → success, Failure/Failed → failure,
 * Start/Accept/Active → unknown (the operation had not finished).
 *
 * The id: Log Analytics has EventDataId, but the diagnostic (Event Hub) record carries no event id at
 * all. What both carry is the correlation id, the operation, the status and the event time
 * (`TimeGenerated` = `time` = the REST `eventTimestamp`); together they tell apart the Start, Accept
 * and Success records of one operation, so that tuple is the id in both spellings (a content hash
 * when a trimmed record has no correlation id).
 */
export function normalizeActivity(record: AzureRecord): AuditEvent {
  const { reader } = record;
  const operation = record.string(C.operation);
  const time = record.optTime(C.time) ?? reader.fail(record.path(C.time), 'missing');
  const status = record.optString(C.status);
  const correlationId = record.optString(C.correlationId);
  const statusWord = status?.toLowerCase() ?? '';
  const nativeId =
    correlationId === undefined
      ? contentId(record.root, reader, record.path(C.correlationId))
      : `${correlationId}|${cap(operation.toLowerCase(), 256)}|${STATUS_KEY.get(statusWord) ?? statusWord}|${time.iso}`;
  const outcome = statusOutcome(status);
  const resource = record.optString(C.resource);
  const category = record.optString(C.category);
  const submitted = record.optTime(C.submitted);

  const event: AuditEvent = {
    id: `azure:${nativeId}`,
    nativeId,
    cloud: 'azure',
    source: 'azure.activity',
    time: time.iso,
    timeMs: time.ms,
    category: 'api',
    service: record.optString(C.provider) ?? providerOf(operation) ?? record.table.name,
    action: operation,
    outcome,
    // properties.eventCategory / CategoryValue may name the system category more precisely than the table.
    providerGenerated: ((category && DIAGNOSTIC_CATEGORIES.get(category)) || record.table).providerGenerated ?? false,
    actor: readActor(record),
    targets: ROLE_ASSIGNMENT_OPERATIONS.has(operation.toLowerCase()) ? roleAssignee(record) : [],
    resources: resource === undefined ? [] : [resource],
    src: { ip: record.optString(C.ip) },
    origin: reader.origin,
    raw: record.root,
  };
  return withOptional(event, {
    receivedTime: submitted !== undefined && submitted.ms !== time.ms ? submitted.iso : undefined,
    // Tenant-level operations (Entra diagnostic settings, management groups) belong to no subscription.
    account: (
      record.optString(C.subscription) ??
      subscriptionOf(resource) ??
      record.optString(C.tenant)
    )?.toLowerCase(),
    failureReason:
      outcome === 'failure' ? reason(record.optString(C.substatus), record.optString(C.description)) : undefined,
  });
}

/**
 * The caller, from the token claims (both spellings) and `Caller` (Log Analytics: the UPN, or the
 * object id of a service principal). `evidence.principalType` is ARM's word for the type.
 */
function readActor(record: AzureRecord): Actor {
  const { reader } = record;
  const claims = record.optObject(C.claims);
  const claimsPath = record.path(C.claims);
  const claim = (key: string) => reader.optString(claims, key, `${claimsPath}[${JSON.stringify(key)}]`);
  const authorizationPath = record.path(C.authorization);
  const evidence = reader.optObject(record.optObject(C.authorization), 'evidence', `${authorizationPath}.evidence`);
  const principalType = reader.optString(evidence, 'principalType', `${authorizationPath}.evidence.principalType`);
  const caller = record.optString(C.caller);
  const nameId = claim(CLAIM_NAME_ID);
  const upn =
    claim(CLAIM_UPN) ?? (caller?.includes('@') ? caller : undefined) ?? (nameId?.includes('@') ? nameId : undefined);
  const objectId =
    asGuid(claim(CLAIM_OBJECT_ID)) ??
    asGuid(caller) ??
    asGuid(reader.optString(evidence, 'principalId', `${authorizationPath}.evidence.principalId`));
  const type = principalType ?? (claim('idtyp') === 'app' ? 'ServicePrincipal' : upn ? 'User' : 'Unknown');
  const display =
    entraUserDisplay(upn, undefined, claim('name')) ?? caller ?? claim(CLAIM_EMAIL) ?? objectId ?? '(unknown)';
  return compact({ type, display, upn, objectId });
}

/**
 * The principal a role assignment is for: `properties.principalId` in the request (write) or response
 * (delete) body. Best effort: ARM logs these bodies as text and may cut them short, so an unreadable
 * body yields no target rather than rejecting the record.
 */
function roleAssignee(record: AzureRecord): PrincipalRef[] {
  for (const column of [C.requestBody, C.responseBody]) {
    const properties = child(objectOrJson(record.optRaw(column)), 'properties');
    const principalId = properties && (own(properties, 'principalId') ?? own(properties, 'PrincipalId'));
    const objectId = typeof principalId === 'string' ? asGuid(principalId) : undefined;
    if (objectId !== undefined) return [{ objectId }];
  }
  return [];
}

/** `properties` or `Properties`: ARM request bodies are written in either casing. */
function child(obj: JsonObject | undefined, key: string): JsonObject | undefined {
  if (obj === undefined) return undefined;
  const value = own(obj, key) ?? own(obj, key[0]?.toUpperCase() + key.slice(1));
  return isObject(value) ? value : undefined;
}

function own(obj: JsonObject, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** "MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/WRITE" → "MICROSOFT.INSIGHTS"; display names have no provider. */
function providerOf(operation: string): string | undefined {
  const slash = operation.indexOf('/');
  return slash > 0 ? operation.slice(0, slash) : undefined;
}
