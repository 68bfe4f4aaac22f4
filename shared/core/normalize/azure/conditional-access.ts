import type { ConditionalAccessChange, Exclusions, Inclusions } from '../../model/audit-event.js';
import { isObject, type JsonObject } from '../fields.js';

/**
 * Entra "Update conditional access policy" and "Add conditional access policy" (Conditional Access
 * service, Policy category; the activity reference writes "Update Conditional Access policy", records
 * have used both cases): the Policy target's `ConditionalAccessPolicy` modified property holds the policy
 * before (empty for an added one) and after as JSON text (the Graph conditionalAccessPolicy: `state`,
 * `conditions.users.includeUsers` / `includeRoles` / `excludeUsers` / `excludeGroups`). Microsoft's
 * emergency-access guidance excludes the emergency accounts from every policy, through a group.
 * https://learn.microsoft.com/entra/identity/conditional-access/troubleshoot-policy-changes-audit-log
 * https://learn.microsoft.com/graph/api/resources/conditionalaccessusers
 */
const CA_POLICY_ACTIVITIES: ReadonlyMap<string, 'update' | 'add'> = new Map([
  ['update conditional access policy', 'update'],
  ['add conditional access policy', 'add'],
]);

/** The activity names, for pulls that must select every policy change (a new policy names no account). */
export const CONDITIONAL_ACCESS_POLICY_ACTIVITIES: readonly string[] = [...CA_POLICY_ACTIVITIES.keys()];

/** Whether this activity is a Conditional Access policy update or addition (case-insensitive). */
export function conditionalAccessActivity(action: string): 'update' | 'add' | undefined {
  return CA_POLICY_ACTIVITIES.get(action.trim().toLowerCase());
}

interface PolicySnapshot {
  exclusions: Exclusions;
  inclusions: Inclusions;
  enforced: boolean;
}

/**
 * The policy's exclusions (and whom it applies to) before and after, or undefined when the record does
 * not carry them: an update needs both, an addition the new policy.
 */
export function conditionalAccessChange(
  targets: readonly JsonObject[],
  kind: 'update' | 'add',
): ConditionalAccessChange | undefined {
  for (const target of targets) {
    const properties = Array.isArray(target.modifiedProperties) ? target.modifiedProperties : [];
    for (const property of properties) {
      if (!isObject(property) || property.displayName !== 'ConditionalAccessPolicy') continue;
      const before = kind === 'add' ? undefined : snapshotOf(property.oldValue);
      const after = snapshotOf(property.newValue);
      if (after === undefined || (kind === 'update' && before === undefined)) return undefined;
      const name = typeof target.displayName === 'string' ? target.displayName.slice(0, 256) : undefined;
      return {
        ...(name ? { policy: name } : {}),
        before: before?.exclusions ?? { users: [], groups: [] },
        after: after.exclusions,
        ...(kind === 'add' ? { created: true as const } : {}),
        included: { ...(before ? { before: before.inclusions } : {}), after: after.inclusions },
        enforced: { ...(before ? { before: before.enforced } : {}), after: after.enforced },
      };
    }
  }
  return undefined;
}

/** The policy JSON text → exclusions, inclusions (ids lower-cased) and whether it is enforced. */
function snapshotOf(value: unknown): PolicySnapshot | undefined {
  if (typeof value !== 'string' || value.length > 200_000) return undefined;
  let policy: unknown;
  try {
    policy = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (!isObject(policy)) return undefined;
  const users = own(own(policy, 'conditions'), 'users');
  const includeUsers = ids(own(users, 'includeUsers'));
  const state = own(policy, 'state');
  return {
    exclusions: { users: ids(own(users, 'excludeUsers')), groups: ids(own(users, 'excludeGroups')) },
    inclusions: {
      all: includeUsers.includes('all'),
      users: includeUsers.filter((u) => u !== 'all'),
      roles: ids(own(users, 'includeRoles')),
    },
    enforced: typeof state !== 'string' || state.toLowerCase() === 'enabled',
  };
}

function own(value: unknown, key: string): unknown {
  return isObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

function ids(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((v): v is string => typeof v === 'string')
    .slice(0, 500)
    .map((v) => v.toLowerCase());
}
