import type { Actor } from '../model/audit-event.js';
import type { OpeningApproval } from '../model/incident.js';
import { iamIdentity, iamKey } from '../registry/aws-identity.js';
import type { BreakGlassAccount } from '../registry/schema.js';

/**
 * Who opened the envelope, judged against the account's declared approval path. Readers are written
 * as they appear in the records: IAM user or role ARNs (a role matches every session of it, path- and
 * partition-insensitive), Entra object ids or UPNs, Google principals (with or without `user:` /
 * `serviceAccount:`), HashiCorp Vault entity ids, display names (`auth.display_name`) or policies (a
 * token carrying a listed policy is approved: list only policies that the custodians alone hold, never
 * `default`). E-mail-like names compare case-insensitively.
 */
export type ReaderVerdict = 'approved' | 'unapproved' | 'undeclared' | 'rotation';

export function judgeReader(account: BreakGlassAccount, actor: Actor): ReaderVerdict {
  const credential = account.credential;
  if (credential && matchesAny(credential.rotationReaders, actor)) return 'rotation';
  if (!credential?.approvedReaders) return 'undeclared';
  return matchesAny(credential.approvedReaders, actor) ? 'approved' : 'unapproved';
}

/** The approval path's verdict on an opening (a rotation read is no opening). */
export function approvalOf(verdict: Exclude<ReaderVerdict, 'rotation'>): OpeningApproval {
  return verdict === 'unapproved' ? 'outside' : verdict;
}

/**
 * How the finding's title, the page's facts and the ticket's timeline word each verdict. The page
 * headline (`APPROVAL_SUFFIX`) and the posture report (`html-credential.ts`) keep shorter forms.
 */
export const APPROVAL_WORDS: Readonly<Record<OpeningApproval, string>> = {
  approved: 'read by an approved reader',
  outside: 'credential read outside the approval path',
  undeclared: 'approval path not declared',
  held: 'opened through a Vault control group / response wrapping, not disclosed until unwrapped',
  authorized: 'unwrapped after a Vault control-group authorization',
  drill: 'read inside a declared drill window',
};

function matchesAny(readers: readonly string[], actor: Actor): boolean {
  if (readers.length === 0) return false;
  const names = actorNames(actor);
  return readers.some((reader) => names.has(normal(reader)));
}

/** Every name the actor goes by, normalized as {@link normal} normalizes the registry's. */
function actorNames(actor: Actor): Set<string> {
  const names = new Set<string>();
  const vault = actor.vault;
  const values = [actor.arn, actor.roleArn, actor.email, actor.upn, actor.objectId, actor.entityId];
  for (const value of [...values, vault?.displayName, ...(vault?.policies ?? [])]) {
    if (value) names.add(normal(value));
  }
  return names;
}

function normal(name: string): string {
  const identity = iamIdentity(name);
  if (identity) return `iam:${iamKey(identity)}`;
  return name.replace(/^(user|serviceAccount|group):/i, '').toLowerCase();
}
