import type { GoogleAuth } from 'google-auth-library';
import type { PubSubPlumbing, SubscriptionView } from '../../core/assure/verify/gcp-pubsub.js';

/**
 * Pub/Sub's `projects.topics.get` and `projects.subscriptions.get` over REST
 * (https://cloud.google.com/pubsub/docs/reference/rest/v1/projects.topics/get,
 * …/projects.subscriptions/get), authenticated by a google-auth-library `GoogleAuth` (Application
 * Default Credentials, a service-account key or a workload identity federation config). REST and not
 * `@google-cloud/pubsub`: two read-only GETs do not need a gRPC streaming client of ≈ 1 MB in the
 * bundle, and `google-auth-library` is already what `@google-cloud/logging` authenticates with.
 * 404 `NOT_FOUND` is an answer (undefined); any other failure names the resource, the status and
 * Google's `error.status` (403 `PERMISSION_DENIED`: the reader lacks `pubsub.subscriptions.get`).
 */

/** The public endpoint; a private or regional endpoint (or a local server) can be given instead. */
export const PUBSUB_URL = 'https://pubsub.googleapis.com';
/** Read-only use; Pub/Sub has no narrower OAuth scope than this one. */
export const PUBSUB_SCOPES = ['https://www.googleapis.com/auth/pubsub'];

export class PubSubReadError extends Error {
  override readonly name = 'PubSubReadError';
  constructor(
    readonly resource: string,
    readonly status: number,
    detail: string,
  ) {
    super(`Pub/Sub GET ${resource}: HTTP ${status} ${detail}`);
  }
}

type Json = Record<string, unknown>;

/** Google's error body `{error: {code, message, status}}`, its fields capped (the text comes from the network). */
function googleStatus(data: unknown): string {
  const error = (data as { error?: { status?: unknown; message?: unknown } } | undefined)?.error;
  return [error?.status, error?.message]
    .filter((v): v is string => typeof v === 'string')
    .map((v) => v.slice(0, 200))
    .join(': ');
}

export function restPubSub(auth: Pick<GoogleAuth, 'request'>, baseUrl = PUBSUB_URL): PubSubPlumbing {
  const get = async (name: string): Promise<Json | undefined> => {
    if (!/^projects\/[^/]+\/(topics|subscriptions)\/[^/]+$/.test(name))
      throw new PubSubReadError(name, 0, 'not a projects/…/topics/… or projects/…/subscriptions/… name');
    const response = await auth.request<Json>({
      url: `${baseUrl}/v1/${name.split('/').map(encodeURIComponent).join('/')}`,
      method: 'GET',
      retry: false,
      timeout: 30_000,
      validateStatus: () => true,
    });
    if (response.status === 404) return undefined;
    if (response.status !== 200 || typeof response.data !== 'object' || response.data === null)
      throw new PubSubReadError(name, response.status, googleStatus(response.data) || 'unexpected answer');
    return response.data;
  };
  return {
    async topic(name) {
      const topic = await get(name);
      return topic ? { name: typeof topic.name === 'string' ? topic.name : name } : undefined;
    },
    async subscription(name) {
      const sub = await get(name);
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
