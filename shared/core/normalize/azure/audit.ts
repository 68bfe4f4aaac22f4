import type { Actor, AuditEvent, PrincipalRef } from '../../model/audit-event.js';
import { contentId } from '../content-id.js';
import { cap, type JsonObject } from '../fields.js';
import { entraMembership, membershipChange } from '../group-membership.js';
import { compact, entraUserDisplay, eventTimes, reason, statusOutcome, withOptional } from './common.js';
import { conditionalAccessActivity, conditionalAccessChange } from './conditional-access.js';
import { directoryRecord } from './directory-record.js';
import { type AzureRecord, dynamicObject } from './record.js';

/**
 * Entra AuditLogs (directory changes: users, roles, applications, policies) in all three spellings: the
 * Log Analytics row, the diagnostic record (Event Hub, storage: the Graph object under `properties`),
 * and the Graph `directoryAudit` itself (`rest`: `GET /auditLogs/directoryAudits`, Get-MgAuditLogDirectoryAudit).
 * https://learn.microsoft.com/azure/azure-monitor/reference/tables/auditlogs
 * https://learn.microsoft.com/graph/api/resources/directoryaudit
 */
const C = {
  id: { la: 'Id', diag: 'properties.id', rest: 'id' },
  activityTime: { la: 'ActivityDateTime', diag: 'properties.activityDateTime', rest: 'activityDateTime' },
  generated: { la: 'TimeGenerated', diag: 'time' },
  operation: {
    la: ['OperationName', 'ActivityDisplayName'],
    diag: ['operationName', 'properties.activityDisplayName'],
    rest: 'activityDisplayName',
  },
  service: {
    la: ['LoggedByService', 'Category'],
    diag: ['properties.loggedByService', 'properties.category'],
    rest: ['loggedByService', 'category'],
  },
  initiatedBy: { la: 'InitiatedBy', diag: 'properties.initiatedBy', rest: 'initiatedBy' },
  targets: { la: 'TargetResources', diag: 'properties.targetResources', rest: 'targetResources' },
  result: { la: 'Result', diag: 'properties.result', rest: 'result' },
  resultReason: { la: 'ResultReason', diag: 'properties.resultReason', rest: 'resultReason' },
  identity: { la: 'Identity', diag: 'identity' },
  tenant: { la: 'AADTenantId', diag: 'tenantId' },
  userAgent: { la: 'UserAgent', diag: 'properties.userAgent', rest: 'userAgent' },
  callerIp: { diag: 'callerIpAddress' },
} as const;

/** A role assignment or a policy change can list many objects; a page needs the first few. */
const MAX_TARGET_RESOURCES = 50;

/**
 * One directory audit entry → an `api` event. `Id` ("Directory_<correlation>_<suffix>") is shared by
 * Log Analytics and Event Hub (a content hash when a trimmed record lacks it). Targets are the `User`
 * entries of TargetResources: the people whose password, roles or authentication methods changed.
 */
