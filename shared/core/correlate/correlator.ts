import type { Finding } from '../model/finding.js';
import type { Incident, IncidentChange } from '../model/incident.js';
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

  async record(incoming: readonly Finding[]): Promise<IncidentChange[]> {
    const byKey = new Map<string, Finding[]>();
    const findings = await joinWrappedOpenings(this.repository, incoming);
    await rememberOpenings(this.repository, this.policy, findings);
    const judged = await judgeOpenings(this.repository, this.policy, findings);
    const linked = await resolveLinks(this.repository, this.policy, judged, true);
    for (const finding of linked.sort((a, b) => a.event.timeMs - b.event.timeMs)) {
      const list = byKey.get(finding.correlationKey);
      if (list) list.push(finding);
      else byKey.set(finding.correlationKey, [finding]);
    }
    const changes: IncidentChange[] = [];
    for (const [key, keyFindings] of byKey) changes.push(...(await this.recordKey(key, keyFindings)));
    return changes;
  }

  /**
   * The stored incidents these findings belong to, whether or not this run changed them (a replay of
   * files already seen still reports their incidents).
   */
  async incidentsFor(findings: readonly Finding[]): Promise<Incident[]> {
    const found = new Map<string, Incident>();
    const heads = new Map<string, Incident | undefined>();
    const joined = await joinWrappedOpenings(this.repository, findings, false);
    for (const finding of await resolveLinks(this.repository, this.policy, joined, false)) {
      const key = finding.correlationKey;
      if (!heads.has(key)) heads.set(key, await this.repository.loadHead(key));
      const head = heads.get(key);
      const eventId = finding.event.id;
      if (head?.events.some((e) => e.id === eventId)) {
        found.set(head.id, head);
        continue;
      }
      if ([...found.values()].some((i) => i.correlationKey === key && i.events.some((e) => e.id === eventId))) continue;
      const gap = this.policy.sessionGapMs(finding.account);
      const covering = await this.repository.findCovering(key, finding.event.timeMs, gap);
      if (covering) found.set(covering.id, covering);
    }
    return [...found.values()].sort((a, b) => a.firstSeen.localeCompare(b.firstSeen) || a.id.localeCompare(b.id));
  }

  /** Closes every session whose gap has passed by `nowMs`. */
  async closeEnded(nowMs: number): Promise<IncidentChange[]> {
    const changes: IncidentChange[] = [];
    for (const head of await this.repository.listHeads()) {
      let current: Incident | undefined = head;
      for (let attempt = 0; current && attempt < MAX_CONFLICT_RETRIES; attempt++) {
        const closed = closeIfEnded(current, nowMs, this.policy);
        if (!closed) break;
        const next = { ...closed, version: current.version + 1 };
        if (await this.repository.saveHead(next, current.version)) {
          await this.repository.saveCopy(next);
          changes.push({ kind: 'closed', incident: next, newEvents: [] });
          break;
        }
        current = await this.repository.loadHead(head.correlationKey);
      }
    }
    return changes;
  }

  private async recordKey(key: string, findings: Finding[]): Promise<IncidentChange[]> {
    for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
      const head = await this.repository.loadHead(key);
      const update = applyFindings(head, findings, this.policy);
      const changes = [...update.changes];
      if (update.head && update.head !== head) {
        const next = { ...update.head, version: (head?.version ?? -1) + 1 };
        // Archive the sessions this batch ended before moving the head past them.
        for (const ended of update.ended) await this.repository.saveCopy({ ...ended, version: ended.version + 1 });
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
