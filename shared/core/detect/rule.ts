import type { AuditEvent } from '../model/audit-event.js';
import type { DetectionKind, Finding, Severity } from '../model/finding.js';
import type { CredentialOpening } from '../model/incident.js';
import type { BreakGlassAccount, BreakGlassGroup, RegistryMatcher, Resolution } from '../registry/index.js';

/**
 * What a rule may ask about an event, computed once per event by the engine so six rules do not
 * repeat six registry look-ups.
 */
export interface RuleContext {
  readonly registry: RegistryMatcher;
  /** The break-glass account that acted (for authentication events: whose session was obtained). */
  readonly actorAccount: BreakGlassAccount | undefined;
  /** The first break-glass account among the event's targets. */
  readonly targetAccount: BreakGlassAccount | undefined;
  /** `actorAccount` with the concrete principal it resolved from (one wildcard entry, many principals). */
  readonly actor?: Resolution | undefined;
  /** `targetAccount` with its concrete principal. */
  readonly target?: Resolution | undefined;
  /**
   * Authentication events whose session is not the caller's own (`AssumeRole*`): the
   * caller, when it is a break-glass account itself. A break-glass user assuming an unregistered role
   * is still that user's activity.
   */
  readonly caller?: Resolution | undefined;
}

/**
 * A rule fired. `account: null` means the actor is not in the registry (tampering by anyone); an
 * emergency group (`groups:` in the registry) is an entry of its own.
 */
export interface RuleMatch {
  account: BreakGlassAccount | BreakGlassGroup | null;
  /** Decided from the registry for this event; the rule's `severity` otherwise. */
  severity?: Severity;
  /** Words the rule adds to the finding's title, from the registry (never from log fields). */
  detail?: string;
  /**
   * What this event did to the account, in the page's words ("Global Administrator role removed from
   * ea1"): shown among the page's flags. Built from a knowledge table and the registry id; a log string
   * in it (who acted) is sanitized where it is rendered.
   */
  note?: string;
  /** A read of a break-glass credential from its store: which store, and the approval path's verdict. */
  opening?: CredentialOpening;
  /** A Vault wrapping token for the correlate stage to join (detect/vault-wrapping.ts). */
  wrap?: Finding['wrap'];
  /** false: the finding alone opens a ticket rather than a page (a tamper-table entry routine for deployments). */
  pagesAtOnce?: boolean;
}

/**
 * Detection as code: metadata a responder reads, plus one pure predicate.
 * The file name is the rule id (`signin-success.ts` → `signin-success`).
 */
export interface Rule {
  id: string;
  kind: DetectionKind;
  /** Short, for the timeline: "Break-glass sign-in succeeded". */
  title: string;
  description: string;
  /** The severity this kind contributes to an incident outside a drill window. */
  severity: Severity;
  /** Two or three concrete steps for the responder. */
  runbook: readonly string[];
  references: readonly string[];
  falsePositives: readonly string[];
  /**
   * True when the rule can only fire if the event's actor or a target is a break-glass account
   * (`ctx.actorAccount` or `ctx.targetAccount` set). The engine then skips it for the vast majority of
   * events, which involve no break-glass account. Leave it unset (or false) when the rule may fire for
   * anyone, like audit tampering: an unset flag costs speed, never a finding.
   */
  needsBreakGlass?: boolean;
  /**
   * Declared correlation across accounts: findings of this rule about different break-glass accounts
   * that share this value within the session gap form one incident (the first account's). Undefined:
   * each account's findings correlate on their own.
   */
  groupBy?(event: AuditEvent): string | undefined;
  evaluate(event: AuditEvent, ctx: RuleContext): RuleMatch | undefined;
}
