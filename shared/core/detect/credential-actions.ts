import type { AuditEvent, Cloud } from '../model/audit-event.js';
import { isObject } from '../normalize/fields.js';
import { gcpSecretKey, keyVaultKeyOfUrl, secretsManagerKeys, ssmKey } from '../registry/credential-stores.js';
import { type Kv2Endpoint, vaultPolicyKey, vaultSecretKeys } from '../registry/vault-paths.js';

/**
 * Every call that opens a credential store (reads the secret) or changes it, per cloud: the one table
 * the `credential-access` and `credential-store-change` rules, the forwarding rule and the sweeper's
 * look-ups derive from. `keys` names the stored secrets the record is about (canonical keys of
 * registry/credential-stores.ts); a record that names none cannot be tied to a registered credential.
 */
export type CredentialActionKind = 'read' | 'change';

export interface CredentialAction {
  cloud: Cloud;
  service: string;
  action: string;
  kind: CredentialActionKind;
  /** The documentation page that names the call and its record. */
  doc: string;
  keys(event: AuditEvent): string[];
}

const SECRETS_MANAGER_DOC = 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/cloudtrail_log_entries.html';
const SSM_DOC = 'https://docs.aws.amazon.com/systems-manager/latest/userguide/monitoring-cloudtrail-logs.html';
const GSM_DOC = 'https://cloud.google.com/secret-manager/docs/audit-logging';
const KEY_VAULT_DOC = 'https://learn.microsoft.com/azure/key-vault/general/logging';
const VAULT_KV_DOC = 'https://developer.hashicorp.com/vault/api-docs/secret/kv/kv-v2';

