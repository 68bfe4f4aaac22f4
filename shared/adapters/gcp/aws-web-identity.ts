import { fromWebToken } from '@aws-sdk/credential-provider-web-identity';

/** The credentials an AWS SDK client accepts, as `fromWebToken` yields them. */
export type AwsCredentialIdentity = Awaited<ReturnType<ReturnType<typeof fromWebToken>>>;
export type AwsCredentialIdentityProvider = () => Promise<AwsCredentialIdentity>;

/**
 * AWS credentials for code running in Google Cloud, without a stored key: the function's service
 * account gets a Google-signed ID token from the metadata server, and AWS STS
 * AssumeRoleWithWebIdentity exchanges it for a one-hour session of a role that trusts exactly that
 * service account (`accounts.google.com:sub` = its unique id, `accounts.google.com:oaud` = the audience).
 * https://cloud.google.com/compute/docs/instances/verifying-instance-identity
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_oidc_user-id.html
 */

export const METADATA_IDENTITY_URL =
  'http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/identity';

/**
 * The identity URL on the metadata server `GCE_METADATA_HOST` names (host[:port]), the variable
 * Google's own clients (gcp-metadata, the gcloud SDK) honour to reach an emulator; the
 * documented host otherwise.
 */
export function metadataIdentityUrl(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const host = env.GCE_METADATA_HOST?.trim();
  return host ? `http://${host}/computeMetadata/v1/instance/service-accounts/default/identity` : METADATA_IDENTITY_URL;
}

export class GoogleIdentityError extends Error {
  override readonly name = 'GoogleIdentityError';
}

/** Reads an ID token for `audience` from the metadata server. */
export async function metadataIdToken(
  audience: string,
  fetchImpl: typeof fetch = fetch,
  url = metadataIdentityUrl(),
): Promise<string> {
  let response: Response;
  try {
    response = await fetchImpl(`${url}?audience=${encodeURIComponent(audience)}&format=full`, {
      headers: { 'Metadata-Flavor': 'Google' },
      signal: AbortSignal.timeout(5_000),
    });
  } catch (error) {
    throw new GoogleIdentityError(`metadata server ${url}: unreachable (not running on Google Cloud?)`, {
      cause: error,
    });
  }
  if (!response.ok) throw new GoogleIdentityError(`metadata server ${url}: HTTP ${response.status} for an ID token`);
  const token = (await response.text()).trim();
  if (token.split('.').length !== 3) throw new GoogleIdentityError(`metadata server ${url}: the answer is not a JWT`);
  return token;
}

export interface GoogleToAwsOptions {
  roleArn: string;
  /** The audience the role's trust policy expects (`accounts.google.com:oaud`). */
  audience: string;
  region: string;
  /** Shown in CloudTrail as the session name. */
  sessionName?: string;
  idToken?: (audience: string) => Promise<string>;
  /** Another STS endpoint (a VPC endpoint; a local stand-in in tests). */
  stsEndpoint?: string;
}

/**
 * A credential provider for AWS SDK clients. Each call mints a fresh ID token and assumes the role;
 * SDK clients cache the result until shortly before it expires.
 *
 * @example
 * const dynamo = new DynamoDBClient({ region, credentials: awsCredentialsFromGoogle({ roleArn, audience, region }) });
 */
export function awsCredentialsFromGoogle(options: GoogleToAwsOptions): AwsCredentialIdentityProvider {
  const idToken = options.idToken ?? ((audience: string) => metadataIdToken(audience));
  return async (): Promise<AwsCredentialIdentity> =>
    fromWebToken({
      roleArn: options.roleArn,
      webIdentityToken: await idToken(options.audience),
      roleSessionName: options.sessionName ?? 'glasswatch-gcp-function',
      durationSeconds: 3600,
      clientConfig: { region: options.region, ...(options.stsEndpoint ? { endpoint: options.stsEndpoint } : {}) },
    })();
}
