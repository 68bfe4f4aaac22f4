import { concurrently, STORE_WRITES_AT_ONCE } from '../concurrently.js';
import type { Finding } from '../model/finding.js';
import { byFirstSeen, type Incident, type IncidentChange } from '../model/incident.js';
import type { IncidentRepository } from '../ports/incident-repository.js';
import { resolveLinks } from './links.js';
import { judgeOpenings, rememberOpenings } from './openings.js';
import {
  addFinding,
  applyFindings,
  closeIfEnded,
  openIncident,
  type SessionPolicy,
  startsOwnSession,
} from './session.js';
import { joinWrappedOpenings } from './wrapped-openings.js';

/** Writers racing on one key retry this often before giving up (each retry re-reads the head). */
const MAX_CONFLICT_RETRIES = 25;

export class CorrelationConflictError extends Error {
  override readonly name = 'CorrelationConflictError';
  constructor(readonly correlationKey: string) {
    super(`correlation key ${correlationKey}: gave up after ${MAX_CONFLICT_RETRIES} concurrent-write conflicts`);
  }
}

/**
 * Turns findings into incident changes, atomically per correlation key and idempotently per audit
 * event: the same event delivered by S3 and EventBridge, or an SQS batch delivered twice, changes
 * nothing the second time. Concurrent writers on one key serialise through the head's version.
 */
export class Correlator {
  constructor(
    private readonly repository: IncidentRepository,
    private readonly policy: SessionPolicy,
  ) {}

  /**
   * Every key's head is read in one go; each key is then written on its own (keys at once), and a key
   * whose head moved meanwhile reads it again and retries. The changes come key by key, in the order
   * of each key's first finding.
   */
  async record(incoming: readonly Finding[]): Promise<IncidentChange[]> {
    const findings = await joinWrappedOpenings(this.repository, incoming);
    await rememberOpenings(this.repository, this.policy, findings);
    const judged = await judgeOpenings(this.repository, this.policy, findings);
    const linked = await resolveLinks(this.repository, this.policy, judged, true);
    const byKey = byCorrelationKey(linked.sort((a, b) => a.event.timeMs - b.event.timeMs));
    const heads = await this.repository.loadHeads([...byKey.keys()]);
    const perKey = await concurrently([...byKey], STORE_WRITES_AT_ONCE, ([key, keyFindings]) =>
      this.recordKey(key, keyFindings, heads.get(key)),
    );
    return perKey.flat();
  }

  /**
   * The stored incidents these findings belong to, whether or not this run changed them (a replay of
   * files already seen still reports their incidents): the key's head when it holds the finding's
   * event, else the archived session covering the finding's time (all of one key's in one read).
   */
  async incidentsFor(findings: readonly Finding[]): Promise<Incident[]> {
    const found = new Map<string, Incident>();
    const joined = await joinWrappedOpenings(this.repository, findings, false);
    const byKey = byCorrelationKey(await resolveLinks(this.repository, this.policy, joined, false));
    const heads = await this.repository.loadHeads([...byKey.keys()]);
    for (const [key, keyFindings] of byKey) {
      const head = heads.get(key);
      const inHead = new Set(head?.events.map((e) => e.id));
      const rest = keyFindings.filter((f) => !inHead.has(f.event.id));
      if (head && rest.length < keyFindings.length) found.set(head.id, head);
      if (rest.length === 0) continue;
      const probes = rest.map((f) => ({ timeMs: f.event.timeMs, gapMs: this.policy.sessionGapMs(f.account) }));
      const covering = await this.repository.findCoveringEach(key, probes);
      // Finding by finding: an event already in a session found for this key needs no other.
      const known = new Set<string>();
      rest.forEach((finding, i) => {
        const incident = covering[i];
        if (!incident || known.has(finding.event.id)) return;
        // The key's latest session is reported as its head, the store's latest word on it.
        found.set(incident.id, head && incident.id === head.id ? head : incident);
        for (const event of incident.events) known.add(event.id);
      });
    }
    return [...found.values()].sort(byFirstSeen);
  }

