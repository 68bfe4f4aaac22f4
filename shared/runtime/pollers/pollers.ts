import { LogAnalyticsSource, type LogsQueryApi } from '../../adapters/azure/log-analytics-source.js';
import type { EntriesClient } from '../../adapters/gcp/entries-client.js';
import { CloudLoggingSource } from '../../adapters/gcp/logging-source.js';
import type { Correlator } from '../../core/correlate/correlator.js';
import {
  type CursorPolicy,
  ENTRA_CURSOR_POLICY,
  type FailureVerdict,
  GCP_CURSOR_POLICY,
  type PollSource,
} from '../../core/ingest/cursor/index.js';
import { cloudLoggingFilter, entraQueries } from '../../core/ingest/filters/index.js';
import type { CursorStore } from '../../core/ports/cursor-store.js';
import type { RegistryMatcher } from '../../core/registry/index.js';
import { type ChangeSink, type PollReport, runPoll } from './poll.js';

/** One configured poller: a source, its cursor policy and everything a poll needs. */
export interface Poller {
  readonly source: PollSource;
  readonly policy: CursorPolicy;
  /** Runs one poll; `deadlineMs` bounds the reading (Lambda deadline minus a margin). */
  poll(deadlineMs?: number): Promise<PollReport>;
}

/** What both pollers are wired from: the shared ingest runtime in Lambda, dynalite and a collecting sink in tests. */
export interface PollerParts {
  matcher: RegistryMatcher;
  correlator: Correlator;
  sink: ChangeSink;
  store: CursorStore;
  policy?: CursorPolicy;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onRecordError?: (error: Error) => void;
  onRetry?: (attempt: number, delayMs: number, verdict: FailureVerdict) => void;
}

/**
 * The Cloud Logging poller: the registry's sink filter, read with a receiveTimestamp window.
 *
 * @example
 * const poller = gcpPoller({ ...parts, entries: restEntriesClient(logging), resourceNames: ['organizations/123'] });
 * const report = await poller.poll(Date.now() + 10 * 60_000);
 */
export function gcpPoller(
  parts: PollerParts & { entries: EntriesClient; resourceNames: string[]; pageSize?: number },
): Poller {
  const source = new CloudLoggingSource(parts.entries, {
    resourceNames: parts.resourceNames,
    baseFilter: cloudLoggingFilter(parts.matcher.registry),
    ...(parts.pageSize ? { pageSize: parts.pageSize } : {}),
    deps: retryDeps(parts),
  });
  return assemble(parts, source, parts.policy ?? GCP_CURSOR_POLICY);
}

/** The Log Analytics poller: one KQL query per Entra/Activity table, with an ingestion_time() window. */
export function azurePoller(
  parts: PollerParts & { logs: LogsQueryApi; workspaceId: string; pageSize?: number },
): Poller {
  const source = new LogAnalyticsSource(parts.logs, {
    workspaceId: parts.workspaceId,
    queries: entraQueries(parts.matcher.registry),
    ...(parts.pageSize ? { pageSize: parts.pageSize } : {}),
    deps: retryDeps(parts),
  });
  return assemble(parts, source, parts.policy ?? ENTRA_CURSOR_POLICY);
}

/** How long a remembered id must outlive its cursor time: every window that can reach it (retention clamp + overlap), and a day. */
export function seenTtlMs(policy: CursorPolicy): number {
  return policy.maxLookbackMs + policy.overlapMs + 86_400_000;
}

function assemble(parts: PollerParts, source: PollSource, policy: CursorPolicy): Poller {
  const now = parts.now ?? Date.now;
  return {
    source,
    policy,
    poll: (deadlineMs) =>
      runPoll({
        source,
        store: parts.store,
        policy,
        matcher: parts.matcher,
        correlator: parts.correlator,
        sink: parts.sink,
        now,
        ...(deadlineMs === undefined ? {} : { deadlineMs }),
        ...(parts.onRecordError ? { onRecordError: parts.onRecordError } : {}),
      }),
  };
}

function retryDeps(parts: PollerParts) {
  return {
    now: parts.now ?? Date.now,
    sleep: parts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
    random: parts.random ?? Math.random,
    ...(parts.onRetry ? { onRetry: parts.onRetry } : {}),
  };
}
