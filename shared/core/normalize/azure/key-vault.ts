import type { Actor, AuditEvent, Outcome } from '../../model/audit-event.js';
import { cap } from '../fields.js';
import { asGuid, compact, entraUserDisplay, reason, statusOutcome, subscriptionOf, withOptional } from './common.js';
import type { AzureRecord, Column } from './record.js';

/**
 * Key Vault `AuditEvent` resource logs in their three spellings: the diagnostic record (Event Hub,
 * storage `insights-logs-auditevent`), the resource-specific `AZKVAuditLogs` table, and the legacy
 * `AzureDiagnostics` table (flattened `*_s`/`*_g`/`*_d` columns, ResourceProvider MICROSOFT.KEYVAULT).
 * https://learn.microsoft.com/azure/key-vault/general/logging
 * https://learn.microsoft.com/azure/azure-monitor/reference/tables/azkvauditlogs
 * https://learn.microsoft.com/azure/azure-monitor/reference/tables/azurediagnostics
 */
const C = {
  time: { la: 'TimeGenerated', diag: 'time' },
  operation: { la: 'OperationName', diag: 'operationName' },
  resultType: { la: 'ResultType', diag: 'resultType' },
  resultSignature: { la: 'ResultSignature', diag: 'resultSignature' },
  resultDescription: { la: 'ResultDescription', diag: 'resultDescription' },
  httpStatus: { la: ['HttpStatusCode', 'httpStatusCode_d'], diag: ['properties.httpStatusCode', 'httpStatusCode'] },
  // The secret (or key) URL: returned objects carry it as `id`; a denied read has only the request URI.
  id: { la: ['Id', 'id_s', 'Properties.id'], diag: ['properties.id', 'id'] },
  requestUri: {
    la: ['RequestUri', 'requestUri_s', 'Properties.requestUri'],
    diag: ['properties.requestUri', 'requestUri'],
  },
  ip: { la: ['CallerIpAddress', 'CallerIPAddress'], diag: 'callerIpAddress' },
  correlationId: { la: 'CorrelationId', diag: 'correlationId' },
  resource: { la: ['_ResourceId', 'ResourceId'], diag: 'resourceId' },
  subscription: { la: ['_SubscriptionId', 'SubscriptionId'] },
  claims: { la: 'Identity.claim', diag: 'identity.claim' },
  clientInfo: { la: ['ClientInfo', 'clientInfo_s'], diag: 'properties.clientInfo' },
} as const satisfies Record<string, Column>;

const CLAIM_UPN = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn';
const CLAIM_OBJECT_ID = 'http://schemas.microsoft.com/identity/claims/objectidentifier';

/** The same claims as AzureDiagnostics columns (`identity_claim_<claim, non-alphanumerics as _>_<type>`). */
const FLAT_CLAIMS = {
  upn: [
    'identity_claim_http_schemas_xmlsoap_org_ws_2005_05_identity_claims_upn_s',
    'identity_claim_upn_s',
    'identity_claim_unique_name_s',
  ],
  objectId: [
    'identity_claim_http_schemas_microsoft_com_identity_claims_objectidentifier_g',
    'identity_claim_oid_g',
    'identity_claim_http_schemas_microsoft_com_identity_claims_objectidentifier_s',
    'identity_claim_oid_s',
  ],
  appId: ['identity_claim_appid_g', 'identity_claim_appid_s'],
} as const;

/**
 * One Key Vault AuditEvent → an `api` event of service `Microsoft.KeyVault` whose action is the operation
 * name (SecretGet, SecretSet, VaultPut…) and whose resources are the object URL (`id`) and the request
 * URI, so the credential table (detect/credential-actions.ts) can tell which secret was opened.
 * Outcome: the HTTP status (2xx success, 4xx/5xx failure: a denied read is a `Success` REST result with
 * 403), else `resultType`, else unknown.
 *
 * The id: the records carry no event id (`correlationId` is optional and client-chosen), so it is the
 * time, operation, object, caller IP and correlation id together — the same in every spelling.
 */
export function normalizeKeyVault(record: AzureRecord): AuditEvent {
  const { reader } = record;
  const operation = record.string(C.operation);
  const time = record.optTime(C.time) ?? reader.fail(record.path(C.time), 'missing');
  const objectUrl = record.optString(C.id);
  const requestUri = record.optString(C.requestUri);
  const ip = record.optString(C.ip);
  const correlationId = record.optString(C.correlationId);
  const resource = record.optString(C.resource);
  const outcome = outcomeOf(record);
  const nativeId = [
    time.iso,
    cap(operation, 128),
    cap(objectUrl ?? requestUri ?? '', 512),
    ip ?? '',
    correlationId ?? '',
  ].join('|');
  const resources = [...new Set([objectUrl, requestUri].flatMap((url) => (url ? [withoutDefaultPort(url)] : [])))];

  const event: AuditEvent = {
    id: `azure:kv:${nativeId}`,
    nativeId,
    cloud: 'azure',
    source: 'azure.keyvault',
    time: time.iso,
    timeMs: time.ms,
    category: 'api',
    service: 'Microsoft.KeyVault',
    action: operation,
    outcome,
    providerGenerated: false,
    actor: readActor(record),
    targets: [],
    resources,
    src: compact({ ip, userAgent: record.optString(C.clientInfo) }),
    origin: reader.origin,
    raw: record.root,
  };
  return withOptional(event, {
    account: (record.optString(C.subscription) ?? subscriptionOf(resource))?.toLowerCase(),
    failureReason:
      outcome === 'failure'
        ? reason(record.optString(C.resultSignature), record.optString(C.resultDescription))
        : undefined,
  });
}

function outcomeOf(record: AzureRecord): Outcome {
  const raw = record.optRaw(C.httpStatus);
  const status = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : Number.NaN;
  if (status >= 200 && status < 300) return 'success';
  if (status >= 400 && status < 600) return 'failure';
  return statusOutcome(record.optString(C.resultType));
}

/** Request URIs may name `:443`; the secret URL the registry key is built from does not. */
function withoutDefaultPort(url: string): string {
  return url.replace(/^(https:\/\/[^/:?#]+):443(?=[/?#]|$)/i, '$1');
}

/**
 * The caller from the token claims: a user (UPN and object id), or an application (app id, with the
 * service principal's object id when the token carries one). Nothing guessed: a record with no claims
 * is an `Unknown` caller.
 */
function readActor(record: AzureRecord): Actor {
  const { reader } = record;
  const claims = record.optObject(C.claims);
  const path = record.path(C.claims);
  const fromClaims = (key: string) => reader.optString(claims, key, `${path}[${JSON.stringify(key)}]`);
  const flat = (names: readonly string[]) => {
    for (const name of names) {
      const value = record.spelling === 'log-analytics' ? record.optString({ la: name }) : undefined;
      if (value !== undefined) return value;
    }
    return undefined;
  };
  const upn = fromClaims(CLAIM_UPN) ?? fromClaims('upn') ?? fromClaims('unique_name') ?? flat(FLAT_CLAIMS.upn);
  const objectId = asGuid(fromClaims(CLAIM_OBJECT_ID) ?? fromClaims('oid') ?? flat(FLAT_CLAIMS.objectId));
  const appId = fromClaims('appid') ?? fromClaims('azp') ?? flat(FLAT_CLAIMS.appId);
  const type = upn ? 'User' : appId ? 'ServicePrincipal' : 'Unknown';
  const display = entraUserDisplay(upn, objectId, fromClaims('name')) ?? (appId ? `application ${appId}` : '(unknown)');
  return compact({ type, display, upn, objectId });
}
