import type { Finding } from '../model/finding.js';
import type { IncidentRepository } from '../ports/incident-repository.js';
import type { SessionPolicy } from './session.js';

/**
 * Correlation across records that do not share a key, declared on the finding (`Finding.link`) and
 * kept in the store as `alias → correlation key` until a time:
 * - `declares` / `joins`: an `sts:AssumeRoot` declares the access key it issued; the privileged
 *   session's records, which name only that key, join the caller's incident;
 * - `groups`: findings of several break-glass accounts sharing a value (the source IP of sign-in
 *   failures) within the session gap join the incident of the first one, so a password spray is one
 *   incident naming every account tried. A lone account keeps its own key.
 */

/**
 * How long a declared link is kept after its event: the privileged root session lasts at most 900 s
 * (STS AssumeRoot `DurationSeconds`); a day covers late log deliveries.
 */
const DECLARED_LINK_MS = 24 * 60 * 60_000;

interface Live {
  key: string;
  untilMs: number;
}

/** The findings with the correlation key their links name. `write: false` only reads (reports). */
export async function resolveLinks(
  repository: IncidentRepository,
  policy: SessionPolicy,
  findings: readonly Finding[],
  write: boolean,
): Promise<Finding[]> {
  if (!findings.some((f) => f.link !== undefined)) return [...findings];
  const live = new Map<string, Live | undefined>();
  const lookup = async (alias: string) => {
    if (!live.has(alias)) {
      const stored = await repository.loadAlias(alias);
      live.set(alias, stored && { key: stored.correlationKey, untilMs: stored.expiresAtMs });
    }
    return live.get(alias);
  };
  const moved = new Map<Finding, string>();
  const changed = new Set<string>();

  for (const finding of findings) {
    const link = finding.link;
    if (link?.kind !== 'declares' || live.get(link.alias)) continue;
    let target = (await lookup(link.alias))?.key;
    // The session's records were correlated first: they opened an incident under the alias; join it.
    if (target === undefined && (await repository.loadHead(link.alias))) target = link.alias;
    target ??= finding.correlationKey;
    live.set(link.alias, { key: target, untilMs: finding.event.timeMs + DECLARED_LINK_MS });
    changed.add(link.alias);
  }
  for (const finding of [...findings].sort((a, b) => a.event.timeMs - b.event.timeMs)) {
    const link = finding.link;
    if (link === undefined || link.kind === 'declares') {
      const target = link ? live.get(link.alias)?.key : undefined;
      if (target !== undefined) moved.set(finding, target);
      continue;
    }
    const current = await lookup(link.alias);
    const isLive = current !== undefined && finding.event.timeMs < current.untilMs;
    if (link.kind === 'joins') {
      if (current !== undefined) moved.set(finding, current.key);
      continue;
    }
    // groups: join the live group, or start one; every member extends its window.
    const key = isLive ? current.key : finding.correlationKey;
    const untilMs = finding.event.timeMs + policy.sessionGapMs(finding.account);
    live.set(link.alias, { key, untilMs: isLive ? Math.max(current.untilMs, untilMs) : untilMs });
    changed.add(link.alias);
    moved.set(finding, key);
  }
  if (write) {
    for (const alias of changed) {
      const entry = live.get(alias);
      if (entry) await repository.saveAlias(alias, entry.key, entry.untilMs);
    }
  }
  return findings.map((finding) => {
    const target = moved.get(finding);
    return target === undefined || target === finding.correlationKey ? finding : { ...finding, correlationKey: target };
  });
}
