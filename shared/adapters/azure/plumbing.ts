import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createPipelineFromOptions,
  createPipelineRequest,
  type PipelineOptions,
} from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import type { AzurePlumbing, DiagnosticSettingView } from '../../core/assure/verify/azure.js';

/**
 * The Azure side of `glasswatch verify`: ARM's diagnostic-settings lists, with the credential the Azure
 * poller uses (its app registration needs Monitoring Reader on the subscriptions and, for the Entra
 * settings, a tenant-level reader of `microsoft.aadiam/diagnosticSettings`).
 * - `GET {resourceUri}/providers/Microsoft.Insights/diagnosticSettings?api-version=2021-05-01-preview`
 *   (https://learn.microsoft.com/rest/api/monitor/diagnostic-settings/list);
 * - `GET /providers/microsoft.aadiam/diagnosticSettings?api-version=2017-04-01` (the Entra ID tenant's).
 * Both answer `{value: [{id, name, properties: {logs: [{category, categoryGroup, enabled}], workspaceId,
 * eventHubAuthorizationRuleId, eventHubName}}]}`. Plain ARM REST through `@azure/core-rest-pipeline` (the
 * pipeline `@azure/identity` and every Azure SDK use: bearer token, 429 `Retry-After` and 5xx retries),
 * because `@azure/arm-monitor` has no client for the tenant-level `microsoft.aadiam` settings.
 * 404 is an answer (the resource does not exist); any other failure names the URL path, the status and
 * ARM's error code (403 `AuthorizationFailed`: the reader lacks the role).
 */

export const ARM_URL = 'https://management.azure.com';
const ARM_SCOPE = 'https://management.azure.com/.default';
const TENANT_SCOPE = '/providers/microsoft.aadiam';

export class ArmReadError extends Error {
  override readonly name = 'ArmReadError';
  constructor(path: string, status: number, detail: string) {
    super(`ARM GET ${path}: HTTP ${status} ${detail}`);
  }
}

type Json = Record<string, unknown>;
const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

function settingView(value: unknown): DiagnosticSettingView {
  const item = (value ?? {}) as Json;
  const properties = (item.properties ?? {}) as Json;
  const logs = Array.isArray(properties.logs) ? (properties.logs as Json[]) : [];
  const optional = (key: string) => (text(properties[key]) ? { [key]: text(properties[key]) } : {});
  return {
    id: text(item.id) ?? '',
    name: text(item.name) ?? '',
    logs: logs.map((l) => ({
      ...(text(l.category) ? { category: text(l.category) } : {}),
      ...(text(l.categoryGroup) ? { categoryGroup: text(l.categoryGroup) } : {}),
      enabled: l.enabled === true,
    })),
    ...optional('workspaceId'),
    ...optional('eventHubAuthorizationRuleId'),
    ...optional('eventHubName'),
  };
}

/** ARM's error body `{error: {code, message}}`, capped (the text comes from the network). */
function armError(body: string | undefined): string {
  try {
    const error = (JSON.parse(body ?? '') as { error?: { code?: unknown; message?: unknown } }).error;
    return [error?.code, error?.message]
      .filter((v): v is string => typeof v === 'string')
      .map((v) => v.slice(0, 300))
      .join(': ');
  } catch {
    return 'unexpected answer';
  }
}

/**
 * @example
 * const azure = armPlumbing(new DefaultAzureCredential());
 */
export function armPlumbing(
  credential: TokenCredential,
  options: { baseUrl?: string; pipeline?: PipelineOptions } = {},
): AzurePlumbing {
  const pipeline = createPipelineFromOptions(options.pipeline ?? {});
  pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential, scopes: ARM_SCOPE }));
  const client = createDefaultHttpClient();
  const base = options.baseUrl ?? ARM_URL;
  return {
    async diagnosticSettings(scope) {
      const tenant = scope.toLowerCase() === TENANT_SCOPE;
      const path = tenant
        ? `${TENANT_SCOPE}/diagnosticSettings?api-version=2017-04-01`
        : `${scope}/providers/Microsoft.Insights/diagnosticSettings?api-version=2021-05-01-preview`;
      const settings: DiagnosticSettingView[] = [];
      let url: string | undefined = `${base}${path}`;
      while (url) {
        const response = await pipeline.sendRequest(
          client,
          createPipelineRequest({ url, method: 'GET', timeout: 30_000 }),
        );
        if (response.status === 404) return undefined;
        if (response.status !== 200)
          throw new ArmReadError(new URL(url).pathname, response.status, armError(response.bodyAsText ?? undefined));
        let body: { value?: unknown; nextLink?: unknown };
        try {
          body = JSON.parse(response.bodyAsText ?? '') as typeof body;
        } catch {
          throw new ArmReadError(new URL(url).pathname, response.status, 'the answer is not JSON');
        }
        if (!Array.isArray(body.value))
          throw new ArmReadError(new URL(url).pathname, response.status, 'the answer has no value list');
        settings.push(...body.value.map(settingView));
        // ARM pages with an absolute nextLink; only one on the same host is followed (the token goes with it).
        const next = text(body.nextLink);
        url = next && new URL(next).origin === new URL(base).origin ? next : undefined;
      }
      return settings;
    },
  };
}
