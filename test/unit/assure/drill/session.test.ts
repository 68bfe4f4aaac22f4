import { describe, expect, it } from 'vitest';
import { applyFindings, isDrillFinding } from '../../../../shared/core/correlate/session.js';
import type { Incident } from '../../../../shared/core/model/incident.js';
import { finding } from '../../../support/findings.js';
import { matcher } from '../support/world.js';

/**
 * How drill sessions and real ones meet: real activity never hides inside a drill session (which may
 * already be closed and its page resolved), each synthetic drill opens its own incident, and a drill
 * never ends a real session.
 */

const KEY = 'acct:aws-prod-root';

function marked(id: string, time: string, account = 'aws-prod-root') {
  const f = finding({ id, time, kind: 'signin.success' });
  f.event.origin = { location: 'drill', trustedTransport: 'in-process', drill: { drillId: id, account } };
  return f;
}

function closed(incident: Incident | undefined): Incident {
  if (!incident) throw new Error('no incident');
  return { ...incident, status: 'closed', version: incident.version + 1 };
}

describe('drill sessions', () => {
  it('treats a marked finding as a drill only for the account its marker names', () => {
    expect(isDrillFinding(marked('d1', '2026-03-01T10:00:00Z'), matcher)).toBe(true);
    expect(isDrillFinding(marked('d2', '2026-03-01T10:00:00Z', 'gcp-super-admin'), matcher)).toBe(false);
    expect(isDrillFinding(finding({ id: 'r', time: '2026-03-01T10:00:00Z' }), matcher)).toBe(false);
  });

  it('opens a new, critical incident for real activity minutes after a drill closed its own session', () => {
    const drill = applyFindings(undefined, [marked('d1', '2026-03-01T10:00:00Z')], matcher);
    expect(drill.head).toMatchObject({ drill: true, severity: 'low' });
    const real = applyFindings(closed(drill.head), [finding({ id: 'r1', time: '2026-03-01T10:03:00Z' })], matcher);
    expect(real.head?.id).not.toBe(drill.head?.id);
    expect(real.head).toMatchObject({ drill: false, severity: 'critical', status: 'open' });
    expect(real.changes.map((c) => c.kind)).toEqual(['closed', 'opened']);
  });

  it('ends an open drill session when real activity arrives during it, instead of joining it', () => {
    const drill = applyFindings(undefined, [marked('d1', '2026-03-01T10:00:00Z')], matcher);
    const real = applyFindings(drill.head, [finding({ id: 'r1', time: '2026-03-01T09:59:00Z' })], matcher);
    expect(real.ended.map((i) => i.id)).toEqual([drill.head?.id]);
    expect(real.head).toMatchObject({ drill: false, severity: 'critical', firstSeen: '2026-03-01T09:59:00.000Z' });
  });

  it('gives each synthetic drill its own incident, even within the session gap of the previous one', () => {
    const first = applyFindings(undefined, [marked('d1', '2026-03-01T10:00:00Z')], matcher);
    const second = applyFindings(closed(first.head), [marked('d2', '2026-03-01T10:02:00Z')], matcher);
    expect(second.head?.id).not.toBe(first.head?.id);
    expect(second.head?.events.map((e) => e.id)).toEqual(['aws:d2']);
    expect(second.changes.at(-1)?.kind).toBe('opened');
  });

  it('lets a drill join an open real session without making it a drill or ending it', () => {
    const real = applyFindings(undefined, [finding({ id: 'r1', time: '2026-03-01T10:00:00Z' })], matcher);
    const drill = applyFindings(real.head, [marked('d1', '2026-03-01T10:05:00Z')], matcher);
    expect(drill.head?.id).toBe(real.head?.id);
    expect(drill.head).toMatchObject({ drill: false, severity: 'critical', status: 'open' });
    expect(drill.ended).toEqual([]);
  });

  it('still groups a declared drill window into one drill session', () => {
    const update = applyFindings(
      undefined,
      [finding({ id: 'w1', time: '2026-01-10T09:05:00Z' }), finding({ id: 'w2', time: '2026-01-10T09:20:00Z' })],
      matcher,
    );
    expect(update.changes.map((c) => c.kind)).toEqual(['opened']);
    expect(update.head).toMatchObject({ drill: true, correlationKey: KEY });
  });
});