function parameters(event: AuditEvent): Record<string, unknown> {
  const raw = event.raw as { requestParameters?: unknown } | undefined;
  return isObject(raw?.requestParameters) ? raw.requestParameters : {};
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Secrets Manager names its secret in `secretId` (or `secretIdList`), in the recipient account. */
function secretIds(field: 'secretId' | 'secretIdList') {
  return (event: AuditEvent) =>
    strings(parameters(event)[field]).flatMap((id) => secretsManagerKeys(id, event.account));
}

/**
 * Parameter Store reads open a SecureString only `withDecryption`; GetParametersByPath reads every
 * parameter under a path (`**` recursive, `*` one level), so it is keyed as a prefix.
 */
function ssmRead(event: AuditEvent): string[] {
  const p = parameters(event);
  if (p.withDecryption !== true) return [];
  if (event.action === 'GetParametersByPath') {
    const path = strings(p.path)[0];
    if (path === undefined) return [];
    const prefix = path.replace(/^\/+|\/+$/g, '');
    return [`ssm:${event.account ?? '*'}:${prefix ? `${prefix}/` : ''}${p.recursive === true ? '**' : '*'}`];
  }
  return [...strings(p.name), ...strings(p.names)].flatMap((name) => ssmKey(name, event.account) ?? []);
}

function ssmChange(event: AuditEvent): string[] {
  const p = parameters(event);
  return [...strings(p.name), ...strings(p.names)].flatMap((name) => ssmKey(name, event.account) ?? []);
}

/** Secret Manager records name the secret or one of its versions in `resourceName`. */
function gcpSecret(event: AuditEvent): string[] {
  return event.resources.flatMap((r) => gcpSecretKey(r) ?? []);
}

/** Key Vault AuditEvent records name the secret URL in `properties.id` (or `id`). */
function keyVaultSecret(event: AuditEvent): string[] {
  return event.resources.flatMap((r) => keyVaultKeyOfUrl(r) ?? []);
}

/**
 * Vault names the secret in `request.path` (relative to the namespace, the event's account) and, since
 * Vault 1.13, its mount in `request.mount_point` (`secret/`), which pins where a v2 endpoint can be.
 * A read opens the secret only on its data path (v2 `data/`, or the v1 path): reading `metadata/` lists
 * versions, not the value. A change is any write or delete on any of its paths.
 */
function vaultSecret(endpoints: readonly Kv2Endpoint[]) {
  return (event: AuditEvent): string[] => {
    const path = event.resources[0];
    const raw = event.raw as { request?: { mount_point?: unknown } } | undefined;
    const mount = raw?.request?.mount_point;
    if (path === undefined) return [];
    return vaultSecretKeys(path, endpoints, event.account ?? 'root', typeof mount === 'string' ? mount : undefined);
  };
}

/**
 * `sys/policy/NAME` and `sys/policies/acl/NAME` (https://developer.hashicorp.com/vault/api-docs/system/policies):
 * the body (the rules) is HMAC'd in the audit log, the name is not.
 */
const VAULT_POLICY_PATH = /^sys\/(?:policy|policies\/acl)\/([^/]+)$/;

function vaultChange(event: AuditEvent): string[] {
  const policy = VAULT_POLICY_PATH.exec(event.resources[0] ?? '')?.[1];
  if (policy !== undefined) return [vaultPolicyKey(policy, event.account ?? 'root')];
  return vaultSecret(['data', 'metadata', 'delete', 'undelete', 'destroy'])(event);
}

const GSM = 'google.cloud.secretmanager.v1.SecretManagerService.';

export const CREDENTIAL_ACTIONS: readonly CredentialAction[] = [
  // AWS Secrets Manager. BatchGetSecretValue also logs one GetSecretValue per secret it returns (API
  // reference), so a batch selected by filters is still seen secret by secret.
  ...(['GetSecretValue', 'BatchGetSecretValue'] as const).map((action) => ({
    cloud: 'aws' as const,
    service: 'secretsmanager.amazonaws.com',
    action,
    kind: 'read' as const,
    doc: SECRETS_MANAGER_DOC,
    keys: secretIds(action === 'GetSecretValue' ? 'secretId' : 'secretIdList'),
  })),
  ...[
    'DeleteSecret',
    'PutResourcePolicy',
    'DeleteResourcePolicy',
    'UpdateSecret',
    'PutSecretValue',
    'CancelRotateSecret',
    'RotateSecret',
    'RestoreSecret',
    'ReplicateSecretToRegions',
    'StopReplicationToReplica',
  ].map((action) => ({
    cloud: 'aws' as const,
    service: 'secretsmanager.amazonaws.com',
    action,
    kind: 'change' as const,
    doc: SECRETS_MANAGER_DOC,
    keys: secretIds('secretId'),
  })),
  // AWS Systems Manager Parameter Store.
  ...['GetParameter', 'GetParameters', 'GetParametersByPath'].map((action) => ({
    cloud: 'aws' as const,
    service: 'ssm.amazonaws.com',
    action,
    kind: 'read' as const,
    doc: SSM_DOC,
    keys: ssmRead,
  })),
  ...['DeleteParameter', 'DeleteParameters', 'PutParameter', 'LabelParameterVersion'].map((action) => ({
    cloud: 'aws' as const,
    service: 'ssm.amazonaws.com',
    action,
    kind: 'change' as const,
    doc: SSM_DOC,
    keys: ssmChange,
  })),
  // Google Secret Manager: AccessSecretVersion is a Data Access log (off unless enabled); the rest Admin Activity.
  {
    cloud: 'gcp',
    service: 'secretmanager.googleapis.com',
    action: `${GSM}AccessSecretVersion`,
    kind: 'read',
    doc: GSM_DOC,
    keys: gcpSecret,
  },
  ...[
    'DeleteSecret',
    'UpdateSecret',
    'SetIamPolicy',
    'AddSecretVersion',
    'DisableSecretVersion',
    'DestroySecretVersion',
  ].map((method) => ({
    cloud: 'gcp' as const,
    service: 'secretmanager.googleapis.com',
    action: `${GSM}${method}`,
    kind: 'change' as const,
    doc: GSM_DOC,
    keys: gcpSecret,
  })),
  // Azure Key Vault (AuditEvent diagnostic category; operation names of the Key Vault logging page).
  ...['SecretGet', 'SecretBackup'].map((action) => ({
    cloud: 'azure' as const,
    service: 'Microsoft.KeyVault',
    action,
    kind: 'read' as const,
    doc: KEY_VAULT_DOC,
    keys: keyVaultSecret,
  })),
  ...['SecretSet', 'SecretDelete', 'SecretPurge', 'SecretUpdate', 'SecretRestore'].map((action) => ({
    cloud: 'azure' as const,
    service: 'Microsoft.KeyVault',
    action,
    kind: 'change' as const,
    doc: KEY_VAULT_DOC,
    keys: keyVaultSecret,
  })),
  // HashiCorp Vault audit device (service `vault`, action = request.operation); KV v1 and v2 paths, ACL policies.
  {
    cloud: 'vault',
    service: 'vault',
    action: 'read',
    kind: 'read',
    doc: VAULT_KV_DOC,
    keys: vaultSecret(['data']),
  },
  ...['create', 'update', 'patch', 'delete'].map((action) => ({
    cloud: 'vault' as const,
    service: 'vault',
    action,
    kind: 'change' as const,
    // Policy writes and deletes: VAULT_POLICY_DOC; the KV paths: VAULT_KV_DOC.
    doc: VAULT_KV_DOC,
    keys: vaultChange,
  })),
];

const BY_CALL = new Map(CREDENTIAL_ACTIONS.map((a) => [`${a.cloud}|${a.service}|${a.action}`, a]));

/** The table entry for this event's call, if it is one. One map lookup: cheap on every event. */
export function credentialActionOf(event: AuditEvent): CredentialAction | undefined {
  return BY_CALL.get(`${event.cloud}|${event.service}|${event.action}`);
}

/** Event names per AWS service, for the forwarding rule and the sweeper. */
export function awsCredentialEventNames(): Map<string, string[]> {
  const names = new Map<string, string[]>();
  for (const a of CREDENTIAL_ACTIONS) {
    if (a.cloud === 'aws') names.set(a.service, [...(names.get(a.service) ?? []), a.action]);
  }
  return names;
}
