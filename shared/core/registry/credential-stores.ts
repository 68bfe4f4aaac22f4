import { splitArn } from './aws-identity.js';
import type { CredentialStore } from './credential-schema.js';
import { vaultStoreKeys } from './vault-paths.js';

export type { CredentialSettings, CredentialStore } from './credential-schema.js';

/**
 * Where a break-glass credential is kept, in the shapes the registry accepts, and one canonical key
 * per stored secret so a read in an audit record (a name, a partial or a full ARN, a version path)
 * and the registry's entry compare equal. Each store's naming rules come from its documentation:
 * - Secrets Manager: a name, a partial ARN, or the full ARN whose name ends in `-` and 6 random
 *   characters ("Secret ARN", Secrets Manager user guide, troubleshooting "partial ARN").
 * - Parameter Store: `name` or `/path/name`; its ARN is `arn:…:ssm:region:account:parameter/path/name`,
 *   the leading slash folded into `parameter/` (Systems Manager user guide, "Working with parameter
 *   hierarchies"; "Parameter ARNs").
 * - Azure Key Vault: vault name (3–24 letters, digits, hyphens; case-insensitive) + secret name
 *   (1–127 letters, digits, hyphens); a read names `https://{vault}.vault.azure.net/secrets/{name}/{version}`.
 * - Google Secret Manager: `projects/{project}/secrets/{secret}`; reads name a version,
 *   `…/versions/{version|latest}`.
 * - HashiCorp Vault: a KV v1 or v2 path, optionally its mount, namespace and governing policies
 *   (registry/vault-paths.ts).
 */

const SECRETS_MANAGER_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const SSM_NAME = /^\/?[A-Za-z0-9_.\-/]{1,2048}$/;
/** Which store a canonical key belongs to, for pages ("through Secrets Manager"). */
const STORE_LABELS = {
  sm: 'AWS Secrets Manager',
  ssm: 'AWS Systems Manager Parameter Store',
  kv: 'Azure Key Vault',
  gsm: 'Google Secret Manager',
  hv: 'HashiCorp Vault',
  hvp: 'HashiCorp Vault policy',
} as const;

/** Kinds whose key carries an account or namespace (`*`: any) between kind and name. */
const SCOPED_KINDS: ReadonlySet<string> = new Set(['sm', 'ssm', 'hv', 'hvp']);

/**
 * {@link splitArn}, held to the shapes a store's ARN can have (partition `aws[-…]`, a Region, a 12-digit
 * account or none or `*`, a resource): anything else is not read as an ARN, and then fails as a name.
 */
function storeArn(ref: string): { service: string; account: string; resource: string } | undefined {
  const arn = splitArn(ref);
  const plausible =
    arn !== undefined &&
    /^aws(?:-[a-z]+)*$/.test(arn.partition) &&
    /^[a-z0-9-]*$/.test(arn.region) &&
    /^(\d{12}|\*)?$/.test(arn.account) &&
    arn.resource !== '';
  return plausible ? arn : undefined;
}

/**
 * `sm:<account or *>:<name>` for a name, partial ARN or full ARN. A full ARN's 6-character suffix is
 * dropped; a bare name is taken as written (names may themselves end in `-xxxxxx`, which is why AWS
 * warns against such names).
 */
export function secretsManagerKey(ref: string, account = '*'): string | undefined {
  return secretsManagerKeys(ref, account)[0];
}

/**
 * The keys a Secrets Manager reference stands for: the canonical one first, then — for an ARN whose name
 * still carries its suffix as written in the registry — that literal spelling too, so both compare.
 */
export function secretsManagerKeys(ref: string, account = '*'): string[] {
  const arn = storeArn(ref);
  if (!arn) return SECRETS_MANAGER_NAME.test(ref) ? [`sm:${account}:${ref}`] : [];
  if (arn.service !== 'secretsmanager' || !arn.resource.startsWith('secret:')) return [];
  const written = arn.resource.slice('secret:'.length);
  const base = /^(.+)-[A-Za-z0-9]{6}$/.exec(written)?.[1] ?? written;
  if (!SECRETS_MANAGER_NAME.test(base)) return [];
  const owner = arn.account || account;
  return base === written ? [`sm:${owner}:${base}`] : [`sm:${owner}:${base}`, `sm:${owner}:${written}`];
}

