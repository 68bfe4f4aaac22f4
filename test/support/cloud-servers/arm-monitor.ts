import { type Received, type Reply, VendorServer } from '../vendor-servers/base.js';
import { EntraTokenEndpoint } from './entra-token.js';
import { localCertificate } from './tls.js';

/**
 * Azure Resource Manager's diagnostic-settings lists and the Entra token endpoint (scope
 * `https://management.azure.com/.default`) on one local HTTPS server, as documented:
 * - `GET {resourceUri}/providers/Microsoft.Insights/diagnosticSettings?api-version=2021-05-01-preview`
 *   (https://learn.microsoft.com/rest/api/monitor/diagnostic-settings/list) and the tenant's
 *   `GET /providers/microsoft.aadiam/diagnosticSettings?api-version=2017-04-01` → 200
 *   `{value: [{id, name, type, properties: {workspaceId, eventHubAuthorizationRuleId, eventHubName,
 *   logs: [{category, categoryGroup, enabled, retentionPolicy}], metrics}}]}`; paths compared without
 *   case, as ARM does; another api-version → 400 `InvalidApiVersionParameter`;
 * - 401 `AuthenticationFailed` without a token issued here; 404 `ResourceNotFound` for a resource that
 *   does not exist ({@link resource}); 403 `AuthorizationFailed` for a scope the caller may not read
 *   ({@link deny}); throttling through the fault script (429 with `Retry-After`).
 */
export class ArmMonitorServer extends VendorServer {
  readonly entra = new EntraTokenEndpoint('https://management.azure.com/.default');
  private readonly resources = new Set<string>(['/providers/microsoft.aadiam']);
  private readonly settings = new Map<string, Record<string, unknown>[]>();
  private readonly denied = new Set<string>();

  override start(): Promise<this> {
    return super.start(localCertificate());
  }

  get tlsOptions(): { ca: string } {
    return { ca: localCertificate().cert };
  }

  /** A resource that exists (a subscription `/subscriptions/s`, a Key Vault's id). */
  resource(id: string): void {
    this.resources.add(id.toLowerCase());
  }

  /** Creates or replaces the setting of this full id, as `diagnosticSettings/createOrUpdate` stores it. */
  setting(id: string, properties: Record<string, unknown>): void {
    const match = /^(.*)\/providers\/microsoft\.(insights|aadiam)\/diagnosticsettings\/([^/]+)$/i.exec(id);
    if (!match?.[3]) throw new Error(`arm server: ${id} is not a diagnostic-settings id`);
    const scope = (
      match[2]?.toLowerCase() === 'aadiam' ? '/providers/microsoft.aadiam' : (match[1] ?? '')
    ).toLowerCase();
    this.resource(scope);
    const type =
      match[2]?.toLowerCase() === 'aadiam'
        ? 'microsoft.aadiam/diagnosticSettings'
        : 'Microsoft.Insights/diagnosticSettings';
    const list = (this.settings.get(scope) ?? []).filter(
      (s) => String(s.name).toLowerCase() !== match[3]?.toLowerCase(),
    );
    this.settings.set(scope, [...list, { id, name: match[3], type, properties }]);
  }

  deleteSetting(id: string): void {
    for (const [scope, list] of this.settings)
      this.settings.set(
        scope,
        list.filter((s) => s.id !== id),
      );
  }

  deny(scope: string): void {
    this.denied.add(scope.toLowerCase());
  }

  protected override refuseMediaType(request: Received): Reply | undefined {
    return this.entra.refuseMediaType(request, (r) => super.refuseMediaType(r));
  }

  protected route(request: Received): Reply {
    const entra = this.entra.route(request, this.url);
    if (entra) return entra;
    if (!this.entra.authorized(request))
      return armError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.");
    const tenant = /^\/providers\/microsoft\.aadiam\/diagnosticsettings$/i.test(request.path);
    const match = /^(.+)\/providers\/microsoft\.insights\/diagnosticsettings$/i.exec(request.path);
    if (request.method !== 'GET' || (!tenant && !match?.[1]))
      return armError(404, 'NoRegisteredProviderFound', `no route ${request.method} ${request.path}`);
    const version = tenant ? '2017-04-01' : '2021-05-01-preview';
    if (request.query.get('api-version') !== version)
      return armError(
        400,
        'InvalidApiVersionParameter',
        `The api-version '${request.query.get('api-version')}' is invalid.`,
      );
    const scope = tenant ? '/providers/microsoft.aadiam' : (match?.[1] ?? '').toLowerCase();
    if (this.denied.has(scope))
      return armError(
        403,
        'AuthorizationFailed',
        `The client '${this.entra.clientId}' with object id '${this.entra.clientId}' does not have authorization to perform action 'microsoft.insights/diagnosticSettings/read' over scope '${scope}' or the scope is invalid.`,
      );
    if (!this.resources.has(scope)) return armError(404, 'ResourceNotFound', `The Resource '${scope}' was not found.`);
    return { status: 200, body: { value: structuredClone(this.settings.get(scope) ?? []) } };
  }
}

/** ARM's error body. */
function armError(status: number, code: string, message: string): Reply {
  return { status, body: { error: { code, message } } };
}
