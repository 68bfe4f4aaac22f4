import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GoogleAuth } from 'google-auth-library';
import { googleCredentialsFrom } from '../../../shared/adapters/gcp/credentials.js';
import type { Received, Reply } from '../vendor-servers/base.js';
import { CloudLoggingServer, googleError } from './cloud-logging.js';

/**
 * Pub/Sub's read methods beside Cloud Logging and its STS (the same tokens), as documented
 * (https://cloud.google.com/pubsub/docs/reference/rest/v1/projects.topics/get, …/projects.subscriptions/get,
 * the Topic and Subscription resources):
 * - `GET /v1/projects/{p}/topics/{t}` → the Topic `{name, labels?, messageRetentionDuration?}`;
 * - `GET /v1/projects/{p}/subscriptions/{s}` → the Subscription `{name, topic, pushConfig: {pushEndpoint,
 *   oidcToken?}, ackDeadlineSeconds, detached?, state}`; `topic` reads `_deleted-topic_` once its topic is
 *   deleted ({@link deleteTopic}), `pushConfig` is `{}` for a pull subscription;
 * - 401 `UNAUTHENTICATED` without a token STS issued, 404 `NOT_FOUND` "Resource not found (resource=…)."
 *   for a name that does not exist, 403 `PERMISSION_DENIED` "User not authorized to perform this
 *   action." for a resource the caller may not read ({@link deny}).
 */
export class PubSubServer extends CloudLoggingServer {
  static readonly AUDIENCE =
    '//iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/glasswatch/providers/aws';
  static readonly SUBJECT = 'eyJhbGciOiJSUzI1NiJ9.local-subject-token.signature';

  constructor() {
    super(PubSubServer.AUDIENCE, PubSubServer.SUBJECT);
  }

  /**
   * A GoogleAuth as the pipeline builds it from its secret: a workload identity federation config whose
   * subject token is read from a file in `dir` and traded at this server's STS.
   */
  async googleAuth(dir: string, scopes: string[]): Promise<GoogleAuth> {
    const tokenFile = join(dir, 'subject-token');
    await writeFile(tokenFile, PubSubServer.SUBJECT);
    const secret = JSON.stringify({
      type: 'external_account',
      audience: PubSubServer.AUDIENCE,
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      token_url: this.tokenUrl,
      credential_source: { file: tokenFile },
    });
    return new GoogleAuth({ credentials: googleCredentialsFrom(secret, 'gw/gcp'), scopes });
  }

  private readonly topics = new Map<string, Record<string, unknown>>();
  private readonly subscriptions = new Map<string, Record<string, unknown>>();
  private readonly denied = new Set<string>();

  get pubsubUrl(): string {
    return this.url;
  }

  createTopic(name: string): void {
    this.topics.set(name, { name, messageRetentionDuration: '604800s' });
  }

  /** As `projects.topics.delete`: the topic goes, its subscriptions stay with `topic: _deleted-topic_`. */
  deleteTopic(name: string): void {
    this.topics.delete(name);
    for (const sub of this.subscriptions.values()) if (sub.topic === name) sub.topic = '_deleted-topic_';
  }

  /** A push subscription as `gcloud pubsub subscriptions create --push-endpoint` leaves it; `changes` edit it. */
  createPushSubscription(name: string, topic: string, endpoint: string, changes: Record<string, unknown> = {}): void {
    this.subscriptions.set(name, {
      name,
      topic,
      pushConfig: {
        pushEndpoint: endpoint,
        oidcToken: { serviceAccountEmail: 'pusher@gw-prod.iam.gserviceaccount.com', audience: endpoint },
      },
      ackDeadlineSeconds: 60,
      messageRetentionDuration: '604800s',
      state: 'ACTIVE',
      ...changes,
    });
  }

  /** The caller lacks the `get` permission on this resource. */
  deny(name: string): void {
    this.denied.add(name);
  }

  protected override route(request: Received): Reply {
    const match = /^\/v1\/(projects\/[^/]+\/(topics|subscriptions)\/[^/]+)$/.exec(request.path);
    if (request.method !== 'GET' || !match?.[1]) return super.route(request);
    if (!this.authorized(request))
      return googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
    const name = decodeURIComponent(match[1]);
    if (this.denied.has(name))
      return googleError(403, 'PERMISSION_DENIED', 'User not authorized to perform this action.');
    const found = (match[2] === 'topics' ? this.topics : this.subscriptions).get(name);
    if (!found) return googleError(404, 'NOT_FOUND', `Resource not found (resource=${name.split('/').pop()}).`);
    return { status: 200, body: structuredClone(found) };
  }
}
