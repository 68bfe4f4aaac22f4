import type { VaultStore } from './credential-schema.js';

/**
 * HashiCorp Vault KV secrets as the registry names them and as the file audit device writes them
 * (`request.path`, relative to `request.namespace.path`). One secret has several API paths:
 * - KV v1: `MOUNT/NAME` for read, write and delete
 *   (https://developer.hashicorp.com/vault/api-docs/secret/kv/kv-v1);
 * - KV v2: `MOUNT/data/NAME` (read, write, soft delete of the latest version), `MOUNT/metadata/NAME`
 *   (versions and settings; a delete there removes every version), `MOUNT/delete/NAME`,
 *   `MOUNT/undelete/NAME`, `MOUNT/destroy/NAME` (https://developer.hashicorp.com/vault/api-docs/secret/kv/kv-v2),
 *   and the CLI's logical `MOUNT/NAME` (`vault kv get -mount=MOUNT NAME`).
 *
 * The registry need not say v1 or v2: a path is compared in both readings (a duplicate finding is
 * better than a miss). Canonical keys are `hv:<namespace or *>:<path>`, one per reading; a read or
 * change and the registry entry match when a key of each is equal. ACL policies (`sys/policy/NAME`,
 * `sys/policies/acl/NAME`) are `hvp:<namespace or *>:<name>`.
 */

/** The KV v2 endpoints between the mount and the secret's name. */
export const KV2_ENDPOINTS = ['data', 'metadata', 'delete', 'undelete', 'destroy'] as const;
export type Kv2Endpoint = (typeof KV2_ENDPOINTS)[number];

/** Segments: no empty one, no glob (`*`, `+`), no whitespace or control characters. */
const SEGMENT = /^[^\s*+/\p{Cc}]{1,512}$/u;

/** A path's segments, or undefined when one is empty, a glob or has whitespace. */
export function pathSegments(path: string): string[] | undefined {
  const parts = path.replace(/^\/+|\/+$/g, '').split('/');
  return parts.every((p) => SEGMENT.test(p)) ? parts : undefined;
}

/** `root` for the root namespace (`""`, `/`, `root`), else the path without its slashes. */
export function vaultNamespace(namespace: string | undefined): string {
  const trimmed = (namespace ?? '').replace(/^\/+|\/+$/g, '');
  return trimmed === '' || trimmed === 'root' ? 'root' : trimmed;
}

/**
 * Every reading of a path: as written (v1, or a v2 path named literally) and, for each place where one
 * of `endpoints` could follow the mount, the logical v2 name without it. With a known mount only that
 * place is tried; without one every place after the first segment is (mounts may have several segments).
 */
export function kvReadings(path: string, endpoints: readonly Kv2Endpoint[], mount?: string): string[] {
  const parts = pathSegments(path);
  if (!parts) return [];
  const readings = new Set([parts.join('/')]);
  const mountParts = mount === undefined ? undefined : pathSegments(mount);
  const places = mountParts ? [mountParts.length] : parts.map((_, i) => i).slice(1);
  for (const i of places) {
    const endpoint = parts[i] as Kv2Endpoint | undefined;
    if (i >= parts.length - 1 || endpoint === undefined || !endpoints.includes(endpoint)) continue;
    if (mountParts && !mountParts.every((s, j) => parts[j] === s)) continue;
    readings.add([...parts.slice(0, i), ...parts.slice(i + 1)].join('/'));
  }
  return [...readings];
}

export function vaultSecretKeys(
  path: string,
  endpoints: readonly Kv2Endpoint[],
  namespace: string,
  mount?: string,
): string[] {
  return kvReadings(path, endpoints, mount).map((p) => `hv:${namespace}:${p}`);
}

export function vaultPolicyKey(name: string, namespace: string): string {
  return `hvp:${namespace}:${name.toLowerCase()}`;
}

/** The keys a registry Vault store stands for: the secret in both readings, and its policies. */
export function vaultStoreKeys(store: VaultStore): string[] {
  const namespace = store.namespace === undefined ? '*' : vaultNamespace(store.namespace);
  return [
    ...vaultSecretKeys(store.path, ['data', 'metadata'], namespace, store.mount),
    ...store.policies.map((p) => vaultPolicyKey(p, namespace)),
  ];
}
