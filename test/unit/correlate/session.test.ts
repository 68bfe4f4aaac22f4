import { describe, expect, it } from 'vitest';
import {
  addFinding,
  applyFindings,
  closeIfEnded,
  incidentId,
  openIncident,
  severityOf,
} from '../../../shared/core/correlate/session.js';
import { parseRegistry, RegistryMatcher } from '../../../shared/core/registry/index.js';
import { finding } from '../../support/findings.js';

const policy = new RegistryMatcher(
  parseRegistry(
    `accounts:
  - { id: aws-prod-root, cloud: aws, match: { arn: "arn:aws:iam::111122223333:root" } }
drills:
  - { account: aws-prod-root, start: "2026-11-18T14:00:00Z", end: "2026-11-18T16:00:00Z" }`,
    'r.yaml',
  ),
);

describe('applyFindings with a finding’s own severity and paging decision (tamper entries)', () => {
  const tamper = (id: string, time: string, severity: 'critical' | 'medium', pagesAtOnce: boolean) => ({
    ...finding({ id, time, kind: 'audit.tamper', account: null }),
    severity,
    pagesAtOnce,
  });

  it('raises the incident to the finding’s severity, and never lowers it again', () => {
    const update = applyFindings(
      undefined,
      [tamper('a', '2026-11-20T10:00:00Z', 'critical', true), tamper('b', '2026-11-20T10:05:00Z', 'medium', false)],
      policy,
    );
    expect(update.head?.severity).toBe('critical');
    expect(update.head?.quiet).toBeUndefined();
  });

  it('rates a batch once at its end exactly as finding by finding, for the head and the session it ended', () => {
    const severities = ['medium', 'critical', 'medium'] as const;
    const batch = Array.from({ length: 30 }, (_, i) =>
      tamper(
        `t${i}`,
        new Date(Date.parse('2026-11-20T10:00:00Z') + i * 60_000).toISOString(),
        severities[i % 3] ?? 'medium',
        i % 3 !== 1,
      ),
    );
    const late = tamper('late', '2026-11-20T14:00:00Z', 'medium', false);
    const update = applyFindings(undefined, [...batch, late], policy);
    const [first, ...rest] = batch;
    if (!first) throw new Error('no findings');
    const oneByOne = rest.reduce((incident, f) => addFinding(incident, f, policy), openIncident(first, policy));
    expect(update.ended).toEqual([{ ...oneByOne, status: 'closed' }]);
    expect(update.head).toEqual(openIncident(late, policy));
    expect(update.changes[0]?.incident).toEqual(oneByOne);
  });

  it('extends a stored head as finding by finding would, in time order, without changing the stored object', () => {
    const at = (minute: number) => new Date(Date.parse('2026-11-20T10:00:00Z') + minute * 60_000).toISOString();
    const head = [1, 2].reduce(
      (incident, i) => addFinding(incident, tamper(`s${i}`, at(i * 10), 'medium', false), policy),
      openIncident(tamper('s0', at(0), 'medium', false), policy),
    );
    const stored = structuredClone(head);
    // Between stored events, one event already stored, one event again with a second kind.
    const batch = [
      tamper('n0', at(5), 'critical', true),
      tamper('s1', at(10), 'medium', false),
      tamper('n1', at(25), 'medium', false),
      { ...tamper('n1', at(25), 'medium', false), kind: 'signin.success' as const },
      tamper('n2', at(30), 'medium', false),
    ];
    const update = applyFindings(head, batch, policy);
    expect(head).toEqual(stored);
    const oneByOne = batch.reduce((incident, f) => addFinding(incident, f, policy), head);
    expect(update.head).toEqual(oneByOne);
    const ids = (events: readonly { id: string }[] = []) => events.map((e) => e.id.replace(/^aws:/, ''));
    expect(ids(update.head?.events)).toEqual(['s0', 'n0', 's1', 's2', 'n1', 'n2']);
    expect(update.head?.events[4]?.kinds).toEqual(['audit.tamper', 'signin.success']);
    expect(update.changes.map((c) => [c.kind, ids(c.newEvents)])).toEqual([['extended', ['n0', 'n1', 'n2']]]);
  });

  it('stays quiet while every finding is routine, and stops being quiet with the first that pages', () => {
    const first = applyFindings(undefined, [tamper('a', '2026-11-20T10:00:00Z', 'medium', false)], policy);
    expect(first.head).toMatchObject({ severity: 'medium', quiet: true });
    const second = applyFindings(first.head, [tamper('b', '2026-11-20T10:05:00Z', 'critical', true)], policy);
    expect(second.head?.quiet).toBeUndefined();
    expect(second.head?.severity).toBe('critical');
  });
});

