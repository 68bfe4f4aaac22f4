import type { AuditEvent } from '../model/audit-event.js';
import type { VaultWrap, VaultWrapRole } from '../model/finding.js';
import { cap, isObject } from '../normalize/fields.js';

/**
 * HashiCorp Vault's own approval path, as its audit device records it. A control group (Vault
 * Enterprise) holds a read: instead of the secret the reader gets a response-wrapping token, whose
 * accessor the approvers pass to `sys/control-group/authorize`; once authorized, `sys/wrapping/unwrap`
 * with the token discloses the secret. Plain response wrapping (the reader asked for it) is the same
 * token without the authorization. The read's response entry carries `response.wrap_info` (`token`,
 * `accessor`, `ttl`, `creation_time`, `creation_path`): the token is always HMAC'd, the accessor too unless
 * the device has `hmac_accessor=false`; request data (`request.data.accessor`, `request.data.token`) and
 * client tokens are always HMAC'd. HMACs are deterministic per audit device (its salt), so equal values
 * join entries of one device.
 * https://developer.hashicorp.com/vault/docs/enterprise/control-groups
 * https://developer.hashicorp.com/vault/docs/concepts/response-wrapping
 * https://developer.hashicorp.com/vault/api-docs/system/control-group (authorize: `accessor`)
 * https://developer.hashicorp.com/vault/api-docs/system/wrapping-unwrap (`token`, or the token as client token)
 * https://developer.hashicorp.com/vault/docs/audit/schema (response `wrap_info`)
 */
/** The two endpoints that use a wrapping token, each with its documentation page. */
export const VAULT_WRAP_ENDPOINTS: readonly { path: string; role: Exclude<VaultWrapRole, 'wrapped'>; doc: string }[] = [
  {
    path: 'sys/control-group/authorize',
    role: 'authorize',
    doc: 'https://developer.hashicorp.com/vault/api-docs/system/control-group',
  },
  {
    path: 'sys/wrapping/unwrap',
    role: 'unwrap',
    doc: 'https://developer.hashicorp.com/vault/api-docs/system/wrapping-unwrap',
  },
];

const MAX_HMAC = 160;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? cap(value, MAX_HMAC) : undefined;
}

function rawOf(event: AuditEvent): { request: Record<string, unknown>; response: Record<string, unknown> } {
  const raw = isObject(event.raw) ? event.raw : {};
  return {
    request: isObject(raw.request) ? raw.request : {},
    response: isObject(raw.response) ? raw.response : {},
  };
}

/**
 * A successful read whose response was wrapped for this very path (`wrap_info.creation_path` is the
 * request's path): the secret is not disclosed yet. Undefined for anything else, and for a wrap_info
 * without a token (nothing to join).
 */
export function wrappedRead(event: AuditEvent): VaultWrap | undefined {
  if (event.cloud !== 'vault' || event.outcome !== 'success') return undefined;
  const info = rawOf(event).response.wrap_info;
  if (!isObject(info) || info.creation_path !== event.resources[0]) return undefined;
  const token = text(info.token);
  if (token === undefined) return undefined;
  const accessor = text(info.accessor);
  const ttl = typeof info.ttl === 'number' && Number.isFinite(info.ttl) && info.ttl > 0 ? info.ttl : undefined;
  return {
    role: 'wrapped',
    namespace: event.account ?? 'root',
    token,
    ...(accessor ? { accessor } : {}),
    ...(ttl ? { ttlSeconds: ttl } : {}),
  };
}

/**
 * A successful control-group authorization (`request.data.accessor`) or unwrap (`request.data.token`,
 * else the wrapping token as the client token and its accessor as `client_token_accessor`).
 */
export function wrapUse(event: AuditEvent): VaultWrap | undefined {
  if (event.cloud !== 'vault' || event.outcome !== 'success') return undefined;
  const endpoint = VAULT_WRAP_ENDPOINTS.find((e) => e.path === event.resources[0]);
  if (!endpoint) return undefined;
  const { request } = rawOf(event);
  const data = isObject(request.data) ? request.data : {};
  const namespace = event.account ?? 'root';
  if (endpoint.role === 'authorize') {
    const accessor = text(data.accessor);
    return accessor === undefined ? undefined : { role: 'authorize', namespace, accessor };
  }
  const given = text(data.token);
  if (given !== undefined) return { role: 'unwrap', namespace, token: given };
  const token = text(request.client_token);
  const accessor = text(request.client_token_accessor);
  if (token === undefined && accessor === undefined) return undefined;
  return { role: 'unwrap', namespace, ...(token ? { token } : {}), ...(accessor ? { accessor } : {}) };
}
