import type { AuditEvent } from '../model/audit-event.js';
import type { Finding } from '../model/finding.js';
import type { RegistryMatcher, Resolution } from '../registry/index.js';
import { RuleError, RuleSetError } from './errors.js';
import { toFinding } from './findings.js';
import type { Rule, RuleContext } from './rule.js';
import { RULES } from './rules/index.js';

/** What {@link detect} found in one event, and the rules that failed on it. */
export interface DetectResult {
  findings: Finding[];
  errors: RuleError[];
}

/** A rule list split once: all rules, and those that can fire when no break-glass account is involved. */
interface PreparedRules {
  all: readonly Rule[];
  anyone: readonly Rule[];
}

const prepared = new WeakMap<readonly Rule[], PreparedRules>();

/**
 * Runs every rule on one event, each in isolation: a rule that throws becomes a {@link RuleError}
 * and the others still run. Runs on every audit event of every log file, so the common case — no
 * break-glass actor or target — costs the registry look-ups plus the rules that declare
 * `needsBreakGlass: false` (audit tampering).
 *
 * @example
 * const matcher = new RegistryMatcher(parseRegistry(text, path));
 * const { findings, errors } = detect(event, matcher);
 */
export function detect(event: AuditEvent, matcher: RegistryMatcher, rules: readonly Rule[] = RULES): DetectResult {
  const ctx = ruleContext(event, matcher);
  const { all, anyone } = prepare(rules);
  const candidates = ctx.actorAccount || ctx.targetAccount || ctx.caller ? all : anyone;
  const findings: Finding[] = [];
  const errors: RuleError[] = [];
  for (const rule of candidates) {
    try {
      const match = rule.evaluate(event, ctx);
      if (match) findings.push(toFinding(rule, match, event, ctx));
    } catch (error) {
      errors.push(new RuleError(rule.id, event.id, event.origin, { cause: error }));
    }
  }
  return { findings, errors };
}

/**
 * What every rule may ask about an event, computed once. For an authentication event whose session is
 * not the actor's own (`AssumeRole*`), the account that acted is the one whose session was obtained.
 */
export function ruleContext(event: AuditEvent, matcher: RegistryMatcher): RuleContext {
  // A person acting through a service account they impersonate is that person acting.
  const actor =
    matcher.resolve(event.cloud, event.authenticatedAs ?? event.actor) ??
    (event.authenticatedAs ? undefined : matcher.resolve(event.cloud, event.actor.delegatedBy));
  const caller = event.authenticatedAs ? matcher.resolve(event.cloud, event.actor) : undefined;
  let target: Resolution | undefined;
  for (const ref of event.targets) {
    target = matcher.resolve(event.cloud, ref);
    if (target) break;
  }
  return {
    registry: matcher,
    actorAccount: actor?.account,
    targetAccount: target?.account,
    actor,
    target,
    ...(caller ? { caller } : {}),
  };
}

/** Splits and checks a rule list once per list (cached by identity: RULES is prepared once per process). */
function prepare(rules: readonly Rule[]): PreparedRules {
  let result = prepared.get(rules);
  if (result) return result;
  const seen = new Map<string, number>();
  const problems: string[] = [];
  rules.forEach((rule, i) => {
    const first = seen.get(rule.id);
    if (first !== undefined) problems.push(`rules[${i}] (id ${rule.id}): duplicate of rules[${first}]`);
    else seen.set(rule.id, i);
  });
  if (problems.length > 0) throw new RuleSetError(problems);
  result = { all: rules, anyone: rules.filter((rule) => rule.needsBreakGlass !== true) };
  prepared.set(rules, result);
  return result;
}
