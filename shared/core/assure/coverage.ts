import type { SourceLastSeen } from '../ingest/detection-pipeline.js';
import type { Cloud, SourceKind } from '../model/audit-event.js';
import type { Transport } from './heartbeat.js';

/**
 * Coverage: which clouds, accounts, projects, subscriptions and Regions delivered audit events, through
 * which path, from when to when. Every ingest path records it beside the heartbeat (the deployed
 * transports) and `glasswatch replay` records it as `replay`, so the posture report can say what the
 * data covers ("logs from … to …") and where nothing was heard from.
 */

/** How the events arrived: a deployed transport, or replayed files. */
export type CoveragePath = Transport | 'replay';

/** Written where the record names no account/project/subscription or no Region. */
export const NO_SCOPE = '-';

/** Scopes come from logs: capped so a hostile record cannot make a huge key. */
const SCOPE_MAX = 160;

export interface CoverageKey {
  path: CoveragePath;
  source: SourceKind;
  /** Cloud account / project / subscription / tenant, or `-`. */
  scope: string;
  /** Region, or `-`. */
  region: string;
}

export interface CoverageRecord extends CoverageKey {
  firstSeenMs: number;
  lastSeenMs: number;
}

/** What each record's scope is called in its cloud, for tables. */
export const SCOPE_NOUN: Readonly<Record<Cloud, string>> = {
  aws: 'account',
  gcp: 'project / organization',
  azure: 'subscription / tenant',
  vault: 'namespace',
};

/** The records each source kind stands for, as a reader names them. */
export const SOURCE_KIND_LABELS: Readonly<Record<SourceKind, string>> = {
  'aws.cloudtrail': 'CloudTrail',
  'gcp.audit': 'Cloud Audit Logs',
  'gcp.workspace-login': 'Workspace login',
  'azure.signin': 'Entra sign-ins',
  'azure.audit': 'Entra audit logs',
  'azure.activity': 'Azure Activity',
  'azure.keyvault': 'Key Vault audit',
  'vault.audit': 'HashiCorp Vault audit device',
};

export function cloudOfSource(source: SourceKind): Cloud {
  return source.slice(0, source.indexOf('.')) as Cloud;
}

export function coverageKeyString(key: CoverageKey): string {
  return `${key.path}#${key.source}#${key.scope}#${key.region}`;
}

/**
 * The coverage records of one ingest run, from the pipeline's last-seen map.
 *
 * @example
 * for (const record of coverageOf('replay', pipeline.lastSeen.values())) await store.recordCoverage(record);
 */
export function coverageOf(path: CoveragePath, seen: Iterable<SourceLastSeen>): CoverageRecord[] {
  const byKey = new Map<string, CoverageRecord>();
  for (const s of seen) {
    const key: CoverageKey = {
      path,
      source: s.source,
      scope: (s.scope || NO_SCOPE).slice(0, SCOPE_MAX),
      region: (s.region || NO_SCOPE).slice(0, SCOPE_MAX),
    };
    const id = coverageKeyString(key);
    const first = s.firstMs ?? s.timeMs;
    const current = byKey.get(id);
    if (!current) byKey.set(id, { ...key, firstSeenMs: first, lastSeenMs: s.timeMs });
    else {
      current.firstSeenMs = Math.min(current.firstSeenMs, first);
      current.lastSeenMs = Math.max(current.lastSeenMs, s.timeMs);
    }
  }
  return [...byKey.values()];
}
