import type { Received, Reply } from '../vendor-servers/base.js';

/**
 * The Microsoft Entra endpoints a client-secret credential (@azure/identity's ClientSecretCredential,
 * through MSAL) asks, for the local Azure servers to serve beside their API, as documented:
 * `GET /{tenant}/v2.0/.well-known/openid-configuration` and `POST /{tenant}/oauth2/v2.0/token` (OAuth 2.0
 * client credentials, form-encoded): the configured client id and secret, `grant_type=client_credentials`,
 * the server's one `scope` → `{token_type: "Bearer", expires_in, access_token}`; 401 `invalid_client`
 * (AADSTS7000215) for another secret, 400 `invalid_scope` (AADSTS70011) for another scope.
 */
export class EntraTokenEndpoint {
  readonly tenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47';
  readonly clientId = '6a1c2f7e-0d4b-4e8a-9c3f-5b2d8e7a1f40';
  readonly clientSecret = 'local-client-secret';
  private readonly tokens = new Set<string>();

  constructor(readonly scope: string) {}

  /** Token requests are form-encoded (any other body is refused as Entra does); other paths go to `api`'s rule. */
  refuseMediaType(request: Received, api: (request: Received) => Reply | undefined): Reply | undefined {
    if (!request.path.endsWith('/oauth2/v2.0/token')) return api(request);
    return /^application\/x-www-form-urlencoded\b/i.test(String(request.headers['content-type']))
      ? undefined
      : { status: 400, body: { error: 'invalid_request', error_description: 'AADSTS900144: form body expected' } };
  }

  /** The answer for an Entra path, or undefined for any other path. */
  route(request: Received, serverUrl: string): Reply | undefined {
    const tenant = `/${this.tenantId}`;
    if (request.method === 'GET' && request.path === `${tenant}/v2.0/.well-known/openid-configuration`) {
      const base = `${serverUrl}${tenant}`;
      return {
        status: 200,
        body: {
          issuer: `${base}/v2.0`,
          authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
          token_endpoint: `${base}/oauth2/v2.0/token`,
          jwks_uri: `${base}/discovery/v2.0/keys`,
        },
      };
    }
    if (request.method === 'POST' && request.path === `${tenant}/oauth2/v2.0/token`) return this.token(request);
    return undefined;
  }

  /** Whether the request carries a Bearer token issued here. */
  authorized(request: Received): boolean {
    const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
    return bearer !== undefined && this.tokens.has(bearer);
  }

  private token(request: Received): Reply {
    const form = new URLSearchParams(request.raw);
    if (form.get('client_id') !== this.clientId || form.get('client_secret') !== this.clientSecret)
      return {
        status: 401,
        body: {
          error: 'invalid_client',
          error_description: 'AADSTS7000215: Invalid client secret provided.',
          error_codes: [7000215],
        },
      };
    if (form.get('grant_type') !== 'client_credentials' || form.get('scope') !== this.scope)
      return { status: 400, body: { error: 'invalid_scope', error_description: 'AADSTS70011: invalid scope' } };
    const token = `eyJ0eXAiOiJKV1QifQ.local-${this.tokens.size + 1}.sig`;
    this.tokens.add(token);
    return { status: 200, body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token } };
  }
}
