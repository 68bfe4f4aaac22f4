import type { ConditionalAccessChange, Exclusions } from '../../model/audit-event.js';
import { isObject, type JsonObject } from '../fields.js';

/**
 * Entra "Update conditional access policy" (Conditional Access service, Policy category): the Policy
 * target's `ConditionalAccessPolicy` modified property holds the policy before and after as JSON text
 * (the Graph conditionalAccessPolicy: `conditions.users.excludeUsers` / `excludeGroups`). Microsoft's
 * emergency-access guidance excludes the emergency accounts from every policy, through a group.
 * https://learn.microsoft.com/entra/identity/conditional-access/troubleshoot-policy-changes-audit-log
 */
export const CA_POLICY_UPDATE = 'Update conditional access policy';

/** Before and after of the policy's user exclusions, or undefined when the record does not carry both. */
export function conditionalAccessChange(targets: readonly JsonObject[]): ConditionalAccessChange | undefined {
  for (const target of targets) {
    const properties = Array.isArray(target.modifiedProperties) ? target.modifiedProperties : [];
    for (const property of properties) {
      if (!isObject(property) || property.displayName !== 'ConditionalAccessPolicy') continue;
      const before = exclusionsOf(property.oldValue);
      const after = exclusionsOf(property.newValue);
      if (before === undefined || after === undefined) return undefined;
      const name = typeof target.displayName === 'string' ? target.displayName.slice(0, 256) : undefined;
      return { ...(name ? { policy: name } : {}), before, after };
    }
  }
  return undefined;
}

/** `conditions.users.excludeUsers` / `excludeGroups` of the policy JSON text (ids lower-cased). */
function exclusionsOf(value: unknown): Exclusions | undefined {
  if (typeof value !== 'string' || value.length > 200_000) return undefined;
  let policy: unknown;
  try {
    policy = JSON.parse(value);
  } catch {
    return undefined;
  }
  const conditions = own(policy, 'conditions');
  const users = own(conditions, 'users');
  return { users: ids(own(users, 'excludeUsers')), groups: ids(own(users, 'excludeGroups')) };
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
