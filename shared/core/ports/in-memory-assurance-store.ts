import { type CoverageRecord, coverageKeyString } from '../assure/coverage.js';
import type { DrillResult } from '../assure/drill/steps.js';
import type { ErrorCounts, OpenAlert } from '../assure/health.js';
import { type HeartbeatRecord, type SourceKey, sourceKeyString } from '../assure/heartbeat.js';
import type { CheckResult } from '../assure/verify/result.js';
import { type AssuranceStore, type ErrorIncrement, hourOf, type StoredCheck } from './assurance-store.js';

/** An assurance store in Maps: for tests and for checks over a single local run. Values are copied in and out. */
export class InMemoryAssuranceStore implements AssuranceStore {
  private readonly drills = new Map<string, DrillResult>();
  private readonly beats = new Map<string, HeartbeatRecord>();
  private readonly errors = new Map<string, { key: SourceKey; hour: number; increment: ErrorIncrement }>();
  private readonly alerts = new Map<string, OpenAlert>();
  private readonly coverage = new Map<string, CoverageRecord>();
  private checks: StoredCheck[] = [];

  async saveDrill(result: DrillResult): Promise<void> {
    this.drills.set(`${result.account}\n${result.startedAt}#${result.drillId}`, structuredClone(result));
  }

  async listDrills(account: string, limit = 100): Promise<DrillResult[]> {
    return [...this.drills.values()]
      .filter((d) => d.account === account)
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.drillId.localeCompare(a.drillId))
      .slice(0, limit)
      .map((d) => structuredClone(d));
  }

  async recordHeartbeat(key: SourceKey, timeMs: number): Promise<boolean> {
    const id = sourceKeyString(key);
    const current = this.beats.get(id);
    if (current && current.lastSeenMs >= timeMs) {
      if (timeMs < current.firstSeenMs) current.firstSeenMs = timeMs;
      return false;
    }
    this.beats.set(id, { ...key, lastSeenMs: timeMs, firstSeenMs: Math.min(current?.firstSeenMs ?? timeMs, timeMs) });
    return true;
  }

  async listHeartbeats(): Promise<HeartbeatRecord[]> {
    return [...this.beats.values()].map((b) => ({ ...b }));
  }

  async recordCoverage(record: CoverageRecord): Promise<void> {
    const id = coverageKeyString(record);
    const current = this.coverage.get(id);
    this.coverage.set(id, {
      ...record,
      firstSeenMs: Math.min(current?.firstSeenMs ?? record.firstSeenMs, record.firstSeenMs),
      lastSeenMs: Math.max(current?.lastSeenMs ?? record.lastSeenMs, record.lastSeenMs),
    });
  }

  async listCoverage(): Promise<CoverageRecord[]> {
    return [...this.coverage.values()].map((c) => ({ ...c }));
  }

  async addErrors(key: SourceKey, atMs: number, increment: ErrorIncrement): Promise<void> {
    const hour = hourOf(atMs);
    const id = `${sourceKeyString(key)}\n${hour}`;
    const current = this.errors.get(id)?.increment;
    this.errors.set(id, {
      key,
      hour,
      increment: {
        ruleErrors: (current?.ruleErrors ?? 0) + increment.ruleErrors,
        pollerErrors: (current?.pollerErrors ?? 0) + increment.pollerErrors,
        recordErrors: (current?.recordErrors ?? 0) + increment.recordErrors,
        ...((increment.lastError ?? current?.lastError)
          ? { lastError: increment.lastError ?? current?.lastError }
          : {}),
      },
    });
  }

  async errorCounts(sinceMs: number): Promise<ErrorCounts[]> {
    const since = hourOf(sinceMs);
    const sums = new Map<string, ErrorCounts>();
    for (const { key, hour, increment } of [...this.errors.values()].sort((a, b) => a.hour - b.hour)) {
      if (hour < since) continue;
      const id = sourceKeyString(key);
      const sum = sums.get(id) ?? { ...key, ruleErrors: 0, pollerErrors: 0, recordErrors: 0 };
      sum.ruleErrors += increment.ruleErrors;
      sum.pollerErrors += increment.pollerErrors;
      sum.recordErrors += increment.recordErrors;
      if (increment.lastError) sum.lastError = increment.lastError;
      sums.set(id, sum);
    }
    return [...sums.values()];
  }

  async openAlerts(): Promise<OpenAlert[]> {
    return [...this.alerts.values()].map((a) => structuredClone(a));
  }

  async saveOpenAlert(alert: OpenAlert): Promise<void> {
    this.alerts.set(alert.key, structuredClone(alert));
  }

  async removeOpenAlert(key: string): Promise<void> {
    this.alerts.delete(key);
  }

  async saveChecks(results: readonly CheckResult[], atMs: number): Promise<void> {
    this.checks = results.map((r) => ({ ...r, checkedAtMs: atMs }));
  }

  async listChecks(): Promise<StoredCheck[]> {
    return this.checks.map((c) => ({ ...c }));
  }
}
