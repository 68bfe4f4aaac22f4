import { GoogleAuth } from 'google-auth-library';
import { z } from 'zod';
import { azureCredentialFrom } from '../../adapters/azure/credentials.js';
import { armPlumbing } from '../../adapters/azure/plumbing.js';
import { googleCredentialsFrom } from '../../adapters/gcp/credentials.js';
import { gcpPlumbing, VERIFY_SCOPES } from '../../adapters/gcp/plumbing.js';
import type { AzurePlumbing } from '../../core/assure/verify/azure.js';
import type { GcpPlumbing } from '../../core/assure/verify/gcp.js';
import { settingsReader } from '../settings.js';

/**
 * The GCP and Azure read-back clients of the deployed verify function, with the credentials the stack's
 * pollers use: the GCP poller's workload identity federation config (the function's own AWS role is
 * what Google's STS trusts: infra/gcp admits it beside the poller's) and the Azure poller's app
 * registration, both from Secrets Manager. A cloud whose secret the stack does not give is not checked,
 * with the reason; a secret that cannot be read or parsed fails each of that cloud's checks ("could not
 * read: …"), so a broken credential pages instead of passing.
 */

const url = z.url().optional();
const VARIABLES = {
  /** Set by the template when the stack has the GCP poller (GcpResources): its GcpCredentialsSecret. */
  GLASSWATCH_GCP_CREDENTIALS_SECRET_REF: z.string().trim().optional(),
  /** Set when the stack has the Azure poller (AzureWorkspaceId): its AzureCredentialsSecret. */
  GLASSWATCH_AZURE_CREDENTIALS_SECRET_REF: z.string().trim().optional(),
  /** Another Cloud Logging / Pub/Sub endpoint (Private Service Connect), default the public ones. */
  GLASSWATCH_GCP_LOGGING_URL: url,
  GLASSWATCH_GCP_PUBSUB_URL: url,
  /** Another Resource Manager and Entra authority (a national cloud), default the public ones. */
  GLASSWATCH_AZURE_ARM_URL: url,
  GLASSWATCH_AZURE_AUTHORITY_HOST: url,
} as const;
const readVerifySettings = settingsReader(VARIABLES);

export interface CloudPlumbing {
  gcp: GcpPlumbing | undefined;
  azure: AzurePlumbing | undefined;
  /** Why a cloud is not checked by this function. */
  missing: { gcp: string; azure: string };
}

/**
 * A plumbing whose client is built on first use from the secret (the resolver caches it 5 minutes, so
 * a rotated secret is picked up without a cold start); a failure to build fails the call that needed it.
 */
function lazy<T extends object>(client: () => Promise<T>, methods: readonly (keyof T & string)[]): T {
  const call =
    (method: keyof T & string) =>
    async (...args: unknown[]) => {
      const built = await client();
      return (built[method] as (...a: unknown[]) => unknown).apply(built, args);
    };
  return Object.fromEntries(methods.map((m) => [m, call(m)])) as T;
}

/**
 * @example
 * const clouds = verifyClouds(process.env, (id) => secrets.resolve({ secretsManager: id }));
 */
export function verifyClouds(
  env: Readonly<Record<string, string | undefined>>,
  secretText: (secretId: string) => Promise<string>,
): CloudPlumbing {
  const s = readVerifySettings(env, Object.keys(VARIABLES) as (keyof typeof VARIABLES)[]);
  const cached = <T>(secretId: string, make: (text: string) => T) => {
    let current: { text: string; client: T } | undefined;
    return async () => {
      const text = await secretText(secretId);
      if (current?.text !== text) current = { text, client: make(text) };
      return current.client;
    };
  };
  const gcpId = s.GLASSWATCH_GCP_CREDENTIALS_SECRET_REF;
  const azureId = s.GLASSWATCH_AZURE_CREDENTIALS_SECRET_REF;
  const gcp = gcpId
    ? lazy<GcpPlumbing>(
        cached(gcpId, (text) =>
          gcpPlumbing(new GoogleAuth({ credentials: googleCredentialsFrom(text, gcpId), scopes: VERIFY_SCOPES }), {
            ...(s.GLASSWATCH_GCP_LOGGING_URL ? { logging: s.GLASSWATCH_GCP_LOGGING_URL } : {}),
            ...(s.GLASSWATCH_GCP_PUBSUB_URL ? { pubsub: s.GLASSWATCH_GCP_PUBSUB_URL } : {}),
          }),
        ),
        ['sink', 'topic', 'subscription'],
      )
    : undefined;
  const authority = s.GLASSWATCH_AZURE_AUTHORITY_HOST;
  const azure = azureId
    ? lazy<AzurePlumbing>(
        cached(azureId, (text) =>
          armPlumbing(
            // An authority given explicitly is used as is: no instance discovery at login.microsoftonline.com.
            azureCredentialFrom(
              text,
              azureId,
              authority ? { authorityHost: authority, disableInstanceDiscovery: true } : {},
            ),
            s.GLASSWATCH_AZURE_ARM_URL ? { baseUrl: s.GLASSWATCH_AZURE_ARM_URL } : {},
          ),
        ),
        ['diagnosticSettings'],
      )
    : undefined;
  return {
    gcp,
    azure,
    missing: {
      gcp: 'the stack has no GCP credentials (stack parameter GcpResources empty: no GcpCredentialsSecret)',
      azure: 'the stack has no Azure credentials (stack parameter AzureWorkspaceId empty: no AzureCredentialsSecret)',
    },
  };
}
