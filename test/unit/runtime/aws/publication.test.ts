import { describe, expect, it } from 'vitest';
import { snapshotOf } from '../../../../shared/adapters/aws/publication-ledger.js';
import { addFinding, openIncident } from '../../../../shared/core/correlate/session.js';
import type { Incident } from '../../../../shared/core/model/incident.js';
import { changesSince } from '../../../../shared/runtime/aws/publication.js';
import { finding } from '../../../support/findings.js';

const policy = { sessionGapMs: () => 3_600_000, drillAt: () => undefined };
const opened = openIncident(finding({ id: 'a', time: '2026-11-20T10:00:00Z', kind: 'signin.failure' }), policy);
const next = (incident: Incident, f: Parameters<typeof finding>[0]): Incident => ({
  ...addFinding(incident, finding(f), policy),
  version: incident.version + 1,
});

describe('changesSince', () => {
  it('opens an incident subscribers have never heard of, with every event', () => {
    expect(changesSince(undefined, opened)).toEqual([{ kind: 'opened', incident: opened, newEvents: opened.events }]);
  });

  it('opens and closes one that also ended meanwhile', () => {
    const closed = { ...opened, status: 'closed' as const };
    expect(changesSince(undefined, closed).map((c) => c.kind)).toEqual(['opened', 'closed']);
  });

  it('extends with only the events subscribers have not seen, and the severity they last saw', () => {
    const extended = next(opened, { id: 'b', time: '2026-11-20T10:05:00Z', kind: 'activity' });
    const [change, ...rest] = changesSince(snapshotOf(opened), extended);
    expect(rest).toEqual([]);
    expect(change?.kind).toBe('extended');
    expect(change?.newEvents.map((e) => e.id)).toEqual(['aws:b']);
    expect(change?.previous).toEqual({ severity: 'medium', detections: ['signin.failure'] });
  });

  it('counts a new detection kind on a known event as a change', () => {
    const sameEvent = next(opened, { id: 'a', time: '2026-11-20T10:00:00Z', kind: 'audit.tamper' });
    const [change] = changesSince(snapshotOf(opened), sameEvent);
    expect(change?.kind).toBe('extended');
    expect(change?.newEvents.map((e) => e.kinds)).toEqual([['signin.failure', 'audit.tamper']]);
  });

  it('says closed when the session ended since', () => {
    const closed = { ...opened, status: 'closed' as const, version: 1 };
    expect(changesSince(snapshotOf(opened), closed).map((c) => c.kind)).toEqual(['closed']);
  });

  it('says nothing when subscribers already hold this version or a newer one', () => {
    const extended = next(opened, { id: 'b', time: '2026-11-20T10:05:00Z' });
    expect(changesSince(snapshotOf(extended), extended)).toEqual([]);
    expect(changesSince(snapshotOf(extended), opened)).toEqual([]);
  });
});
