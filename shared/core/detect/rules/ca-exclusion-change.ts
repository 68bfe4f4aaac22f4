import type { ConditionalAccessChange, Exclusions } from '../../model/audit-event.js';
import type { BreakGlassAccount } from '../../registry/index.js';
import { GLOBAL_ADMINISTRATOR } from '../entra/directory.js';
import { DOCS } from '../references.js';
import type { Rule } from '../rule.js';

type EntraAccount = Extract<BreakGlassAccount, { cloud: 'azure' }>;

/**
 * A Conditional Access policy update that touches an Entra emergency account's exclusion: the account
 * (by object id, or through one of its `caExclusionGroups`) no longer excluded is a lockout risk (high);
 * other users or groups excluded beside it skip the policy like the emergency account (critical).
 */
export const caExclusionChange: Rule = {
  id: 'ca-exclusion-change',
  kind: 'account.change',
  title: 'Emergency account Conditional Access exclusion changed',
  description:
    'An Entra "Update conditional access policy" record whose policy, before or after, excludes a registered ' +
    'emergency account (its object id, or one of its caExclusionGroups): the exclusion was removed (the ' +
    'emergency account may be locked out by the policy: high), or other users or groups were excluded beside ' +
    'it (they now skip the policy, MFA included: critical); or an "Add conditional access policy" / update ' +
    'that makes an enforced policy apply to the emergency account (All users, its object id, or the Global ' +
    'Administrator role) without excluding it (lockout risk: high). Read from the ConditionalAccessPolicy old ' +
    'and new values of the audit record.',
  severity: 'high',
  runbook: [
    'Open the policy in the Entra admin center and compare with the change ticket: which exclusion was removed or added, and by whom.',
    'If the emergency exclusion was removed: restore it (exclude the emergency-access group) and test an emergency sign-in; if others were excluded: remove them unless a reviewed exception exists.',
  ],
  references: [
    DOCS.entraEmergencyAccess,
    'https://learn.microsoft.com/entra/identity/conditional-access/troubleshoot-policy-changes-audit-log',
  ],
  falsePositives: [
    'A reviewed policy change that moves the emergency accounts to a new exclusion group (update caExclusionGroups).',
  ],
  // The record's target is the policy, never the account: the registry is asked below.
  needsBreakGlass: false,
  evaluate(event, ctx) {
    const change = event.conditionalAccess;
    if (change === undefined) return undefined;
    const policy = `Conditional Access policy ${change.policy ?? '(not named in the record)'}`;
    for (const account of ctx.registry.registry.accounts) {
      if (account.cloud !== 'azure') continue;
      const was = excludes(change.before, account);
      const now = excludes(change.after, account);
      if (was && !now) {
        return { account, severity: 'high', note: `${policy} no longer excludes ${account.id} (lockout risk)` };
      }
      if (now && addedOthers(change.before, change.after, account)) {
        return {
          account,
          severity: 'critical',
          note: `others excluded from ${policy} beside ${account.id}: they skip it too`,
        };
      }
      if (!now && newlyApplies(change, account)) {
        const how = change.created ? 'added' : 'now enforced';
        return {
          account,
          severity: 'high',
          note: `${policy} ${how} on ${account.id} without excluding it (lockout risk)`,
        };
      }
    }
    return undefined;
  },
};

function ownIds(account: EntraAccount): { user?: string; groups: string[] } {
  const user = account.match.objectId?.toLowerCase();
  return { ...(user ? { user } : {}), groups: (account.caExclusionGroups ?? []).map((g) => g.toLowerCase()) };
}

function excludes(exclusions: Exclusions, account: EntraAccount): boolean {
  const own = ownIds(account);
  return (
    (own.user !== undefined && exclusions.users.includes(own.user)) ||
    own.groups.some((g) => exclusions.groups.includes(g))
  );
}

/**
 * The policy is enforced on the account now (state enabled; includeUsers All or its object id, or
 * includeRoles Global Administrator, the role the guidance gives emergency accounts) and was not before
 * (added, enabled, or widened). Policies that include groups only cannot be judged: group membership is
 * not in the record.
 */
function newlyApplies(change: ConditionalAccessChange, account: EntraAccount): boolean {
  const user = ownIds(account).user;
  const applies = (side: 'before' | 'after') => {
    const included = change.included?.[side];
    if (included === undefined || change.enforced?.[side] === false) return false;
    return (
      included.all ||
      (user !== undefined && included.users.includes(user)) ||
      included.roles.includes(GLOBAL_ADMINISTRATOR.templateId)
    );
  };
  return applies('after') && (change.created === true || !applies('before'));
}

function addedOthers(before: Exclusions, after: Exclusions, account: EntraAccount): boolean {
  const own = ownIds(account);
  const newUsers = after.users.filter((u) => !before.users.includes(u) && u !== own.user);
  const newGroups = after.groups.filter((g) => !before.groups.includes(g) && !own.groups.includes(g));
  return newUsers.length > 0 || newGroups.length > 0;
}