  /** Closes every session whose gap has passed by `nowMs` (keys at once; the changes in the heads' order). */
  async closeEnded(nowMs: number): Promise<IncidentChange[]> {
    const closed = await concurrently(await this.repository.listOpenHeads(), STORE_WRITES_AT_ONCE, (head) =>
      this.closeIfEndedKey(head, nowMs),
    );
    return closed.filter((change) => change !== undefined);
  }

  private async closeIfEndedKey(head: Incident, nowMs: number): Promise<IncidentChange | undefined> {
    let current: Incident | undefined = head;
    for (let attempt = 0; current && attempt < MAX_CONFLICT_RETRIES; attempt++) {
      const closed = closeIfEnded(current, nowMs, this.policy);
      if (!closed) return undefined;
      const next = { ...closed, version: current.version + 1 };
      if (await this.repository.saveHead(next, current.version)) {
        await this.repository.saveCopy(next);
        return { kind: 'closed', incident: next, newEvents: [] };
      }
      current = await this.repository.loadHead(head.correlationKey);
    }
    return undefined;
  }

  /** One key's findings, over `preloaded` (the head read with the others) and then over a fresh read per conflict. */
  private async recordKey(
    key: string,
    findings: Finding[],
    preloaded: Incident | undefined,
  ): Promise<IncidentChange[]> {
    for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
      const head = attempt === 0 ? preloaded : await this.repository.loadHead(key);
      const update = applyFindings(head, findings, this.policy);
      const changes = [...update.changes];
      if (update.head && update.head !== head) {
        const next = { ...update.head, version: (head?.version ?? -1) + 1 };
        // Archive the sessions this batch ended before moving the head past them.
        await concurrently(update.ended, STORE_WRITES_AT_ONCE, (ended) =>
          this.repository.saveCopy({ ...ended, version: ended.version + 1 }),
        );
        if (!(await this.repository.saveHead(next, head?.version))) continue;
        await this.repository.saveCopy(next);
        for (const change of changes) if (change.incident.id === next.id) change.incident = next;
      }
      changes.push(...(await this.recordOlder(key, update.older)));
      return changes;
    }
    throw new CorrelationConflictError(key);
  }

  /**
   * Findings that predate the key's latest session: rare (a late S3 delivery after a newer session
   * started). Each joins the archived incident covering it, or opens one of its own, through a
   * compare-and-set on the archived copy, so racing writers retry instead of overwriting each other.
   */
  private async recordOlder(key: string, findings: Finding[]): Promise<IncidentChange[]> {
    const changes: IncidentChange[] = [];
    for (const finding of findings) {
      const change = await this.recordOlderOne(key, finding);
      if (change) changes.push(change);
    }
    return changes;
  }

  private async recordOlderOne(key: string, finding: Finding): Promise<IncidentChange | undefined> {
    const gap = this.policy.sessionGapMs(finding.account);
    for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
      const covering = await this.repository.findCovering(key, finding.event.timeMs, gap);
      // A late real event never joins an archived drill (nor a drill a real session): see startsOwnSession.
      if (covering && !startsOwnSession(covering, finding, this.policy)) {
        const next = addFinding(covering, finding, this.policy);
        if (next === covering) return undefined; // already recorded
        const saved = { ...next, version: covering.version + 1 };
        if (!(await this.repository.replaceCopy(saved, covering.version))) continue;
        return {
          kind: 'extended',
          incident: saved,
          newEvents: saved.events.filter((e) => e.id === finding.event.id),
          previous: { severity: covering.severity, detections: covering.detections },
        };
      }
      // Its session ended long ago (the head has moved on): it is recorded closed, and still paged.
      const opened = { ...openIncident(finding, this.policy), status: 'closed' as const };
      if (await this.repository.getIncident(opened.id)) return undefined; // an earlier delivery opened it
      if (!(await this.repository.replaceCopy(opened, undefined))) continue;
      return { kind: 'opened', incident: opened, newEvents: opened.events };
    }
    throw new CorrelationConflictError(key);
  }
}

/** Findings grouped by correlation key, in the order of each key's first finding. */
function byCorrelationKey(findings: readonly Finding[]): Map<string, Finding[]> {
  const byKey = new Map<string, Finding[]>();
  for (const finding of findings) {
    const list = byKey.get(finding.correlationKey);
    if (list) list.push(finding);
    else byKey.set(finding.correlationKey, [finding]);
  }
  return byKey;
}