export function normalizeAudit(record: AzureRecord): AuditEvent {
  const { reader } = record;
  const nativeId = record.optString(C.id) ?? contentId(record.root, reader, record.path(C.id));
  const times =
    eventTimes(record, C.activityTime, C.generated) ??
    reader.fail(record.path(C.activityTime), `missing, and so is ${record.path(C.generated)}`);
  const initiatedBy = record.optObject(C.initiatedBy);
  const initiatedPath = record.path(C.initiatedBy);
  const user = reader.optObject(initiatedBy, 'user', `${initiatedPath}.user`);
  const app = reader.optObject(initiatedBy, 'app', `${initiatedPath}.app`);
  const targetList = targetObjects(record);
  const { targets, resources } = readTargets(record, targetList);
  const outcome = statusOutcome(record.optString(C.result));

  const event: AuditEvent = {
    id: `azure:${nativeId}`,
    nativeId,
    cloud: 'azure',
    source: 'azure.audit',
    time: times.time.iso,
    timeMs: times.time.ms,
    category: 'api',
    service: record.optString(C.service) ?? record.table.name,
    action: record.string(C.operation).trim(),
    outcome,
    providerGenerated: false,
    actor: readActor(record, user, app, initiatedPath),
    targets,
    resources,
    src: compact({
      ip: reader.optString(user, 'ipAddress', `${initiatedPath}.user.ipAddress`) ?? record.optString(C.callerIp),
      userAgent: record.optString(C.userAgent),
    }),
    origin: reader.origin,
    raw: record.root,
  };
  const change = membershipChange('azure', event.service, event.action);
  const policyKind = conditionalAccessActivity(event.action);
  const policyUpdate = policyKind === undefined ? undefined : conditionalAccessChange(targetList, policyKind);
  const resultReason = record.optString(C.resultReason);
  return withOptional(event, {
    conditionalAccess: policyUpdate,
    membership: change === undefined ? undefined : entraMembership(change, targetList),
    directory: directoryRecord(targetList, resultReason),
    receivedTime: times.received,
    account: record.optString(C.tenant),
    failureReason: outcome === 'failure' ? reason(undefined, resultReason) : undefined,
  });
}

/** InitiatedBy.user (a person) or InitiatedBy.app (a service principal, e.g. PIM or Azure AD itself). */
function readActor(
  record: AzureRecord,
  user: JsonObject | undefined,
  app: JsonObject | undefined,
  path: string,
): Actor {
  const { reader } = record;
  if (user !== undefined) {
    const upn = reader.optString(user, 'userPrincipalName', `${path}.user.userPrincipalName`);
    const objectId = reader.optString(user, 'id', `${path}.user.id`);
    const display = entraUserDisplay(upn, objectId, reader.optString(user, 'displayName', `${path}.user.displayName`));
    if (upn !== undefined || objectId !== undefined) {
      return compact({ type: 'User', display: display ?? '(unknown)', upn, objectId });
    }
  }
  if (app !== undefined) {
    const objectId = reader.optString(app, 'servicePrincipalId', `${path}.app.servicePrincipalId`);
    const display =
      reader.optString(app, 'displayName', `${path}.app.displayName`) ??
      reader.optString(app, 'servicePrincipalName', `${path}.app.servicePrincipalName`) ??
      objectId;
    if (display !== undefined) return compact({ type: 'ServicePrincipal', display, objectId });
  }
  return { type: 'Unknown', display: record.optString(C.identity) ?? '(unknown)' };
}

/** TargetResources as objects (Log Analytics may hold them as JSON text), at most {@link MAX_TARGET_RESOURCES}. */
function targetObjects(record: AzureRecord): JsonObject[] {
  const path = record.path(C.targets);
  return (record.optArray(C.targets) ?? [])
    .slice(0, MAX_TARGET_RESOURCES)
    .map(
      (raw, i) =>
        dynamicObject(record.reader, raw, `${path}[${i}]`) ??
        record.reader.fail(`${path}[${i}]`, 'expected an object, got null'),
    );
}

function readTargets(
  record: AzureRecord,
  targetList: readonly JsonObject[],
): { targets: PrincipalRef[]; resources: string[] } {
  const { reader } = record;
  const path = record.path(C.targets);
  const targets: PrincipalRef[] = [];
  const resources: string[] = [];
  targetList.forEach((target, i) => {
    const at = `${path}[${i}]`;
    const upn = reader.optString(target, 'userPrincipalName', `${at}.userPrincipalName`);
    const id = reader.optString(target, 'id', `${at}.id`);
    const name = reader.optString(target, 'displayName', `${at}.displayName`) ?? upn ?? id;
    if (name !== undefined && !resources.includes(name)) resources.push(cap(name));
    if (reader.optString(target, 'type', `${at}.type`)?.toLowerCase() !== 'user') return;
    if (upn !== undefined || id !== undefined) targets.push(compact({ upn, objectId: id }));
  });
  return { targets, resources };
}
