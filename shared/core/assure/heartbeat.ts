import type { Cloud, SourceKind } from '../model/audit-event.js';

/**
 * The dead-man's switch: per source (and per Region where the source is regional) the time of the last
 * audit event seen; a source silent past its threshold pages as `pipeline.silent`. Pure: the runtime
 * reads the last-seen times from the store and hands in `now`.
 */

/** The ingest paths, as the runtime that received a record knows them. */
export const TRANSPORTS = [
  'aws.eventbridge',
  'aws.s3',
  'gcp.push',
  'gcp.pull',
  'azure.pull',
  'azure.eventhub',
] as const;
export type Transport = (typeof TRANSPORTS)[number];

export const HEARTBEAT_SOURCES = [
  'cloudtrail-eventbridge',
  'cloudtrail-s3',
  'gcp-push',
  'gcp-pull',
  'azure-pull',
  'azure-eventhub',
  'workspace-login',
  'vault-audit',
] as const;
export type HeartbeatSource = (typeof HEARTBEAT_SOURCES)[number];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface SourceInfo {
  label: string;
  cloud: Cloud;
  /** Watched per Region (CloudTrail delivers to EventBridge only in the Region of the call). */
  perRegion: boolean;
  /** Default silence threshold: documented delivery latency plus the quiet a healthy source can have. */
  thresholdMs: number;
}

/**
 * Thresholds: the event time of the newest record is compared with now, so each threshold is the
 * source's delivery latency plus how long it can normally stay quiet.
 */
export const SOURCE_INFO: Readonly<Record<HeartbeatSource, SourceInfo>> = {
  // CloudTrail events reach EventBridge "best effort" (EventBridge User Guide, "Event delivery from AWS
  // services"), within seconds when they do; but the forwarders pass only sign-ins and break-glass
  // calls, so a quiet Region hears nothing for hours. The S3 path below is the dense signal.
  'cloudtrail-eventbridge': {
    label: 'CloudTrail via EventBridge',
    cloud: 'aws',
    perRegion: true,
    thresholdMs: 24 * HOUR,
  },
  // "CloudTrail publishes log files multiple times an hour, about every 5 minutes … typically delivers
  // logs within an average of about 5 minutes of an API call. This time is not guaranteed." (CloudTrail
  // User Guide, "Getting and viewing your CloudTrail log files"; 15 minutes in older versions). An
  // organization trail writes every management event, so it is never quiet for long: 3× the old 15 min.
  'cloudtrail-s3': { label: 'CloudTrail log files (S3)', cloud: 'aws', perRegion: false, thresholdMs: 45 * MINUTE },
  // Cloud Audit Logs are routed to sinks as they are written (the pollers settle 60 s, see
  // ingest/cursor/policy.ts); Admin Activity is written only on changes, so a quiet organization can go
  // hours without one: 6 h.
  'gcp-push': { label: 'GCP audit logs (Pub/Sub push)', cloud: 'gcp', perRegion: false, thresholdMs: 6 * HOUR },
  'gcp-pull': { label: 'GCP audit logs (Cloud Logging poller)', cloud: 'gcp', perRegion: false, thresholdMs: 6 * HOUR },
  // Entra: 95% of sign-ins within 2 min, 99% within 5 min (Microsoft Entra reporting latencies), Azure
  // Monitor ingestion 20 s–3 min more; interactive sign-ins of a tenant rarely pause for more than hours.
  'azure-pull': {
    label: 'Entra / Azure (Log Analytics poller)',
    cloud: 'azure',
    perRegion: false,
    thresholdMs: 6 * HOUR,
  },
  'azure-eventhub': { label: 'Entra / Azure (Event Hub)', cloud: 'azure', perRegion: false, thresholdMs: 6 * HOUR },
  // Workspace login events lag "a few hours" at most for most log types (Google Workspace Admin Help,
  // "Data retention and lag times"; older versions listed the login audit at 1–2 days), and a small
  // organization has weekends without sign-ins: 48 h.
  'workspace-login': { label: 'Google Workspace login events', cloud: 'gcp', perRegion: false, thresholdMs: 48 * HOUR },
  // HashiCorp Vault writes an audit entry for every request (Vault docs, "Audit devices"), and token
  // renewals alone keep a serving cluster busy; the shipper's batching adds minutes. Its own source, not
  // the transport's: Vault files arriving in the trail bucket must not keep a silent CloudTrail green. 24 h.
  'vault-audit': { label: 'HashiCorp Vault audit device', cloud: 'vault', perRegion: false, thresholdMs: 24 * HOUR },
};

