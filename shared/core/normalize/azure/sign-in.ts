import type { Actor, AuditEvent, MfaInfo, Outcome } from '../../model/audit-event.js';
import { contentId } from '../content-id.js';
import { cap, isObject, type JsonObject } from '../fields.js';
import { compact, entraUserDisplay, eventTimes, reason, statusOutcome, withOptional } from './common.js';
import { type AzureRecord, readTime } from './record.js';
import { entraMfa } from './sign-in-mfa.js';

/**
 * Entra sign-in logs (SigninLogs, AADNonInteractiveUserSignInLogs, service-principal and managed-identity
 * sign-ins) in every spelling: Log Analytics rows, diagnostic records, and Graph `signIn` objects (`rest`,
 * graph-sign-in.ts).
 * https://learn.microsoft.com/azure/azure-monitor/reference/tables/signinlogs
 * https://learn.microsoft.com/graph/api/resources/signin
 */
const C = {
  id: { la: 'Id', diag: 'properties.id', rest: 'id' },
  operation: { la: 'OperationName', diag: 'operationName' },
  created: { la: 'CreatedDateTime', diag: 'properties.createdDateTime', rest: 'createdDateTime' },
  generated: { la: 'TimeGenerated', diag: 'time' },
  upn: { la: 'UserPrincipalName', diag: 'properties.userPrincipalName', rest: 'userPrincipalName' },
  userId: { la: 'UserId', diag: 'properties.userId', rest: 'userId' },
  userName: { la: 'UserDisplayName', diag: 'properties.userDisplayName', rest: 'userDisplayName' },
  identity: { la: 'Identity', diag: 'identity' },
  spId: { la: 'ServicePrincipalId', diag: 'properties.servicePrincipalId', rest: 'servicePrincipalId' },
  spName: { la: 'ServicePrincipalName', diag: 'properties.servicePrincipalName', rest: 'servicePrincipalName' },
  resultType: { la: 'ResultType', diag: 'resultType' },
  resultDescription: { la: 'ResultDescription', diag: 'resultDescription' },
  status: { la: 'Status', diag: 'properties.status', rest: 'status' },
  requirement: {
    la: 'AuthenticationRequirement',
    diag: 'properties.authenticationRequirement',
    rest: 'authenticationRequirement',
  },
  details: { la: 'AuthenticationDetails', diag: 'properties.authenticationDetails', rest: 'authenticationDetails' },
  mfaDetail: { la: 'MfaDetail', diag: 'properties.mfaDetail', rest: 'mfaDetail' },
  ip: { la: 'IPAddress', diag: ['properties.ipAddress', 'callerIpAddress'], rest: 'ipAddress' },
  userAgent: { la: 'UserAgent', diag: 'properties.userAgent', rest: 'userAgent' },
  location: { la: 'LocationDetails', diag: ['properties.location', 'properties.locationDetails'], rest: 'location' },
  // Log Analytics `TenantId` is the workspace id; the Entra tenant is AADTenantId.
  tenant: { la: 'AADTenantId', diag: 'tenantId', rest: ['homeTenantId', 'resourceTenantId'] },
  app: { la: 'AppDisplayName', diag: 'properties.appDisplayName', rest: 'appDisplayName' },
} as const;

/**
 * One sign-in → an `authentication` event. `Id` (diagnostic: `properties.id`) is the sign-in request id,
 * the same in Log Analytics and Event Hub, so it is the dedup key (a content hash when a trimmed record
 * lacks it). Error 50057 (disabled account), 50126 (bad password) and every other non-zero code are
 * failures.
 */
