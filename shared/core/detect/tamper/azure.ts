import type { AuditEvent } from '../../model/audit-event.js';
import type { Pipeline } from '../../registry/pipeline.js';
import { anyCase, objOrJson, sameText, type TamperCheck } from './fields.js';

/**
 * Which Activity log operations of the tamper table touch the Azure path. The resource id is the
 * event's resource (`_ResourceId`/`ResourceId`, `resourceId`); the request body is
 * `Properties.requestbody` (Log Analytics, an object or JSON text) or `properties.requestbody` (the
 * diagnostic record), and ARM writes it in either casing. An unreadable body fires.
 */

const resourceId = (event: AuditEvent) => event.resources[0];

function requestBody(event: AuditEvent): Record<string, unknown> | undefined {
  const properties = objOrJson(anyCase(event.raw, 'Properties')) ?? objOrJson(anyCase(event.raw, 'Properties_d'));
  return objOrJson(anyCase(properties, 'requestbody'));
}

/** `/subscriptions/s/providers/microsoft.insights/diagnosticSettings/n` or tenant-level `/providers/microsoft.aadiam/…`. */
const SUBSCRIPTION_OR_TENANT =
  /^(\/subscriptions\/[^/]+)?\/providers\/microsoft\.(insights|aadiam)\/diagnosticsettings\/[^/]+$/i;

/** Categories each kind of setting needs when the registry lists none: Activity's, and Entra's sign-ins and audit. */
function defaultCategories(id: string | undefined): string[] {
  return id?.toLowerCase().includes('/microsoft.aadiam/') ? ['AuditLogs', 'SignInLogs'] : ['Administrative'];
}

/**
 * The needed categories of this setting, or undefined when it is not part of the path: with settings
 * in the registry only those; without, subscription- and tenant-level settings (resource-level ones
 * never carry the Activity or Entra logs).
 */
function neededCategories(event: AuditEvent, pipeline: Pipeline | undefined): string[] | undefined {
  const id = resourceId(event);
  const settings = pipeline?.azure?.diagnosticSettings ?? [];
  if (settings.length > 0) return settings.find((s) => sameText(s.id, id))?.categories;
  return id === undefined || SUBSCRIPTION_OR_TENANT.test(id) ? defaultCategories(id) : undefined;
}

export const settingOfPipeline: TamperCheck = (event, pipeline) => neededCategories(event, pipeline) !== undefined;

const DESTINATIONS = ['workspaceId', 'eventHubAuthorizationRuleId', 'storageAccountId', 'marketplacePartnerId'];

/** A diagnostic-settings write that drops a needed category or every destination (or cannot be read). */
export const settingWeakened: TamperCheck = (event, pipeline) => {
  const needed = neededCategories(event, pipeline);
  if (needed === undefined) return false;
  const properties = anyCase(requestBody(event), 'properties');
  const logs = anyCase(properties, 'logs');
  if (!Array.isArray(logs)) return true;
  const enabled = logs.filter((l) => anyCase(l, 'enabled') === true);
  const all = enabled.some((l) => sameText(String(anyCase(l, 'categoryGroup') ?? ''), 'allLogs'));
  const categories = enabled.map((l) => String(anyCase(l, 'category') ?? '').toLowerCase());
  const missing = !all && needed.some((c) => !categories.includes(c.toLowerCase()));
  const hasDestination = DESTINATIONS.some(
    (d) => typeof anyCase(properties, d) === 'string' && anyCase(properties, d) !== '',
  );
  return missing || !hasDestination;
};

function isOrUnder(id: string | undefined, configured: string | undefined): boolean {
  if (configured === undefined || id === undefined) return true;
  return sameText(id, configured);
}

export const eventHubNamespaceOfPipeline: TamperCheck = (event, pipeline) =>
  isOrUnder(resourceId(event), pipeline?.azure?.eventHubNamespace);

export const eventHubOfPipeline: TamperCheck = (event, pipeline) =>
  isOrUnder(resourceId(event), pipeline?.azure?.eventHub);

export const workspaceOfPipeline: TamperCheck = (event, pipeline) =>
  isOrUnder(resourceId(event), pipeline?.azure?.workspace);

/** A table write on the workspace that sets a retention below the floor (or whose body cannot be read). */
export const tableRetentionLowered: TamperCheck = (event, pipeline) => {
  const id = resourceId(event);
  const workspace = pipeline?.azure?.workspace;
  if (workspace !== undefined && id !== undefined && !id.toLowerCase().startsWith(`${workspace.toLowerCase()}/tables/`))
    return false;
  const properties = anyCase(requestBody(event), 'properties');
  if (properties === undefined) return true;
  const floor = pipeline?.azure?.minRetentionDays ?? 90;
  const days = ['retentionInDays', 'totalRetentionInDays'].map((k) => anyCase(properties, k));
  return days.some((d) => typeof d === 'number' && d >= 0 && d < floor);
};
