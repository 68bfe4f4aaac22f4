import type { GoogleAuth } from 'google-auth-library';
import type { PubSubPlumbing, SubscriptionView } from '../../core/assure/verify/gcp-pubsub.js';
import { googleGet, type Json } from './google-rest.js';

/**
 * Pub/Sub's `projects.topics.get` and `projects.subscriptions.get` over REST
 * (https://cloud.google.com/pubsub/docs/reference/rest/v1/projects.topics/get,
 * …/projects.subscriptions/get) through {@link googleGet}. REST and not `@google-cloud/pubsub`: two
 * read-only GETs do not need a gRPC streaming client of ≈ 1 MB in the bundle, and
 * `google-auth-library` is already what `@google-cloud/logging` authenticates with.
 */

/** The public endpoint; a private or regional endpoint (or a local server) can be given instead. */
export const PUBSUB_URL = 'https://pubsub.googleapis.com';
/** Read-only use; Pub/Sub has no narrower OAuth scope than this one. */
export const PUBSUB_SCOPES = ['https://www.googleapis.com/auth/pubsub'];

export function restPubSub(auth: Pick<GoogleAuth, 'request'>, baseUrl = PUBSUB_URL): PubSubPlumbing {
  const api = {
    service: 'Pub/Sub',
    baseUrl: `${baseUrl}/v1`,
    name: /^projects\/[^/]+\/(topics|subscriptions)\/[^/]+$/,
    nameShape: 'projects/…/topics/… or projects/…/subscriptions/…',
  };
  return {
    async topic(name) {
      const topic = await googleGet(auth, api, name);
      return topic ? { name: typeof topic.name === 'string' ? topic.name : name } : undefined;
    },
    async subscription(name) {
      const sub = await googleGet(auth, api, name);
      if (!sub) return undefined;
      const push = sub.pushConfig as Json | undefined;
      const endpoint =
        typeof push?.pushEndpoint === 'string' && push.pushEndpoint !== '' ? push.pushEndpoint : undefined;
      return {
        topic: typeof sub.topic === 'string' ? sub.topic : '',
        ...(endpoint ? { pushEndpoint: endpoint } : {}),
        detached: sub.detached === true,
        ...(typeof sub.state === 'string' ? { state: sub.state } : {}),
      } satisfies SubscriptionView;
    },
  };
}
