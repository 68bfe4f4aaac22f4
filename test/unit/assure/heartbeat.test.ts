import { describe, expect, it } from 'vitest';
import { deadLetterSignal, errorSignal, reconcileAlerts, silenceSignals } from '../../../shared/core/assure/health.js';
import {
  evaluateHeartbeats,
  heartbeatKeyOf,
  parseSourceKey,
  SOURCE_INFO,
} from '../../../shared/core/assure/heartbeat.js';

const NOW = Date.parse('2026-03-02T12:00:00Z');
const MIN = 60_000;

describe('heartbeat sources', () => {
  it('keys events by transport, Workspace logins apart, EventBridge per Region', () => {
    expect(heartbeatKeyOf('aws.eventbridge', 'aws.cloudtrail', 'eu-west-1')).toEqual({
      source: 'cloudtrail-eventbridge',
      region: 'eu-west-1',
    });
    expect(heartbeatKeyOf('aws.s3', 'aws.cloudtrail', 'eu-west-1')).toEqual({ source: 'cloudtrail-s3', region: '-' });
    expect(heartbeatKeyOf('gcp.push', 'gcp.workspace-login', undefined)).toEqual({
      source: 'workspace-login',
      region: '-',
    });
    expect(heartbeatKeyOf('gcp.pull', 'gcp.audit', 'global')).toEqual({ source: 'gcp-pull', region: '-' });
    expect(heartbeatKeyOf('azure.pull', 'azure.signin', undefined)).toEqual({ source: 'azure-pull', region: '-' });
  });

  it('parses configured sources, and needs a Region for regional ones', () => {
    expect(parseSourceKey('cloudtrail-eventbridge#eu-west-1')).toEqual({
      source: 'cloudtrail-eventbridge',
      region: 'eu-west-1',
    });
    expect(parseSourceKey('cloudtrail-s3')).toEqual({ source: 'cloudtrail-s3', region: '-' });
    expect(() => parseSourceKey('cloudtrail-eventbridge')).toThrow(/name its Region/);
    expect(() => parseSourceKey('kafka')).toThrow(/expected one of/);
  });

  it('sizes default thresholds to delivery latency: S3 minutes, Workspace days', () => {
    expect(SOURCE_INFO['cloudtrail-s3'].thresholdMs).toBe(45 * MIN);
    expect(SOURCE_INFO['workspace-login'].thresholdMs).toBeGreaterThan(24 * 60 * MIN);
  });
});

describe('evaluateHeartbeats (controllable clock)', () => {
  const record = {
    source: 'cloudtrail-s3' as const,
    region: '-',
    lastSeenMs: NOW - 30 * MIN,
    firstSeenMs: NOW - 86_400_000,
  };

  it('is ok within the threshold, silent past it, never for an expected source that never spoke', () => {
    const at = (now: number) => evaluateHeartbeats([record], [{ source: 'gcp-pull', region: '-' }], {}, now);
    expect(at(NOW).map((s) => [s.source, s.state])).toEqual([
      ['cloudtrail-s3', 'ok'],
      ['gcp-pull', 'never'],
    ]);
    expect(at(NOW + 15 * MIN + 1)[0]).toMatchObject({ state: 'silent', ageMs: 45 * MIN + 1 });
  });

  it('honours threshold overrides', () => {
    const [status] = evaluateHeartbeats([record], [], { 'cloudtrail-s3': 10 * MIN }, NOW);
    expect(status).toMatchObject({ state: 'silent', thresholdMs: 10 * MIN });
  });
});

describe('reconcileAlerts', () => {
  const silent = (lastSeenMs: number) =>
    silenceSignals(
      evaluateHeartbeats([{ source: 'cloudtrail-s3', region: '-', lastSeenMs, firstSeenMs: 0 }], [], {}, NOW),
      NOW,
    );

  it('opens one alert per silence, keyed by where it started, and keeps it while the silence lasts', () => {
    const first = reconcileAlerts(silent(NOW - 2 * 60 * MIN), [], NOW);
    expect(first.open).toHaveLength(1);
    expect(first.open[0]).toMatchObject({
      kind: 'pipeline.silent',
      alertId: `pipeline.silent:silent:cloudtrail-s3#-:${new Date(NOW - 120 * MIN).toISOString()}`,
    });
    expect(reconcileAlerts(silent(NOW - 2 * 60 * MIN), first.open, NOW + 5 * MIN)).toEqual({ open: [], resolve: [] });
  });

  it('resolves when the source speaks again, and opens a new alert for a new silence', () => {
    const { open } = reconcileAlerts(silent(NOW - 2 * 60 * MIN), [], NOW);
    expect(reconcileAlerts(silent(NOW - MIN), open, NOW)).toEqual({ open: [], resolve: open });
    const again = reconcileAlerts(silent(NOW - 50 * MIN), open, NOW);
    expect(again.resolve).toEqual(open);
    expect(again.open[0]?.alertId).not.toBe(open[0]?.alertId);
  });

  it('pages a filling dead-letter queue once, from the first check that sees it, and failing rules', () => {
    const first = reconcileAlerts([deadLetterSignal('ingest-dlq', 3)], [], NOW);
    expect(first.open[0]).toMatchObject({ sinceMs: NOW, kind: 'pipeline.failing' });
    expect(reconcileAlerts([deadLetterSignal('ingest-dlq', 5)], first.open, NOW + 5 * MIN).open).toEqual([]);
    expect(reconcileAlerts([deadLetterSignal('ingest-dlq', 0)], first.open, NOW + 10 * MIN).resolve).toEqual(
      first.open,
    );
    const errors = errorSignal({ source: 'gcp-pull', region: '-', ruleErrors: 0, pollerErrors: 2, recordErrors: 9 });
    expect(errors.failing).toBe(true);
    const noisy = errorSignal({ source: 'gcp-pull', region: '-', ruleErrors: 0, pollerErrors: 0, recordErrors: 9 });
    expect(noisy.failing).toBe(false);
    // Errors that age out of the window disappear from the signals: their alert is resolved.
    const opened = reconcileAlerts([errors], [], NOW).open;
    expect(reconcileAlerts([], opened, NOW + 2 * 60 * MIN).resolve).toEqual(opened);
  });
});
