import type { SecretRef } from '../../core/act/config-schema.js';
import type { SecretResolver } from '../../core/act/secrets.js';

/**
 * Resolves a driver's credentials once and keeps them in memory for the process (never logged).
 * A failed resolution is not cached, so a secret created after start is picked up on the next try.
 */
export function cachedSecrets<K extends string>(
  resolver: SecretResolver,
  refs: Readonly<Record<K, SecretRef | string>>,
): () => Promise<Record<K, string>> {
  let pending: Promise<Record<K, string>> | undefined;
  return () => {
    pending ??= (async () => {
      const entries = await Promise.all(
        (Object.entries(refs) as [K, SecretRef | string][]).map(
          async ([name, ref]) => [name, typeof ref === 'string' ? ref : await resolver.resolve(ref)] as const,
        ),
      );
      return Object.fromEntries(entries) as Record<K, string>;
    })().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