describe('applyFindings', () => {
  it('groups findings whose gaps are under the session gap into one incident', () => {
    const update = applyFindings(
      undefined,
      [
        finding({ id: 'a', time: '2026-11-20T10:00:00Z', kind: 'signin.success' }),
        finding({ id: 'b', time: '2026-11-20T10:50:00Z' }),
        finding({ id: 'c', time: '2026-11-20T11:45:00Z' }),
      ],
      policy,
    );
    expect(update.changes.map((c) => c.kind)).toEqual(['opened']);
    expect(update.head?.events.map((e) => e.id)).toEqual(['aws:a', 'aws:b', 'aws:c']);
    expect(update.head?.severity).toBe('critical');
    expect(update.head?.detections).toEqual(['signin.success', 'activity']);
  });

  it('starts a new incident after a gap of the session gap or more, closing the first', () => {
    const update = applyFindings(
      undefined,
      [finding({ id: 'a', time: '2026-11-20T10:00:00Z' }), finding({ id: 'b', time: '2026-11-20T11:00:00Z' })],
      policy,
    );
    expect(update.changes.map((c) => c.kind)).toEqual(['opened', 'closed', 'opened']);
    expect(update.ended).toHaveLength(1);
    expect(update.ended[0]?.id).not.toBe(update.head?.id);
  });

  it('counts the same event once, merging the kinds two rules gave it', () => {
    const first = applyFindings(
      undefined,
      [finding({ id: 'a', time: '2026-11-20T10:00:00Z', kind: 'signin.success' })],
      policy,
    );
    const again = applyFindings(
      first.head,
      [
        finding({ id: 'a', time: '2026-11-20T10:00:00Z', kind: 'signin.success' }),
        finding({ id: 'a', time: '2026-11-20T10:00:00Z', kind: 'signin.without-mfa' }),
      ],
      policy,
    );
    expect(again.head?.events).toHaveLength(1);
    expect(again.head?.events[0]?.kinds).toEqual(['signin.success', 'signin.without-mfa']);
    expect(again.changes).toMatchObject([{ kind: 'extended', previous: { severity: 'critical' } }]);
    const third = applyFindings(
      again.head,
      [finding({ id: 'a', time: '2026-11-20T10:00:00Z', kind: 'signin.success' })],
      policy,
    );
    expect(third.head).toBe(again.head);
    expect(third.changes).toEqual([]);
  });

  it('a second finding of a kind the event has counts when it raises that kind’s severity or brings a note', () => {
    const change = (severity?: 'critical', note?: string) => ({
      ...finding({ id: 'a', time: '2026-11-20T10:00:00Z', kind: 'account.change' }),
      ...(severity ? { severity } : {}),
      ...(note ? { note } : {}),
    });
    const first = applyFindings(undefined, [change()], policy);
    expect(first.head?.severity).toBe('high');
    const noted = applyFindings(first.head, [change(undefined, 'account disabled')], policy);
    expect(noted.head?.events[0]?.note).toBe('account disabled');
    const raised = applyFindings(noted.head, [change('critical', 'another note')], policy);
    expect(raised.head?.severity).toBe('critical');
    expect(raised.head?.events[0]).toMatchObject({ kinds: ['account.change'], note: 'account disabled' });
    expect(applyFindings(raised.head, [change('critical')], policy).changes).toEqual([]);
  });

  it('marks sessions inside a drill window as drills, never critical; one event outside ends that', () => {
    const drill = applyFindings(
      undefined,
      [
        finding({ id: 'a', time: '2026-11-18T14:05:00Z', kind: 'signin.success' }),
        finding({ id: 'b', time: '2026-11-18T15:30:00Z' }),
      ],
      policy,
    );
    expect(drill.head).toMatchObject({ drill: true, severity: 'low' });
    const spill = applyFindings(drill.head, [finding({ id: 'c', time: '2026-11-18T16:10:00Z' })], policy);
    expect(spill.head).toMatchObject({ drill: false, severity: 'critical' });
  });

  it('keeps tampering high inside a drill window', () => {
    expect(severityOf(['signin.success', 'audit.tamper'], true)).toBe('high');
    expect(severityOf(['signin.failure'], false)).toBe('medium');
  });

  it('rates a sign-in attempt high until the session states how it ended', () => {
    expect(severityOf(['signin.attempt'], false)).toBe('high');
    expect(severityOf(['signin.attempt', 'signin.failure'], false)).toBe('medium');
    expect(severityOf(['signin.attempt', 'signin.success'], false)).toBe('critical');
    expect(severityOf(['signin.attempt'], true)).toBe('low');
  });

  it('hands findings older than the current session back for the archive', () => {
    const first = applyFindings(undefined, [finding({ id: 'b', time: '2026-11-20T12:00:00Z' })], policy);
    const late = applyFindings(first.head, [finding({ id: 'a', time: '2026-11-20T09:00:00Z' })], policy);
    expect(late.older.map((f) => f.event.id)).toEqual(['aws:a']);
    expect(late.changes).toEqual([]);
  });

  it('derives stable ids and closes a session once its gap has passed', () => {
    expect(incidentId('acct:x', 'aws:1')).toBe(incidentId('acct:x', 'aws:1'));
    expect(incidentId('acct:x', 'aws:1')).not.toBe(incidentId('acct:y', 'aws:1'));
    const { head } = applyFindings(undefined, [finding({ id: 'a', time: '2026-11-20T10:00:00Z' })], policy);
    if (!head) throw new Error('no head');
    expect(closeIfEnded(head, Date.parse('2026-11-20T10:59:00Z'), policy)).toBeUndefined();
    expect(closeIfEnded(head, Date.parse('2026-11-20T11:00:00Z'), policy)?.status).toBe('closed');
  });
});
