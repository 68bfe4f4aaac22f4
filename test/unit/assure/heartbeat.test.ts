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
  it('keys events by transport, Workspace logins and Vault apart, EventBridge per Region', () => {
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
    // Vault files share the trail bucket: they feed their own heartbeat, never CloudTrail's.
    expect(heartbeatKeyOf('aws.s3', 'vault.audit', undefined)).toEqual({ source: 'vault-audit', region: '-' });
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

  // Worst delivery latency each vendor documents for the source's transport: a source that is merely
  // that late must not page as silent. CloudTrail S3: up to 15 minutes (CloudTrail User Guide, older
  // wording of "Getting and viewing your CloudTrail log files"); Entra sign-ins: 99% within 5 min plus
  // up to 3 min of Azure Monitor ingestion ("Microsoft Entra reporting latencies", "Log data ingestion
  // time in Azure Monitor"); Workspace login audit: 1–2 days in the older "Data retention and lag
  // times"; Cloud Audit Logs routed by sinks within minutes; EventBridge: best effort, seconds.
  const DOCUMENTED_WORST_LATENCY: Record<keyof typeof SOURCE_INFO, number> = {
    'cloudtrail-eventbridge': 5 * MIN,
    'cloudtrail-s3': 15 * MIN,
    'gcp-push': 10 * MIN,
    'gcp-pull': 10 * MIN,
    'azure-pull': 8 * MIN,
    'azure-eventhub': 8 * MIN,
    'workspace-login': 2 * 24 * 60 * MIN - 1,
    // Vault's file device writes synchronously; the shipper (Fluent Bit, Vector) flushes within minutes.
    'vault-audit': 15 * MIN,
  };

  it('never calls a source silent that is only as late as its vendor documents', () => {
    for (const [source, latency] of Object.entries(DOCUMENTED_WORST_LATENCY)) {
      const key = {
        source: source as keyof typeof SOURCE_INFO,
        region: SOURCE_INFO[source as keyof typeof SOURCE_INFO].perRegion ? 'eu-west-1' : '-',
      };
      const [status] = evaluateHeartbeats(
        [{ ...key, lastSeenMs: NOW - latency, firstSeenMs: NOW - 86_400_000 }],
        [],
        {},
        NOW,
      );
      expect(status, source).toMatchObject({ source, state: 'ok' });
    }
  });

  it('pages the dense CloudTrail S3 source within the hour, long before the sparse Workspace source', () => {
    const ageAtSilence = (source: keyof typeof SOURCE_INFO) => {
      for (let minutes = 1; minutes < 7 * 24 * 60; minutes++) {
        const [status] = evaluateHeartbeats(
          [{ source, region: '-', lastSeenMs: NOW - minutes * MIN, firstSeenMs: 0 }],
          [],
          {},
          NOW,
        );
        if (status?.state === 'silent') return minutes;
      }
      return Number.POSITIVE_INFINITY;
    };
    expect(ageAtSilence('cloudtrail-s3')).toBeLessThanOrEqual(60);
    expect(ageAtSilence('workspace-login')).toBeGreaterThan(ageAtSilence('gcp-pull'));
    expect(ageAtSilence('workspace-login')).toBeLessThan(7 * 24 * 60);
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
    const first = reconcileAlerts([deadLetterSignal({ queue: 'ingest-dlq', depth: 3 })], [], NOW);
    expect(first.open[0]).toMatchObject({ sinceMs: NOW, kind: 'pipeline.failing' });
    expect(
      reconcileAlerts([deadLetterSignal({ queue: 'ingest-dlq', depth: 5 })], first.open, NOW + 5 * MIN).open,
    ).toEqual([]);
    expect(
      reconcileAlerts([deadLetterSignal({ queue: 'ingest-dlq', depth: 0 })], first.open, NOW + 10 * MIN).resolve,
    ).toEqual(first.open);
    const errors = errorSignal({ source: 'gcp-pull', region: '-', ruleErrors: 0, pollerErrors: 2, recordErrors: 9 });
    expect(errors.failing).toBe(true);
    const noisy = errorSignal({ source: 'gcp-pull', region: '-', ruleErrors: 0, pollerErrors: 0, recordErrors: 9 });
    expect(noisy.failing).toBe(false);
    // Errors that age out of the window disappear from the signals: their alert is resolved.
    const opened = reconcileAlerts([errors], [], NOW).open;
    expect(reconcileAlerts([], opened, NOW + 2 * 60 * MIN).resolve).toEqual(opened);
  });
});
