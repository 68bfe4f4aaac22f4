import { z } from 'zod';

/**
 * Google credentials for the pull poller, from a Secrets Manager secret: a service-account key, or
 * (preferred, no key to leak) a workload identity federation config (`external_account`) that trades
 * the Lambda's own AWS credentials for a Google token. Validated before use so a wrong secret fails
 * naming the secret and the field, never echoing its value.
 */

const serviceAccountKey = z
  .object({
    type: z.literal('service_account'),
    client_email: z.email(),
    private_key: z.string().min(1),
    project_id: z.string().optional(),
  })
  .loose();

const externalAccount = z
  .object({
    type: z.literal('external_account'),
    audience: z.string().min(1),
    subject_token_type: z.string().min(1),
    token_url: z.url(),
    credential_source: z.record(z.string(), z.unknown()),
  })
  .loose();

const googleCredentials = z.discriminatedUnion('type', [serviceAccountKey, externalAccount]);

export type GoogleCredentials = z.output<typeof googleCredentials>;

export class GoogleCredentialsError extends Error {
  override readonly name = 'GoogleCredentialsError';
  constructor(secretId: string, problems: string[]) {
    super(
      `secret ${secretId}: not Google credentials (service_account key or external_account config): ${problems.join('; ')}`,
    );
  }
}

/**
 * Parses the secret's JSON into the `credentials` option of `new Logging({...})`.
 *
 * @example
 * const logging = new Logging({ credentials: googleCredentialsFrom(await secretText(id), id) });
 */
export function googleCredentialsFrom(secretText: string, secretId: string): GoogleCredentials {
  let value: unknown;
  try {
    value = JSON.parse(secretText);
  } catch {
    throw new GoogleCredentialsError(secretId, ['not JSON']);
  }
  const parsed = googleCredentials.safeParse(value);
  if (!parsed.success) {
    // Paths and messages only: the secret's values never reach an error.
    throw new GoogleCredentialsError(
      secretId,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.code}`),
    );
  }
  return parsed.data;
}
