import type { AuditEvent, Cloud } from '../model/audit-event.js';

/**
 * Provider action names as data. Rules list the actions they care about per cloud, grouped by service;
 * {@link ActionSet} answers "is this event's action one of them?" with one Map lookup.
 */

/** Actions of one service. Without `service`, the actions match whatever service logged them. */
export interface ActionGroup {
  /** eventSource / serviceName, compared case-insensitively: `cloudtrail.amazonaws.com`. */
  readonly service?: string;
  readonly actions: readonly string[];
  /** The documentation page these names come from. */
  readonly reference?: string;
}

export type ActionTable = Readonly<Partial<Record<Cloud, readonly ActionGroup[]>>>;

const ANY_SERVICE = '*';

/**
 * The comparable form of an action name. AWS event names and Azure operation names are compared
 * case-insensitively. GCP names the same action several ways — `google.login.LoginService.2svDisable`
 * in Cloud Logging, `2sv_disable` in the Reports API, `CHANGE_PASSWORD` vs
 * `google.admin.AdminService.changePassword` — so GCP keeps the last dotted segment, lower-cased,
 * without underscores: all of those pairs meet.
 */
export function canonicalAction(cloud: Cloud, action: string): string {
  if (cloud !== 'gcp') return action.toLowerCase();
  return action
    .slice(action.lastIndexOf('.') + 1)
    .toLowerCase()
    .replaceAll('_', '');
}

/**
 * A compiled {@link ActionTable}.
 *
 * @example
 * const TAMPER = new ActionSet({ aws: [{ service: 'cloudtrail.amazonaws.com', actions: ['StopLogging'] }] });
 * TAMPER.has(event); // true for a StopLogging record
 */
export class ActionSet {
  /** cloud → canonical action → services (lower case, or `*`). */
  private readonly byCloud = new Map<Cloud, Map<string, Set<string>>>();

  constructor(table: ActionTable) {
    for (const [cloud, groups] of Object.entries(table) as [Cloud, readonly ActionGroup[]][]) {
      const actions = this.byCloud.get(cloud) ?? new Map<string, Set<string>>();
      this.byCloud.set(cloud, actions);
      for (const group of groups) {
        const service = group.service?.toLowerCase() ?? ANY_SERVICE;
        for (const action of group.actions) {
          const key = canonicalAction(cloud, action);
          const services = actions.get(key) ?? new Set<string>();
          services.add(service);
          actions.set(key, services);
        }
      }
    }
  }

  has(event: Pick<AuditEvent, 'cloud' | 'service' | 'action'>): boolean {
    const services = this.byCloud.get(event.cloud)?.get(canonicalAction(event.cloud, event.action));
    if (!services) return false;
    return services.has(ANY_SERVICE) || services.has(event.service.toLowerCase());
  }
}
