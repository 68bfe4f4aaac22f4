import { DOCS } from '../references.js';
import type { Rule } from '../rule.js';

/**
 * Someone joined or left a group that grants emergency access: an "empty emergency group" of the
 * registry (Entra, Google Workspace, IAM Identity Center), or a Conditional Access exclusion group that
 * holds an Entra emergency account (joining it skips Conditional Access, MFA included, like the
 * emergency account). A member added is critical; a removal is a change to the emergency path.
 */
export const emergencyGroup: Rule = {
  id: 'emergency-group',
  kind: 'account.change',
  title: 'Emergency group membership changed',
  description:
    'A member was added to or removed from a registered emergency group (kept empty until an emergency: Entra ' +
    '"Add member to group", Google Workspace ADD_GROUP_MEMBER, Identity Center CreateGroupMembership / ' +
    'AddMemberToGroup), or from a Conditional Access exclusion group declared in an Entra entry ' +
    '(caExclusionGroups). An addition grants emergency rights or a way around Conditional Access: critical (the ' +
    'emergency account itself joining its exclusion group: high). A ' +
    'removal is account.change (high): the emergency path or its exclusion changed. Failed attempts count.',
  severity: 'high',
  runbook: [
    'Identify who was added (the member) and who added them (the actor); confirm with the group owners and the change ticket that an emergency was declared.',
    'If unplanned: remove the member at once, revoke their sessions (Entra: revoke sign-in sessions; Google: sign out; AWS: remove the account assignment), and review what they did while in the group.',
    'For a removal: check the emergency path still works (the emergency account is still excluded from Conditional Access, the emergency group still has its permissions).',
  ],
  references: [DOCS.entraEmergencyAccess, DOCS.entraAuditLogs, DOCS.gcpSuperAdmin],
  falsePositives: [
    'A declared emergency in which the owners add the responder to the emergency group.',
    'Owners rotating which emergency account sits in the Conditional Access exclusion group.',
  ],
  // Membership records name an administrator and an ordinary member: the group decides, so every
  // record is asked (one Map lookup when it is a membership change at all).
  needsBreakGlass: false,
  evaluate(event, ctx) {
    const membership = event.membership;
    if (membership === undefined) return undefined;
    const [role] = ctx.registry.groups.roles(event.cloud, membership.group);
    if (role === undefined) return undefined;
    // The emergency account itself joining its own exclusion group restores its exclusion: a change, not a way around.
    const itself =
      role.kind === 'ca-exclusion' &&
      membership.member !== undefined &&
      ctx.registry.resolve(event.cloud, membership.member)?.account === role.entry;
    return { account: role.entry, severity: membership.change === 'add' && !itself ? 'critical' : 'high' };
  },
};
