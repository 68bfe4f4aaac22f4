import type { AuditEvent } from '../../model/audit-event.js';
import { neededCategories as kindCategories } from '../../registry/azure-diagnostic-settings.js';
import type { Pipeline } from '../../registry/pipeline.js';
import { anyCase, both, objOrJson, sameText, str, type TamperCheck, UNKNOWN, type Verdict } from './fields.js';

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

type Needed = ReturnType<typeof kindCategories>;

/**
 * What this setting must send (verify's table of setting kinds, plus the registry's categories), or
 * undefined when it is not part of the path: with settings in the registry only those; without,
 * subscription- and tenant-level settings (resource-level ones never carry the Activity or Entra logs).
 * An event naming no resource is the path's (unknown).
 */
function neededOf(event: AuditEvent, pipeline: Pipeline | undefined): Needed | undefined {
  const id = resourceId(event);
  const settings = pipeline?.azure?.diagnosticSettings ?? [];
  if (id === undefined) return { categories: [], groups: [] };
  if (settings.length === 0) return SUBSCRIPTION_OR_TENANT.test(id) ? kindCategories(id, []) : undefined;
  const declared = settings.find((s) => sameText(s.id, id));
  return declared ? kindCategories(id, declared.categories) : undefined;
}

/** The setting is one of the path's; unknown when the record names no resource. */
function ofPipeline(event: AuditEvent, pipeline: Pipeline | undefined): Verdict {
  if (neededOf(event, pipeline) === undefined) return false;
  return resourceId(event) === undefined ? UNKNOWN : true;
}

export const settingOfPipeline: TamperCheck = ofPipeline;

const DESTINATIONS = ['workspaceId', 'eventHubAuthorizationRuleId', 'storageAccountId', 'marketplacePartnerId'];

/**
 * The body still sends to every destination of the path the registry names, as verify requires: its
 * workspace, and its hub through an authorization rule of the hub's namespace (no `eventHubName`: one
 * `insights-…` hub per category). With neither in the registry, any destination counts.
 */
function sendsToPipeline(properties: unknown, pipeline: Pipeline | undefined): boolean {
  const { workspace, eventHub, eventHubNamespace } = pipeline?.azure ?? {};
  if (workspace === undefined && eventHub === undefined && eventHubNamespace === undefined)
    return DESTINATIONS.some((d) => str(anyCase(properties, d)) !== undefined);
  const namespace = eventHub ? eventHub.slice(0, eventHub.toLowerCase().lastIndexOf('/eventhubs/')) : eventHubNamespace;
  const rule = str(anyCase(properties, 'eventHubAuthorizationRuleId'))?.toLowerCase();
  const hubName = str(anyCase(properties, 'eventHubName'));
  const ownHub = eventHub?.slice(eventHub.lastIndexOf('/') + 1);
  const toHub =
    namespace === undefined ||
    (rule?.startsWith(`${namespace.toLowerCase()}/authorizationrules/`) === true &&
      (ownHub === undefined || (hubName === undefined ? /^insights-/i.test(ownHub) : sameText(hubName, ownHub))));
  return toHub && (workspace === undefined || sameText(str(anyCase(properties, 'workspaceId')), workspace));
}

/**
 * A diagnostic-settings write that drops a needed category, or every destination of the path (the
 * categories and destinations are read from the request body; without one, what changed is unknown).
 */
export const settingWeakened: TamperCheck = (event, pipeline) => {
  const needed = neededOf(event, pipeline);
  if (needed === undefined) return false;
  const properties = anyCase(requestBody(event), 'properties');
  const logs = anyCase(properties, 'logs');
  if (!Array.isArray(logs) || resourceId(event) === undefined) return UNKNOWN;
  const enabled = logs.filter((l) => anyCase(l, 'enabled') === true);
  const covered = enabled.some((l) => needed.groups.some((g) => sameText(str(anyCase(l, 'categoryGroup')), g)));
  const categories = enabled.map((l) => str(anyCase(l, 'category'))?.toLowerCase());
  const missing = !covered && needed.categories.some((c) => !categories.includes(c.toLowerCase()));
  return missing || !sendsToPipeline(properties, pipeline);
};

function isOrUnder(id: string | undefined, configured: string | undefined): Verdict {
  if (configured === undefined) return true;
  return id === undefined ? UNKNOWN : sameText(id, configured);
}

export const eventHubNamespaceOfPipeline: TamperCheck = (event, pipeline) =>
  isOrUnder(resourceId(event), pipeline?.azure?.eventHubNamespace);

export const eventHubOfPipeline: TamperCheck = (event, pipeline) =>
  isOrUnder(resourceId(event), pipeline?.azure?.eventHub);

/** A resource under the registry's one (its consumer groups, authorization rules, purges); any without one. */
function under(id: string | undefined, configured: string | undefined): Verdict {
  if (configured === undefined) return true;
  if (id === undefined) return UNKNOWN;
  return sameText(id, configured) || id.toLowerCase().startsWith(`${configured.toLowerCase()}/`);
}

export const inEventHubNamespace: TamperCheck = (event, pipeline) =>
  under(
    resourceId(event),
    pipeline?.azure?.eventHubNamespace ?? pipeline?.azure?.eventHub?.replace(/\/eventhubs\/[^/]+$/i, ''),
  );

export const inWorkspace: TamperCheck = (event, pipeline) => under(resourceId(event), pipeline?.azure?.workspace);

export const workspaceOfPipeline: TamperCheck = (event, pipeline) =>
  isOrUnder(resourceId(event), pipeline?.azure?.workspace);

/** `properties.retentionInDays`/`totalRetentionInDays` of the request body below the floor; no body: unknown. */
function retentionBelowFloor(event: AuditEvent, pipeline: Pipeline | undefined): Verdict {
  const properties = anyCase(requestBody(event), 'properties');
  if (properties === undefined) return UNKNOWN;
  const floor = pipeline?.azure?.minRetentionDays ?? 90;
  const days = ['retentionInDays', 'totalRetentionInDays'].map((k) => anyCase(properties, k));
  return days.some((d) => typeof d === 'number' && d >= 0 && d < floor);
}

/** A workspace write lowering its retention, which every table on the workspace default keeps. */
export const workspaceRetentionLowered: TamperCheck = (event, pipeline) =>
  both(workspaceOfPipeline(event, pipeline), retentionBelowFloor(event, pipeline));

/** A table write on the workspace that sets a retention below the floor (or whose body cannot be read). */
export const tableRetentionLowered: TamperCheck = (event, pipeline) => {
  const id = resourceId(event);
  const workspace = pipeline?.azure?.workspace;
  if (workspace !== undefined && id !== undefined && !id.toLowerCase().startsWith(`${workspace.toLowerCase()}/tables/`))
    return false;
  return retentionBelowFloor(event, pipeline);
};
