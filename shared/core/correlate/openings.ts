import type { Finding } from '../model/finding.js';
import type { IncidentRepository } from '../ports/incident-repository.js';
import type { SessionPolicy } from './session.js';

/**
 * "Signed in without opening the vault" needs history: the detect stage names every sign-in of an
 * account with a declared store (`signin.without-opening`), and this keeps only those with no opening
 * (`credential.access` on that account) in the account's `credential.openingWindowHours` W before it.
 *
 * The incident store is the truth, and it must answer for every opening in the window, not only the
 * latest: a sign-in delivered late (an S3 log file after the EventBridge copy of a later opening) is
 * judged against the openings before it. Time is cut into W-long buckets; per account and bucket the
 * store keeps the earliest and the latest opening, as aliases
 * `credential-opening#<account>#<bucket>#first|last` whose expiry is the opening's time plus W (the
 * time until which it covers a sign-in). A sign-in at t in bucket k is covered exactly when bucket k's
 * earliest opening is at or before t, or bucket k-1's latest is at or after t - W: any opening in
 * [t - W, t] lies in one of the two, and those two are the ones nearest the window's edges.
 */
const ALIAS_PREFIX = 'credential-opening#';

type Edge = 'first' | 'last';

const aliasOf = (account: string, bucket: number, edge: Edge) => `${ALIAS_PREFIX}${account}#${bucket}#${edge}`;

export async function judgeOpenings(
  repository: IncidentRepository,
  policy: SessionPolicy,
  findings: readonly Finding[],
): Promise<Finding[]> {
  const openings = findings.filter((f) => f.kind === 'credential.access' && f.account !== null);
  // Each bucket edge is read once per batch, however many sign-ins of the account fall in the bucket.
  const edges = new Map<string, Promise<{ expiresAtMs: number } | undefined>>();
  const edge = (alias: string) => {
    let read = edges.get(alias);
    if (!read) {
      read = repository.loadAlias(alias);
      edges.set(alias, read);
    }
    return read;
  };
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
    const bucket = Math.floor(signedInMs / windowMs);
    const stored = async (b: number, side: Edge) => {
      const alias = await edge(aliasOf(account, b, side));
      return alias === undefined ? undefined : alias.expiresAtMs - windowMs;
    };
    const first = await stored(bucket, 'first');
    if (first !== undefined && covers(first)) continue;
    const last = await stored(bucket - 1, 'last');
    if (last !== undefined && covers(last)) continue;
    kept.push(finding);
  }
  return kept;
}

/** Records, per account and W-long bucket, the earliest and the latest opening (each only ever widened). */
export async function rememberOpenings(
  repository: IncidentRepository,
  policy: SessionPolicy,
  findings: readonly Finding[],
): Promise<void> {
  type Edges = { account: string; key: string; bucket: number; windowMs: number; first: number; last: number };
  const edges = new Map<string, Edges>();
  for (const f of findings) {
    if (f.kind !== 'credential.access' || f.account === null) continue;
    const windowMs = policy.openingWindowMs?.(f.account);
    if (windowMs === undefined) continue;
    const timeMs = f.event.timeMs;
    const bucket = Math.floor(timeMs / windowMs);
    const key = `${f.account}#${bucket}`;
    const seen = edges.get(key);
    if (!seen) {
      const edge = { account: f.account, key: f.correlationKey, bucket, windowMs, first: timeMs, last: timeMs };
      edges.set(key, edge);
    } else {
      seen.first = Math.min(seen.first, timeMs);
      seen.last = Math.max(seen.last, timeMs);
    }
  }
  for (const { account, key: target, bucket, windowMs, first, last } of edges.values()) {
    const firstAlias = aliasOf(account, bucket, 'first');
    const storedFirst = await repository.loadAlias(firstAlias);
    if (storedFirst === undefined || storedFirst.expiresAtMs > first + windowMs) {
      await repository.saveAlias(firstAlias, target, first + windowMs);
    }
    const lastAlias = aliasOf(account, bucket, 'last');
    const storedLast = await repository.loadAlias(lastAlias);
    if (storedLast === undefined || storedLast.expiresAtMs < last + windowMs) {
      await repository.saveAlias(lastAlias, target, last + windowMs);
    }
  }
}
