import type { Finding } from '../model/finding.js';
import type { IncidentRepository } from '../ports/incident-repository.js';
import type { SessionPolicy } from './session.js';

/**
 * "Signed in without opening the vault" needs history: the detect stage names every sign-in of an
 * account with a declared store (`signin.without-opening`), and this keeps only those with no opening
 * (`credential.access` on that account) in the account's `credential.openingWindowHours` before it.
 *
 * The incident store is the truth: each opening is recorded as an alias `credential-opening#<account>`
 * whose expiry is the latest opening's time plus the window (the time until which it covers a
 * sign-in). Only the latest opening is kept, so a sign-in older than it cannot be judged (an earlier
 * opening may have covered it) and is not reported; the sign-in itself is still `signin.success`.
 */
const ALIAS_PREFIX = 'credential-opening#';

export async function judgeOpenings(
  repository: IncidentRepository,
  policy: SessionPolicy,
  findings: readonly Finding[],
): Promise<Finding[]> {
  const openings = findings.filter((f) => f.kind === 'credential.access' && f.account !== null);
  const kept: Finding[] = [];
  for (const finding of findings) {
    if (finding.kind !== 'signin.without-opening') {
      kept.push(finding);
      continue;
    }
    const account = finding.account;
    const windowMs = account === null ? undefined : policy.openingWindowMs?.(account);
    if (account === null || windowMs === undefined) continue;
    const signedInMs = finding.event.timeMs;
    const covers = (openedMs: number) => openedMs <= signedInMs && signedInMs - openedMs <= windowMs;
    if (openings.some((o) => o.account === account && covers(o.event.timeMs))) continue;
    const stored = await repository.loadAlias(`${ALIAS_PREFIX}${account}`);
    if (stored !== undefined) {
      const openedMs = stored.expiresAtMs - windowMs;
      if (covers(openedMs) || openedMs > signedInMs) continue;
    }
    kept.push(finding);
  }
  return kept;
}

/** Records the latest opening per account (never moving it back in time). */
export async function rememberOpenings(
  repository: IncidentRepository,
  policy: SessionPolicy,
  findings: readonly Finding[],
): Promise<void> {
  const latest = new Map<string, Finding>();
  for (const f of findings) {
    if (f.kind !== 'credential.access' || f.account === null) continue;
    const seen = latest.get(f.account);
    if (!seen || seen.event.timeMs < f.event.timeMs) latest.set(f.account, f);
  }
  for (const [account, opening] of latest) {
    const windowMs = policy.openingWindowMs?.(account);
    if (windowMs === undefined) continue;
    const alias = `${ALIAS_PREFIX}${account}`;
    const expiresAtMs = opening.event.timeMs + windowMs;
    const stored = await repository.loadAlias(alias);
    if (stored === undefined || stored.expiresAtMs < expiresAtMs) {
      await repository.saveAlias(alias, opening.correlationKey, expiresAtMs);
    }
  }
}