const TRANSPORT_SOURCE: Readonly<Record<Transport, HeartbeatSource>> = {
  'aws.eventbridge': 'cloudtrail-eventbridge',
  'aws.s3': 'cloudtrail-s3',
  'gcp.push': 'gcp-push',
  'gcp.pull': 'gcp-pull',
  'azure.pull': 'azure-pull',
  'azure.eventhub': 'azure-eventhub',
};

/** Region of sources watched as a whole. */
export const ALL_REGIONS = '-';

export interface SourceKey {
  source: HeartbeatSource;
  region: string;
}

/**
 * Which heartbeat one event feeds: Workspace login events and Vault audit entries are their own sources
 * whatever carried them (Workspace lags hours; Vault files share the trail bucket with CloudTrail, whose
 * silence they must not hide); the rest by transport, with the Region where it is regional.
 */
export function heartbeatKeyOf(transport: Transport, kind: SourceKind, region: string | undefined): SourceKey {
  const source =
    kind === 'gcp.workspace-login'
      ? 'workspace-login'
      : kind === 'vault.audit'
        ? 'vault-audit'
        : TRANSPORT_SOURCE[transport];
  return { source, region: SOURCE_INFO[source].perRegion && region ? region : ALL_REGIONS };
}

export function sourceKeyString(key: SourceKey): string {
  return `${key.source}#${key.region}`;
}

/** What the store keeps per source: newest and first event time seen. */
export interface HeartbeatRecord extends SourceKey {
  lastSeenMs: number;
  firstSeenMs: number;
}

export type Thresholds = Partial<Record<HeartbeatSource, number>>;

export type HeartbeatState = 'ok' | 'silent' | 'never';

export interface HeartbeatStatus extends SourceKey {
  label: string;
  cloud: Cloud;
  state: HeartbeatState;
  thresholdMs: number;
  lastSeenMs?: number;
  /** Now minus the newest event time. */
  ageMs?: number;
}

/**
 * Judges every recorded source, and every expected one (a configured source that never delivered is
 * `never`, which pages like silence).
 *
 * @example
 * evaluateHeartbeats(await store.listHeartbeats(), [{ source: 'cloudtrail-s3', region: '-' }], {}, Date.now());
 */
export function evaluateHeartbeats(
  records: readonly HeartbeatRecord[],
  expected: readonly SourceKey[],
  thresholds: Thresholds,
  nowMs: number,
): HeartbeatStatus[] {
  const byKey = new Map<string, HeartbeatRecord | undefined>();
  for (const record of records) byKey.set(sourceKeyString(record), record);
  for (const key of expected) if (!byKey.has(sourceKeyString(key))) byKey.set(sourceKeyString(key), undefined);
  const statuses: HeartbeatStatus[] = [];
  for (const [key, record] of byKey) {
    const [source, region] = splitKey(key);
    const info = SOURCE_INFO[source];
    const thresholdMs = thresholds[source] ?? info.thresholdMs;
    const base = { source, region, label: info.label, cloud: info.cloud, thresholdMs };
    if (!record) {
      statuses.push({ ...base, state: 'never' });
      continue;
    }
    const ageMs = nowMs - record.lastSeenMs;
    statuses.push({ ...base, state: ageMs > thresholdMs ? 'silent' : 'ok', lastSeenMs: record.lastSeenMs, ageMs });
  }
  return statuses.sort((a, b) => sourceKeyString(a).localeCompare(sourceKeyString(b)));
}

/** Parses `cloudtrail-s3#-` or `cloudtrail-eventbridge:eu-west-1` (configuration) into a key; throws naming the text. */
export function parseSourceKey(text: string): SourceKey {
  const [source, region] = text.trim().split(/[#:]/, 2) as [string, string | undefined];
  if (!(HEARTBEAT_SOURCES as readonly string[]).includes(source)) {
    throw new Error(`heartbeat source "${text.slice(0, 80)}": expected one of ${HEARTBEAT_SOURCES.join(', ')}`);
  }
  const info = SOURCE_INFO[source as HeartbeatSource];
  if (info.perRegion && !region)
    throw new Error(`heartbeat source "${text.slice(0, 80)}": name its Region (${source}#eu-west-1)`);
  return { source: source as HeartbeatSource, region: info.perRegion ? (region as string) : ALL_REGIONS };
}

function splitKey(key: string): [HeartbeatSource, string] {
  const at = key.lastIndexOf('#');
  return [key.slice(0, at) as HeartbeatSource, key.slice(at + 1)];
}
