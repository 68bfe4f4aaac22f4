import { CREDENTIAL_ACTIONS } from '../../detect/credential-actions.js';
import type { Actor, AuditEvent, EventOrigin, Outcome } from '../../model/audit-event.js';
import { vaultNamespace } from '../../registry/vault-paths.js';
import { compact, withOptional } from '../azure/common.js';
import { cap, FieldReader, isObject, type JsonObject } from '../fields.js';
import { Skipped } from '../skips.js';
import type { Envelope } from '../types.js';

/**
 * HashiCorp Vault audit device entries (file, socket and syslog devices all write the same JSON, one
 * object per line). Each request is logged twice with the same `request.id`: a `request` entry before
 * Vault acts and a `response` entry after it, which carries the outcome (`error`) as well. Only the
 * response entry is read, so a request counts once. Most strings are HMAC-SHA256'd by default
 * (`hmac-sha256:…`), but not `request.path`, `request.operation`, `request.namespace`,
 * `request.remote_address`, `auth.display_name`, `auth.entity_id` and the policy lists, which is all
 * the credential rules read.
 * https://developer.hashicorp.com/vault/docs/audit (format, sensitive information)
 * https://developer.hashicorp.com/vault/docs/audit/schema (audit log entry schema)
 *
 * A Vault record is `cloud: 'vault'` (see model/audit-event.ts): its account is the Vault namespace
 * (`root` for the root namespace), so coverage and the heartbeat show Vault as a source of its own.
 */
export const VAULT_AUDIT_FORMAT = 'vault.audit' as const;

/** Vault operations the credential table reads (logical.Operation values); the rest are skipped. */
const VAULT_OPERATIONS_READ: ReadonlySet<string> = new Set(
  CREDENTIAL_ACTIONS.flatMap((a) => (a.cloud === 'vault' ? [a.action] : [])),
);

/** `request`, `response`, and prefixed kinds of both (Vault Enterprise KMIP: `kmip-request`, `kmip-response`). */
const ENTRY_TYPE = /^(?:[a-z]{1,16}-)?(?:request|response)$/;

/** A Vault audit entry: such a `type` and a `request` object. No other format has both. */
export function isVaultAuditEntry(doc: JsonObject): boolean {
  return typeof doc.type === 'string' && ENTRY_TYPE.test(doc.type) && isObject(doc.request);
}

/** Vault audit lines are bare objects: one per line of the file, socket or syslog payload. */
export const vaultAuditEnvelope: Envelope = {
  name: 'vault-audit',
  matches: isVaultAuditEntry,
  open(doc, origin) {
    return [{ format: VAULT_AUDIT_FORMAT, value: doc, origin }];
  },
};

/**
 * Request entries (the response entry of the same `request.id` is read), entries of other kinds (KMIP)
 * and operations no rule reads (`list`, `help`, `renew`, `revoke`, `rollback`, …) are skipped and counted.
 */
export function skipVaultAudit(value: unknown, origin: EventOrigin): Skipped | undefined {
  if (!isObject(value) || !isObject(value.request)) return undefined;
  if (value.type === 'request')
    return new Skipped('vault.request', 'request entry (its response entry is read)', origin);
  if (typeof value.type === 'string' && value.type !== 'response' && ENTRY_TYPE.test(value.type)) {
    return new Skipped('vault.other-entry', `entry type ${JSON.stringify(value.type)}`, origin);
  }
  const operation = value.request.operation;
  if (typeof operation === 'string' && !VAULT_OPERATIONS_READ.has(operation)) {
    return new Skipped('vault.other-operation', `operation ${JSON.stringify(cap(operation, 40))}`, origin);
  }
  return undefined;
}

/**
 * One Vault response entry → an `api` event of service `vault` whose action is the operation (`read`,
 * `update`, `delete`…), whose resource is `request.path`, and whose account is the namespace.
 * Outcome: `error` present (a denied request says `permission denied`) is a failure, else success.
 */
export function normalizeVaultAudit(value: unknown, origin: EventOrigin): AuditEvent {
  const reader = new FieldReader(VAULT_AUDIT_FORMAT, origin);
  const root = reader.root(value);
  const time = reader.time(root, 'time');
  const request = reader.object(root, 'request');
  const id = reader.string(request, 'id', 'request.id');
  const operation = reader.string(request, 'operation', 'request.operation');
  const path = reader.string(request, 'path', 'request.path');
  const namespace = reader.optObject(request, 'namespace', 'request.namespace');
  const error = reader.optString(root, 'error');
  const outcome: Outcome = error === undefined ? 'success' : 'failure';

  const event: AuditEvent = {
    id: `vault:${cap(id, 128)}`,
    nativeId: cap(id, 128),
    cloud: 'vault',
    source: 'vault.audit',
    time: time.iso,
    timeMs: time.ms,
    category: 'api',
    service: 'vault',
    action: operation,
    outcome,
    providerGenerated: false,
    actor: readActor(reader, reader.optObject(root, 'auth')),
    targets: [],
    resources: [path],
    account: vaultNamespace(reader.optString(namespace, 'path', 'request.namespace.path')),
    src: compact({ ip: reader.optString(request, 'remote_address', 'request.remote_address') }),
    origin,
    raw: root,
  };
  return withOptional(event, { failureReason: error === undefined ? undefined : failureOf(error) });
}

/** `permission denied: <error>` when Vault says so (the denial code detect/denials.ts knows), else the error. */
function failureOf(error: string): string {
  const text = cap(error.replace(/\s+/g, ' ').trim(), 512);
  return /permission denied/i.test(error) ? `permission denied: ${text}` : text;
}

/**
 * The token's holder: entity id and display name as Vault writes them (neither is HMAC'd), and every
 * policy the token carried. No `auth` (an unauthenticated request such as a login) is an unknown caller.
 */
function readActor(reader: FieldReader, auth: JsonObject | undefined): Actor {
  if (!auth) return { type: 'Unknown', display: '(unauthenticated)' };
  const displayName = reader.optString(auth, 'display_name', 'auth.display_name');
  const entityId = reader.optString(auth, 'entity_id', 'auth.entity_id');
  const policies = new Set<string>();
  for (const key of ['policies', 'token_policies', 'identity_policies']) {
    const list = reader.optArray(auth, key, `auth.${key}`) ?? [];
    list.forEach((p, i) => {
      if (typeof p !== 'string') reader.fail(`auth.${key}[${i}]`, `expected a string, got ${typeof p}`);
      policies.add(cap(p, 256));
    });
  }
  return compact({
    type: reader.optString(auth, 'token_type', 'auth.token_type') ?? 'Unknown',
    display: displayName ?? entityId ?? '(unknown)',
    entityId,
    vault: compact({ displayName, policies: [...policies] }),
  });
}
