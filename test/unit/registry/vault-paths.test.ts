import { describe, expect, it } from 'vitest';
import { sameStoreKey, storeKeys } from '../../../shared/core/registry/credential-stores.js';
import { kvReadings, vaultNamespace, vaultSecretKeys } from '../../../shared/core/registry/vault-paths.js';

/**
 * One Vault KV secret, many paths (KV v1 and v2 API pages): the registry need not say which version;
 * both readings are compared, the metadata path is not a read of the value, and namespaces keep apart.
 */
function matches(registered: string[], seen: string[]): boolean {
  return registered.some((r) => seen.some((s) => sameStoreKey(r, s)));
}

describe('Vault KV keys', () => {
  const v2 = storeKeys({ vault: { path: 'secret/data/breakglass/root', policies: [] } });
  const logical = storeKeys({ vault: { path: 'secret/breakglass/root', policies: [] } });

  it('the v2 data path and the logical path of the registry are the same secret', () => {
    expect(v2).toEqual(['hv:*:secret/data/breakglass/root', 'hv:*:secret/breakglass/root']);
    expect(logical).toEqual(['hv:*:secret/breakglass/root']);
    for (const registered of [v2, logical]) {
      expect(matches(registered, vaultSecretKeys('secret/data/breakglass/root', ['data'], 'root'))).toBe(true);
      expect(matches(registered, vaultSecretKeys('secret/breakglass/root', ['data'], 'root'))).toBe(true);
      expect(matches(registered, vaultSecretKeys('secret/metadata/breakglass/root', ['data'], 'root'))).toBe(false);
      expect(matches(registered, vaultSecretKeys('secret/data/breakglass/root2', ['data'], 'root'))).toBe(false);
      for (const endpoint of ['metadata', 'delete', 'undelete', 'destroy'] as const) {
        const seen = vaultSecretKeys(`secret/${endpoint}/breakglass/root`, [endpoint], 'root');
        expect(matches(registered, seen), endpoint).toBe(true);
      }
    }
  });

  it('a mount of several segments: tried at every place without mount_point, only at the mount with it', () => {
    expect(kvReadings('kv/team-a/data/bg', ['data'])).toEqual(['kv/team-a/data/bg', 'kv/team-a/bg']);
    expect(kvReadings('kv/team-a/data/bg', ['data'], 'kv/team-a/')).toEqual(['kv/team-a/data/bg', 'kv/team-a/bg']);
    expect(kvReadings('kv/data/x/data/y', ['data'], 'kv/')).toEqual(['kv/data/x/data/y', 'kv/x/data/y']);
    expect(storeKeys({ vault: { path: 'kv/team-a/data/bg', mount: 'kv/team-a', policies: [] } })).toEqual([
      'hv:*:kv/team-a/data/bg',
      'hv:*:kv/team-a/bg',
    ]);
  });

  it('namespaces: absent in the registry matches any, declared matches only its own (root spelled three ways)', () => {
    expect(vaultNamespace('')).toBe('root');
    expect(vaultNamespace('root')).toBe('root');
    expect(vaultNamespace('admin/ops/')).toBe('admin/ops');
    const scoped = storeKeys({ vault: { path: 'secret/bg', namespace: 'admin/ops/', policies: ['BG-Reader'] } });
    expect(scoped).toEqual(['hv:admin/ops:secret/bg', 'hvp:admin/ops:bg-reader']);
    expect(matches(scoped, vaultSecretKeys('secret/data/bg', ['data'], 'admin/ops'))).toBe(true);
    expect(matches(scoped, vaultSecretKeys('secret/data/bg', ['data'], 'root'))).toBe(false);
    expect(matches(v2, vaultSecretKeys('secret/data/breakglass/root', ['data'], 'admin'))).toBe(true);
  });
});
