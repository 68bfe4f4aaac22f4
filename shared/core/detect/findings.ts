import type { Actor, AuditEvent } from '../model/audit-event.js';
import type { Finding } from '../model/finding.js';
import { cap } from '../normalize/fields.js';
import type { Rule, RuleMatch } from './rule.js';

/** Longest principal and title kept on a finding: they go into pages, chat and ticket titles. */
export const MAX_PRINCIPAL_LENGTH = 256;
export const MAX_TITLE_LENGTH = 256;

/** Which actor fields name a principal, most specific first. */
const PRINCIPAL_FIELDS = ['arn', 'email', 'upn', 'objectId', 'userName', 'display'] as const;

/**
 * The stable, lower-cased name of an actor, for correlating findings of principals not in the
 * registry: its ARN, else e-mail, UPN, object id, user name, display name.
 */
export function principalKey(actor: Actor): string {
  for (const field of PRINCIPAL_FIELDS) {
    const value = actor[field];
    if (value) return cap(value.toLowerCase(), MAX_PRINCIPAL_LENGTH);
  }
  return 'unknown';
}

/** `acct:<registry id>` for break-glass accounts, `actor:<cloud>:<principal>` for anyone else. */
export function correlationKey(match: RuleMatch, event: AuditEvent): string {
  return match.account ? `acct:${match.account.id}` : `actor:${event.cloud}:${principalKey(event.actor)}`;
}

/**
 * The finding for one rule match. `principal` is always the actor, even when a change targeted a
 * break-glass account: who the incident is about is decided by correlation, who acted is a fact.
 */
export function toFinding(rule: Rule, match: RuleMatch, event: AuditEvent): Finding {
  return {
    ruleId: rule.id,
    kind: rule.kind,
    account: match.account?.id ?? null,
    cloud: event.cloud,
    correlationKey: correlationKey(match, event),
    principal: cap(event.actor.display, MAX_PRINCIPAL_LENGTH),
    title: cap(`${rule.title}: ${event.action}`, MAX_TITLE_LENGTH),
    event,
  };
}
