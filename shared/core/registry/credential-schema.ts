import { z } from 'zod';
import { secretsManagerKey, ssmKey } from './credential-stores.js';
import { pathSegments } from './vault-paths.js';

/**
 * The registry's `credential` block as zod schemas: where the credential is kept and who may open it.
 * Apart from the key functions (credential-stores.ts, vault-paths.ts) so that what matches records —
 * the detection workers among it — loads without zod.
 */

const VAULT_NAME = /^[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]$/;
const KV_SECRET_NAME = /^[A-Za-z0-9-]{1,127}$/;
const GCP_SECRET = /^projects\/[a-z0-9][a-z0-9-]{0,62}\/secrets\/[A-Za-z0-9_-]{1,255}$/;

/** Vault policy names: the API lower-cases them; letters, digits and `-_.@` in practice. */
const POLICY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,127}$/;

const kvPath = z
  .string()
  .max(2048)
  .refine((p) => (pathSegments(p)?.length ?? 0) >= 2 && !/^\/?v1\//.test(p), {
    message: 'a KV path MOUNT/NAME or MOUNT/data/NAME (no /v1/ prefix, no wildcard)',
  });

export const vaultStoreSchema = z
  .object({
    vault: z
      .object({
        /** `secret/breakglass/root` or `secret/data/breakglass/root` (v1 or v2; both are watched). */
        path: kvPath,
        /** The mount when it has several segments (`kv/team-a`); default: the first segment. */
        mount: z
          .string()
          .refine((m) => pathSegments(m) !== undefined, 'a mount path such as secret or kv/team-a')
          .optional(),
        /** Vault Enterprise namespace (`request.namespace.path`, e.g. `admin/ops`); absent: any namespace. */
        namespace: z
          .string()
          .refine((n) => n === '' || pathSegments(n) !== undefined, 'a namespace path such as admin/ops')
          .optional(),
        /**
         * ACL policies that govern the path. Their bodies are HMAC'd in the audit log, so a policy write
         * cannot be tied to a path by its content: a write or delete of a named policy is a store change.
         */
        policies: z.array(z.string().regex(POLICY_NAME, 'a Vault policy name')).default([]),
      })
      .strict()
      .refine((v) => v.mount === undefined || isUnder(v.path, v.mount), {
        message: 'path must start with the mount',
        path: ['path'],
      }),
  })
  .strict();

export type VaultStore = z.output<typeof vaultStoreSchema>['vault'];

function isUnder(path: string, mount: string): boolean {
  const p = pathSegments(path);
  const m = pathSegments(mount);
  return p !== undefined && m !== undefined && p.length > m.length && m.every((s, i) => p[i] === s);
}

const secretsManagerRef = z
  .string()
  .refine((v) => secretsManagerKey(v) !== undefined, 'a Secrets Manager secret name or ARN');
const ssmRef = z.string().refine((v) => ssmKey(v) !== undefined, 'a Parameter Store name (/path/name) or ARN');

export const credentialStoreSchema = z.union([
  z.object({ secretsManager: secretsManagerRef }).strict(),
  z.object({ ssmParameter: ssmRef }).strict(),
  z
    .object({
      keyVault: z
        .object({
          vault: z.string().regex(VAULT_NAME, 'a Key Vault name (3-24 letters, digits, hyphens)'),
          secret: z.string().regex(KV_SECRET_NAME, 'a Key Vault secret name (letters, digits, hyphens)'),
        })
        .strict(),
    })
    .strict(),
  z.object({ gcpSecret: z.string().regex(GCP_SECRET, 'projects/PROJECT/secrets/SECRET') }).strict(),
  vaultStoreSchema,
]);

export const credentialSchema = z
  .object({
    /** Every place the credential is kept (`rotation.secretId` counts as one more). */
    stores: z.array(credentialStoreSchema).default([]),
    /**
     * Principals allowed to open the envelope, as they appear in the records: IAM role or user ARNs,
     * Entra object ids or UPNs, Google principals, Vault entity ids, display names (`auth.display_name`)
     * or policies. Absent: the approval path is not declared.
     */
    approvedReaders: z
      .array(
        z
          .string()
          .min(1)
          .max(2048)
          .refine(
            (r) => r.toLowerCase() !== 'default',
            "Vault's default policy is attached to every token: listing it would approve every reader",
          ),
      )
      .optional(),
    /** Principals whose reads are the rotation itself (the rotation function's role), not an opening. */
    rotationReaders: z.array(z.string().min(1).max(2048)).default([]),
    /**
     * A successful sign-in with no opening of the store in this many hours before it is
     * `signin.without-opening`: the credential exists outside the vault.
     */
    openingWindowHours: z
      .number()
      .positive()
      .max(24 * 31)
      .default(12),
  })
  .strict();

export type CredentialStore = z.output<typeof credentialStoreSchema>;
export type CredentialSettings = z.output<typeof credentialSchema>;
