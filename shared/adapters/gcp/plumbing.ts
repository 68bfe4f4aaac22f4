import { GoogleAuth } from 'google-auth-library';
import type { GcpPlumbing } from '../../core/assure/verify/gcp.js';
import { LOGGING_READ_SCOPES } from './entries-client.js';
import { googleGet, type Json } from './google-rest.js';
import { PUBSUB_SCOPES, PUBSUB_URL, restPubSub } from './pubsub-rest.js';

/**
 * The GCP side of `glasswatch verify` and of the verify function, all over REST with one
 * google-auth-library `GoogleAuth`: Cloud Logging's `sinks.get` by the sink's full name
 * (`GET https://logging.googleapis.com/v2/{sinkName=organizations/*\/sinks/*}`, folder, project and
 * billing-account sinks alike; the LogSink of
 * https://cloud.google.com/logging/docs/reference/v2/rest/v2/organizations.sinks: `destination`,
 * `filter`, `disabled`, `exclusions[]`), and the topic and subscription through Pub/Sub REST
 * ({@link restPubSub}). REST and not `@google-cloud/logging`'s ConfigServiceV2 gRPC client: one GET
 * does not need google-gax, which reads proto files beside its sources at run time and so cannot go
 * into a single-file Lambda bundle (the pollers avoid it for the same reason).
 */

export const LOGGING_URL = 'https://logging.googleapis.com';
/** What one verify run asks its token for: reading sinks (the poller's read-only Logging scope), topics and subscriptions. */
export const VERIFY_SCOPES = [...LOGGING_READ_SCOPES, ...PUBSUB_SCOPES];

/**
 * @example
 * const gcp = gcpPlumbing(new GoogleAuth({ scopes: VERIFY_SCOPES })); // Application Default Credentials
 */
export function gcpPlumbing(
  auth: Pick<GoogleAuth, 'request'> = new GoogleAuth({ scopes: VERIFY_SCOPES }),
  urls: { logging?: string; pubsub?: string } = {},
): GcpPlumbing {
  const sinks = {
    service: 'Cloud Logging',
    baseUrl: `${urls.logging ?? LOGGING_URL}/v2`,
    name: /^(projects|organizations|folders|billingAccounts)\/[^/]+\/sinks\/[^/]+$/,
    nameShape: 'organizations/…/sinks/… (or projects/, folders/, billingAccounts/)',
  };
  return {
    ...restPubSub(auth, urls.pubsub ?? PUBSUB_URL),
    async sink(name) {
      const sink = await googleGet(auth, sinks, name);
      if (!sink) return undefined;
      const exclusions = Array.isArray(sink.exclusions) ? (sink.exclusions as Json[]) : [];
      return {
        filter: typeof sink.filter === 'string' ? sink.filter : '',
        destination: typeof sink.destination === 'string' ? sink.destination : '',
        disabled: sink.disabled === true,
        // An exclusion that is itself disabled excludes nothing.
        exclusions: exclusions
          .filter((e) => e?.disabled !== true)
          .map((e) => (typeof e?.name === 'string' ? e.name : '(unnamed)')),
      };
    },
  };
}
