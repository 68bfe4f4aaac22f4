import { v2 } from '@google-cloud/logging';
import { GoogleAuth } from 'google-auth-library';
import type { GcpPlumbing } from '../../core/assure/verify/gcp.js';
import { PUBSUB_SCOPES, restPubSub } from './pubsub-rest.js';

/** gRPC NOT_FOUND: the sink does not exist (an answer, not an error). */
const NOT_FOUND = 5;

/**
 * The GCP side of `glasswatch verify`: Cloud Logging's ConfigServiceV2.GetSink by the sink's full name
 * (organization, folder or project sinks alike), with the client's credentials (Application Default
 * Credentials locally), and the topic and subscription through Pub/Sub REST ({@link restPubSub}).
 */
export function gcpPlumbing(
  client: InstanceType<typeof v2.ConfigServiceV2Client> = new v2.ConfigServiceV2Client(),
  pubsub = restPubSub(new GoogleAuth({ scopes: PUBSUB_SCOPES })),
): GcpPlumbing {
  return {
    ...pubsub,
    async sink(name) {
      try {
        const [sink] = await client.getSink({ sinkName: name });
        return { filter: sink.filter ?? '', destination: sink.destination ?? '' };
      } catch (error) {
        if ((error as { code?: unknown }).code === NOT_FOUND) return undefined;
        throw error;
      }
    },
  };
}
