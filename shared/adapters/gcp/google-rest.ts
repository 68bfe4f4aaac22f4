import type { GoogleAuth } from 'google-auth-library';

/**
 * One read-only `GET` of a Google REST resource by its full name, authenticated by a
 * google-auth-library `GoogleAuth` (Application Default Credentials, a service-account key or a
 * workload identity federation config). 404 `NOT_FOUND` is an answer (undefined); any other failure
 * names the service, the resource, the status and Google's `error.status` (403 `PERMISSION_DENIED`:
 * the reader lacks the permission). Used by the verify checks of Pub/Sub and Cloud Logging sinks.
 */

export class GoogleReadError extends Error {
  override readonly name = 'GoogleReadError';
  constructor(
    readonly service: string,
    readonly resource: string,
    readonly status: number,
    detail: string,
  ) {
    super(`${service} GET ${resource}: HTTP ${status} ${detail}`);
  }
}

export type Json = Record<string, unknown>;

/** Google's error body `{error: {code, message, status}}`, its fields capped (the text comes from the network). */
function googleStatus(data: unknown): string {
  const error = (data as { error?: { status?: unknown; message?: unknown } } | undefined)?.error;
  return [error?.status, error?.message]
    .filter((v): v is string => typeof v === 'string')
    .map((v) => v.slice(0, 200))
    .join(': ');
}

export interface GoogleResourceApi {
  service: string;
  /** `https://pubsub.googleapis.com/v1`: the resource name is appended to it. */
  baseUrl: string;
  /** The names this API reads; anything else is refused before a request is made. */
  name: RegExp;
  nameShape: string;
}

/**
 * @example
 * const topic = await googleGet(auth, PUBSUB, 'projects/p/topics/t');
 */
export async function googleGet(
  auth: Pick<GoogleAuth, 'request'>,
  api: GoogleResourceApi,
  name: string,
): Promise<Json | undefined> {
  if (!api.name.test(name)) throw new GoogleReadError(api.service, name, 0, `not a ${api.nameShape} name`);
  const response = await auth.request<Json>({
    url: `${api.baseUrl}/${name.split('/').map(encodeURIComponent).join('/')}`,
    method: 'GET',
    retry: false,
    timeout: 30_000,
    validateStatus: () => true,
  });
  if (response.status === 404) return undefined;
  if (response.status !== 200 || typeof response.data !== 'object' || response.data === null)
    throw new GoogleReadError(api.service, name, response.status, googleStatus(response.data) || 'unexpected answer');
  return response.data;
}
