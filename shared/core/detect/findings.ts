import type { Actor, AuditEvent } from '../model/audit-event.js';
import type { Finding } from '../model/finding.js';
import { cap } from '../normalize/fields.js';
import type { Resolution } from '../registry/index.js';
import { isDenied } from './denials.js';
import type { Rule, RuleContext, RuleMatch } from './rule.js';

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

/**
 * `acct:<registry id>` for break-glass accounts, `actor:<cloud>:<principal>` for anyone else. An entry
 * that is a pattern (`arn:aws:iam::*:root`) watches many principals, each its own session:
 * `acct:<registry id>/<concrete principal>`. A privileged root session correlates on its caller
 * (`root-task:aws:<caller>`): the sessions one caller opens on many member accounts within the gap are
 * one incident. The session's own records name only the issued access key (`root-key:<key>`); their
 * findings join the caller's incident through the link the AssumeRoot declares ({@link rootSessionLink}).
 */
export function correlationKey(match: RuleMatch, event: AuditEvent, ctx?: RuleContext): string {
  const session = event.rootSession;
  if (session?.phase === 'issued') return `root-task:aws:${principalKey(event.actor)}`;
  if (session?.phase === 'used') return rootKeyAlias(session.accessKeyId, session.memberAccount);
  if (!match.account) return `actor:${event.cloud}:${principalKey(event.actor)}`;
  const resolved = resolutionOf(match, ctx);
  return resolved?.wildcard ? `acct:${match.account.id}/${resolved.key}` : `acct:${match.account.id}`;
}

/**
 * The finding for one rule match. `principal` is who acted, even when a change targeted a
 * break-glass account: who the incident is about is decided by correlation, who acted is a fact. When
 * the session obtained is not the caller's own (`AssumeRole*`), it names the session and the caller.
 */
export function toFinding(rule: Rule, match: RuleMatch, event: AuditEvent, ctx?: RuleContext): Finding {
  const finding: Finding = {
    ruleId: rule.id,
    kind: rule.kind,
    account: match.account?.id ?? null,
    // The account's cloud: a credential read in another store (a Vault, a Key Vault holding an AWS
    // root password) lands on the account that owns it. For every other rule the two are the same.
    cloud: match.account?.cloud ?? event.cloud,
    correlationKey: correlationKey(match, event, ctx),
    principal: cap(principalText(event, match, ctx), MAX_PRINCIPAL_LENGTH),
    title: cap(
      `${rule.title}${deniedWording(event)}: ${event.action}${match.detail ? ` (${match.detail})` : ''}`,
      MAX_TITLE_LENGTH,
    ),
    event,
    ...(match.pagesAtOnce !== undefined ? { pagesAtOnce: match.pagesAtOnce } : {}),
    ...(match.note ? { note: cap(match.note, MAX_TITLE_LENGTH) } : {}),
    ...(match.opening ? { opening: match.opening } : {}),
    ...(match.wrap ? { wrap: match.wrap } : {}),
  };
  if (match.severity !== undefined) finding.severity = match.severity;
  const group = match.account ? rule.groupBy?.(event) : undefined;
  const link = rootSessionLink(event) ?? (group === undefined ? undefined : { kind: 'groups' as const, alias: group });
  if (link !== undefined) finding.link = link;
  return finding;
}

/** The access key an AssumeRoot issued, as an alias the correlator resolves. */
function rootKeyAlias(accessKeyId: string | undefined, memberAccount: string | undefined): string {
  return accessKeyId ? `root-key:${cap(accessKeyId, 128)}` : `root-key:unknown:${memberAccount ?? 'unknown'}`;
}

/** AssumeRoot declares its issued key; the session's records join it. */
export function rootSessionLink(event: AuditEvent): Finding['link'] {
  const session = event.rootSession;
  if (session?.accessKeyId === undefined) return undefined;
  const alias = rootKeyAlias(session.accessKeyId, session.memberAccount);
  return { kind: session.phase === 'issued' ? 'declares' : 'joins', alias };
}

/**
 * " (denied)" when a policy refused the call (an SCP, an IAM policy, a task policy): an attempt, kept
 * and worded as such, never dropped because it failed.
 */
function deniedWording(event: AuditEvent): string {
  return event.outcome === 'failure' && event.category === 'api' && isDenied(event.failureReason) ? ' (denied)' : '';
}

/** The resolution a match was made on: the acting principal first, then a target, then the caller. */
function resolutionOf(match: RuleMatch, ctx: RuleContext | undefined): Resolution | undefined {
  if (!ctx || !match.account) return undefined;
  return [ctx.actor, ctx.target, ctx.caller].find((r) => r?.account === match.account);
}

/** "arn:aws:sts::…:assumed-role/BreakGlass/alice (assumed by alice)" for a session obtained by a caller. */
function principalText(event: AuditEvent, match: RuleMatch, ctx: RuleContext | undefined): string {
  const session = event.authenticatedAs;
  if (!session) {
    // A wildcard entry watches many principals: the page must say which one (an IAM user's name alone
    // does not say in which account).
    const resolved = resolutionOf(match, ctx);
    const account = event.actor.accountId;
    if (resolved?.wildcard && resolved === ctx?.actor && account && !event.actor.display.includes(account)) {
      return `${event.actor.display} (${account})`;
    }
    return event.actor.display;
  }
  const name = session.arn ?? session.roleArn ?? session.userName ?? session.accountId ?? 'unknown session';
  const withSession =
    session.sessionName && !name.endsWith(`/${session.sessionName}`) ? `${name} session ${session.sessionName}` : name;
  return `${withSession} (assumed by ${event.actor.display})`;
}