/** `ssm:<account or *>:<name without its leading slash>`. */
export function ssmKey(ref: string, account = '*'): string | undefined {
  const arn = storeArn(ref);
  if (arn) {
    if (arn.service !== 'ssm' || !arn.resource.startsWith('parameter/')) return undefined;
    return `ssm:${arn.account || account}:${arn.resource.slice('parameter/'.length).replace(/^\/+/, '')}`;
  }
  return SSM_NAME.test(ref) ? `ssm:${account}:${ref.replace(/^\/+/, '')}` : undefined;
}

export function keyVaultKey(vault: string, secret: string): string {
  return `kv:${vault.toLowerCase()}/${secret.toLowerCase()}`;
}

/** `https://{vault}.vault.azure.net/secrets/{name}[/{version}]` (any sovereign-cloud suffix). */
export function keyVaultKeyOfUrl(url: string): string | undefined {
  const match =
    /^https:\/\/([A-Za-z0-9-]{3,24})\.vault\.[a-z0-9.-]+\/secrets\/([A-Za-z0-9-]{1,127})(?:\/[^/?#]*)?\/?(?:[?#].*)?$/i.exec(
      url,
    );
  return match?.[1] && match[2] ? keyVaultKey(match[1], match[2]) : undefined;
}

/** `projects/P/secrets/S` or any of its versions → `gsm:projects/P/secrets/S`. */
export function gcpSecretKey(resource: string): string | undefined {
  const match = /^projects\/([^/]+)\/secrets\/([^/]+)(?:\/versions\/[^/]+)?$/.exec(resource);
  return match ? `gsm:projects/${match[1]}/secrets/${match[2]}` : undefined;
}

/** The canonical keys one registry store stands for. */
export function storeKeys(store: CredentialStore): string[] {
  if ('secretsManager' in store) return secretsManagerKeys(store.secretsManager);
  if ('ssmParameter' in store) {
    const key = ssmKey(store.ssmParameter);
    return key ? [key] : [];
  }
  if ('keyVault' in store) return [keyVaultKey(store.keyVault.vault, store.keyVault.secret)];
  if ('vault' in store) return vaultStoreKeys(store.vault);
  const key = gcpSecretKey(store.gcpSecret);
  return key ? [key] : [];
}

/**
 * Keys compare on the name; an account in both must agree. A registry key without an account
 * (`sm:*:name`) matches the name in any account.
 */
export function sameStoreKey(registered: string, seen: string): boolean {
  if (registered === seen) return true;
  const [kind, account, ...rest] = registered.split(':');
  const [seenKind, seenAccount, ...seenRest] = seen.split(':');
  if (kind === undefined || !SCOPED_KINDS.has(kind) || kind !== seenKind) return false;
  if (!(account === '*' || seenAccount === '*' || account === seenAccount)) return false;
  const name = rest.join(':');
  const seenName = seenRest.join(':');
  if (kind === 'ssm' && seenName.endsWith('*')) {
    // GetParametersByPath: `path/**` reads every descendant, `path/*` the direct children.
    const recursive = seenName.endsWith('**');
    const prefix = seenName.slice(0, recursive ? -2 : -1);
    return name.startsWith(prefix) && (recursive || !name.slice(prefix.length).includes('/'));
  }
  return name === seenName;
}

/**
 * How a page names a store: `AWS Secrets Manager prod/breakglass/root`. A Vault policy's body is HMAC'd
 * in the audit log, so the page says its name and that its content cannot be read.
 */
export function describeStore(key: string): string {
  const kind = key.split(':')[0] as keyof typeof STORE_LABELS;
  const name = `${STORE_LABELS[kind]} ${storeName(key)}`;
  return kind === 'hvp' ? `${name} (its content is HMAC'd in the audit log and cannot be read)` : name;
}

/** The part of a key after its kind and account: what {@link sameStoreKey} compares. */
export function storeName(key: string): string {
  const [kind, ...rest] = key.split(':');
  return kind !== undefined && SCOPED_KINDS.has(kind) ? rest.slice(1).join(':') : rest.join(':');
}
