import { ClientCertificateCredential, ClientSecretCredential } from '@azure/identity';
import { z } from 'zod';

/**
 * The app registration's credential for the Log Analytics reader, from a Secrets Manager secret:
 * `{tenantId, clientId, clientSecret}` or, preferred, `{tenantId, clientId, certificatePem}` (a
 * certificate cannot be replayed from a log line the way a secret can). The app needs only the Log
 * Analytics Reader role on the workspace (infra/azure).
 */
const base = { tenantId: z.uuid(), clientId: z.uuid() };
const secretShape = z.union([
  z.object({ ...base, clientSecret: z.string().min(1) }).strict(),
  z.object({ ...base, certificatePem: z.string().includes('-----BEGIN') }).strict(),
]);

export class AzureCredentialsError extends Error {
  override readonly name = 'AzureCredentialsError';
  constructor(secretId: string, problems: string[]) {
    super(
      `secret ${secretId}: expected {tenantId, clientId, clientSecret} or {tenantId, clientId, certificatePem}: ${problems.join('; ')}`,
    );
  }
}

/**
 * @example
 * const client = new LogsQueryClient(azureCredentialFrom(await secrets.text(id), id));
 */
export function azureCredentialFrom(
  secretText: string,
  secretId: string,
  /** Another authority (a national cloud); the public one by default. */
  options: { authorityHost?: string; disableInstanceDiscovery?: boolean } = {},
): ClientSecretCredential | ClientCertificateCredential {
  let value: unknown;
  try {
    value = JSON.parse(secretText);
  } catch {
    throw new AzureCredentialsError(secretId, ['not JSON']);
  }
  const parsed = secretShape.safeParse(value);
  if (!parsed.success) {
    // Paths and issue codes only: secret values never reach an error message.
    throw new AzureCredentialsError(
      secretId,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.code}`),
    );
  }
  const s = parsed.data;
  return 'clientSecret' in s
    ? new ClientSecretCredential(s.tenantId, s.clientId, s.clientSecret, options)
    : new ClientCertificateCredential(s.tenantId, s.clientId, { certificate: s.certificatePem }, options);
}
