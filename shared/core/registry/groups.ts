import type { Cloud, GroupRef } from '../model/audit-event.js';
import type { BreakGlassAccount, BreakGlassGroup, Registry } from './schema.js';

/**
 * What a group is to the registry: an emergency group kept empty (`groups:`), or a Conditional Access
 * exclusion group that holds an emergency account (`caExclusionGroups` of an Entra entry).
 */
export type GroupRole =
  | { kind: 'emergency-group'; entry: BreakGlassGroup }
  | { kind: 'ca-exclusion'; entry: Extract<BreakGlassAccount, { cloud: 'azure' }> };

/** Group ids and e-mails compare case-insensitively, per cloud. */
export class GroupMatcher {
  private readonly byKey = new Map<string, GroupRole[]>();

  constructor(registry: Registry) {
    for (const entry of registry.groups) {
      const value = 'groupEmail' in entry.match ? entry.match.groupEmail : entry.match.groupId;
      this.add(entry.cloud, value, { kind: 'emergency-group', entry });
    }
    for (const entry of registry.accounts) {
      if (entry.cloud !== 'azure') continue;
      for (const groupId of entry.caExclusionGroups ?? []) this.add('azure', groupId, { kind: 'ca-exclusion', entry });
    }
  }

  /** Every role this group plays (one group may exclude several emergency accounts). */
  roles(cloud: Cloud, group: GroupRef): readonly GroupRole[] {
    const value = group.email ?? group.id;
    return value === undefined ? [] : (this.byKey.get(`${cloud}:${value.toLowerCase()}`) ?? []);
  }

  private add(cloud: Cloud, value: string, role: GroupRole): void {
    const key = `${cloud}:${value.toLowerCase()}`;
    this.byKey.set(key, [...(this.byKey.get(key) ?? []), role]);
  }
}