export function normalizeSignIn(record: AzureRecord): AuditEvent {
  const { reader, table } = record;
  const nativeId = record.optString(C.id) ?? contentId(record.root, reader, record.path(C.id));
  const times = eventTimes(record, C.created, C.generated) ?? firstStepTime(record);
  const details = record.optArray(C.details) ?? [];
  const status = record.optObject(C.status);
  const statusPath = record.path(C.status);
  // status.errorCode is the number; ResultType is the same code as text, except in some re-exports
  // that write the words "Success"/"Failure" there.
  const code = reader.optString(status, 'errorCode', `${statusPath}.errorCode`) ?? record.optString(C.resultType);
  const outcome = codeOutcome(code);
  const failureText =
    reader.optString(status, 'failureReason', `${statusPath}.failureReason`) ?? record.optString(C.resultDescription);

  const event: AuditEvent = {
    id: `azure:${nativeId}`,
    nativeId,
    cloud: 'azure',
    source: 'azure.signin',
    time: times.time.iso,
    timeMs: times.time.ms,
    category: 'authentication',
    service: record.optString(C.app) ?? table.name,
    action: record.optString(C.operation) ?? 'Sign-in activity',
    outcome,
    providerGenerated: false,
    actor: readActor(record),
    targets: [],
    resources: [],
    mfa: readMfa(record, details, status, outcome),
    src: compact({ ip: record.optString(C.ip), userAgent: record.optString(C.userAgent), geo: readGeo(record) }),
    origin: reader.origin,
    raw: record.root,
  };
  return withOptional(event, {
    receivedTime: times.received,
    account: record.optString(C.tenant),
    failureReason: outcome === 'failure' ? reason(code, failureText) : undefined,
  });
}

/** "0" → success; any other number (50057 disabled, 50126 bad password, 50074 MFA needed) → failure. */
function codeOutcome(code: string | undefined): Outcome {
  if (code === undefined) return 'unknown';
  if (/^\d+$/.test(code)) return code === '0' ? 'success' : 'failure';
  return statusOutcome(code);
}

function readActor(record: AzureRecord): Actor {
  const type = record.table.principal ?? 'User';
  if (type !== 'User') {
    const objectId = record.optString(C.spId);
    return compact({ type, display: record.optString(C.spName) ?? objectId ?? '(unknown)', objectId });
  }
  const upn = record.optString(C.upn);
  const objectId = record.optString(C.userId);
  const display =
    entraUserDisplay(upn, objectId, record.optString(C.userName)) ?? record.optString(C.identity) ?? '(unknown)';
  return compact<Actor>({ type, display, upn, objectId });
}

/**
 * The MFA verdict from the steps, the MFA detail and the status notes (see {@link entraMfa}).
 * `AuthenticationRequirement` says what the sign-in *required*: it proves a second factor only of a
 * sign-in that succeeded (a failed or unfinished one may have stopped before it).
 */
function readMfa(record: AzureRecord, details: unknown[], status: JsonObject | undefined, outcome: Outcome): MfaInfo {
  const { reader } = record;
  const mfaDetail = record.optObject(C.mfaDetail);
  return entraMfa({
    requirement: outcome === 'success' ? record.optString(C.requirement) : undefined,
    details,
    mfaDetailMethod: reader.optString(mfaDetail, 'authMethod', `${record.path(C.mfaDetail)}.authMethod`),
    additionalDetails: reader.optString(status, 'additionalDetails', `${record.path(C.status)}.additionalDetails`),
  });
}

/** "Azor, Tel Aviv, IL" from LocationDetails {city, state, countryOrRegion}. */
function readGeo(record: AzureRecord): string | undefined {
  const location = record.optObject(C.location);
  const path = record.path(C.location);
  const parts = ['city', 'state', 'countryOrRegion']
    .map((key) => record.reader.optString(location, key, `${path}.${key}`))
    .filter((part): part is string => part !== undefined);
  return parts.length === 0 ? undefined : cap(parts.join(', '), 256);
}

/**
 * Rows from some exports carry neither CreatedDateTime nor TimeGenerated; the first authentication
 * step's time is then the sign-in's own time (Entra stamps both from the same request, to the tick).
 */
function firstStepTime(record: AzureRecord): { time: { iso: string; ms: number }; received?: string } {
  const { reader } = record;
  const steps = record.optArray(C.details) ?? [];
  const path = record.path(C.details);
  let first: { iso: string; ms: number } | undefined;
  for (const [i, step] of steps.entries()) {
    if (!isObject(step) || step.authenticationStepDateTime == null) continue;
    const time = readTime(reader, step.authenticationStepDateTime, `${path}[${i}].authenticationStepDateTime`);
    if (first === undefined || time.ms < first.ms) first = time;
  }
  if (first === undefined) {
    return reader.fail(
      record.path(C.created),
      `missing, and so are ${record.path(C.generated)} and the authentication step times`,
    );
  }
  return { time: first };
}
