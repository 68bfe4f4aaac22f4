import { type Received, type Reply, VendorServer } from '../vendor-servers/base.js';

/**
 * The Compute Engine / Cloud Run metadata server's identity endpoint, as documented
 * (cloud.google.com/compute/docs/metadata/querying-metadata, …/instances/verifying-instance-identity):
 * `GET /computeMetadata/v1/instance/service-accounts/default/identity?audience=…[&format=full]`
 * with the header `Metadata-Flavor: Google` (403 without it) and a non-empty audience (400 without)
 * → a Google-signed ID token (a JWT: `iss` https://accounts.google.com, `aud` the audience, `sub` the
 * service account's unique id, `email`), answered as text with `Metadata-Flavor: Google`. Reached
 * through `GCE_METADATA_HOST`, the variable Google's clients honour. The signature is a placeholder:
 * AWS STS verifies it, and the local STS of the tests checks the claims only.
 */
export class GceMetadataServer extends VendorServer {
  /** The service account's unique id: what a role's trust policy pins (`accounts.google.com:sub`). */
  readonly subject = '113412217894123456789';
  readonly email = 'glasswatch-push@bg-prod.iam.gserviceaccount.com';
  /** Answer HTML instead of a token (as a captive proxy does off Google Cloud). */
  answerHtml = false;
  readonly issued: string[] = [];

  /** `host:port`, the value of `GCE_METADATA_HOST`. */
  get host(): string {
    return this.url.replace(/^http:\/\//, '');
  }

  protected route(request: Received): Reply {
    if (request.method !== 'GET' || request.path !== '/computeMetadata/v1/instance/service-accounts/default/identity')
      return { status: 404, body: 'Not Found' };
    if (request.headers['metadata-flavor'] !== 'Google')
      return { status: 403, body: 'Missing Metadata-Flavor:Google header.' };
    const audience = request.query.get('audience') ?? '';
    if (audience === '') return { status: 400, body: 'non-empty audience parameter required' };
    if (this.answerHtml) return { status: 200, body: '<html>', headers: { 'content-type': 'text/html' } };
    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const token = [
      part({ alg: 'RS256', typ: 'JWT', kid: 'local' }),
      part({
        iss: 'https://accounts.google.com',
        aud: audience,
        sub: this.subject,
        azp: this.subject,
        email: this.email,
        email_verified: true,
        iat: 1_700_000_000,
        exp: 1_700_003_600,
      }),
      'local-signature',
    ].join('.');
    this.issued.push(token);
    return { status: 200, body: token, headers: { 'content-type': 'text/html', 'metadata-flavor': 'Google' } };
  }
}

/** The claims of a JWT (no verification: the tests read what was sent). */
export function jwtClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}
