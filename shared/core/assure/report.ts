import type { Cloud } from '../model/audit-event.js';
import type { DetectionKind, Severity } from '../model/finding.js';
import type { Incident } from '../model/incident.js';
import type { Registry } from '../registry/index.js';
import {
  type AccountFacts,
  accountFacts,
  type CompliancePolicy,
  DEFAULT_COMPLIANCE_POLICY,
  evaluateCompliance,
  type StatusLights,
  statusLights,
  type Violation,
} from './compliance.js';
import { type DrillKind, type DrillResult, type DrillStatus, drillTimings } from './drill/steps.js';
import type { OpenAlert } from './health.js';
import type { HeartbeatStatus } from './heartbeat.js';

/**
 * The posture report's data: what `glasswatch report` writes as JSON and renders as HTML. Strings are
 * kept as they are (some come from logs); every renderer escapes for its own format.
 */

export const REPORT_VERSION = 1;

export interface AccountPosture {
  id: string;
  cloud: Cloud;
  description?: string;
  owners: string[];
  lights: StatusLights;
  lastRotation?: string;
  lastDrill?: string;
  lastRealUse?: string;
  lastSignIn?: string;
  lastSignInMfa?: boolean | null;
  violations: Violation[];
}

export interface TimelineEntry {
  id: string;
  account: string | null;
  cloud: Cloud;
  principal: string;
  firstSeen: string;
  lastSeen: string;
  severity: Severity;
  drill: boolean;
  status: Incident['status'];
  detections: DetectionKind[];
  events: number;
}

export interface DrillRow {
  drillId: string;
  account: string;
  kind: DrillKind;
  runtime: DrillResult['runtime'];
  startedAt: string;
  status: DrillStatus;
  reason?: string;
  incidentMs?: number;
  pageMs?: number;
  ticketMs?: number;
}

export interface HeartbeatRow extends HeartbeatStatus {
  lastSeen?: string;
}

export interface PostureReport {
  version: typeof REPORT_VERSION;
  generatedAt: string;
  accounts: AccountPosture[];
  timeline: TimelineEntry[];
  drills: DrillRow[];
  heartbeats: HeartbeatRow[];
  openAlerts: OpenAlert[];
}

export interface ReportInput {
  registry: Registry;
  incidents: readonly Incident[];
  drills: readonly DrillResult[];
  heartbeats: readonly HeartbeatStatus[];
  openAlerts?: readonly OpenAlert[];
  /** When watching started: nothing can be "overdue" before a rotation or drill could have been seen. */
  observedSinceMs: number;
  nowMs: number;
  policy?: CompliancePolicy;
  /** Newest incidents shown in the timeline. */
  timelineLimit?: number;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/**
 * @example
 * const report = buildPostureReport({ registry, incidents, drills, heartbeats, observedSinceMs, nowMs: Date.now() });
 * await writeFile('posture.json', JSON.stringify(report, null, 2));
 */
export function buildPostureReport(input: ReportInput): PostureReport {
  const policy = input.policy ?? DEFAULT_COMPLIANCE_POLICY;
  const accounts = input.registry.accounts.map((account): AccountPosture => {
    const facts: AccountFacts = accountFacts(account, input.incidents, input.drills);
    return {
      id: account.id,
      cloud: account.cloud,
      ...(account.description ? { description: account.description } : {}),
      owners: account.owners,
      lights: statusLights(account, facts, input.nowMs, policy),
      ...optional('lastRotation', iso(facts.lastRotationMs)),
      ...optional('lastDrill', iso(facts.lastDrillMs)),
      ...optional('lastRealUse', iso(facts.lastRealUseMs)),
      ...optional('lastSignIn', iso(facts.lastSignIn?.timeMs)),
      ...(facts.lastSignIn ? { lastSignInMfa: facts.lastSignIn.mfa ?? null } : {}),
      violations: evaluateCompliance(account, facts, input.observedSinceMs, input.nowMs, policy),
    };
  });
  const timeline = [...input.incidents]
    .sort((a, b) => b.firstSeen.localeCompare(a.firstSeen) || a.id.localeCompare(b.id))
    .slice(0, input.timelineLimit ?? 200)
    .map(
      (i): TimelineEntry => ({
        id: i.id,
        account: i.account,
        cloud: i.cloud,
        principal: i.principal,
        firstSeen: i.firstSeen,
        lastSeen: i.lastSeen,
        severity: i.severity,
        drill: i.drill,
        status: i.status,
        detections: i.detections,
        events: i.events.length,
      }),
    );
  const drills = [...input.drills]
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
    .map(
      (d): DrillRow => ({
        drillId: d.drillId,
        account: d.account,
        kind: d.kind,
        runtime: d.runtime,
        startedAt: d.startedAt,
        status: d.status,
        ...(d.reason ? { reason: d.reason } : {}),
        ...drillTimings(d),
      }),
    );
  const heartbeats = input.heartbeats.map((h): HeartbeatRow => ({ ...h, ...optional('lastSeen', iso(h.lastSeenMs)) }));
  return {
    version: REPORT_VERSION,
    generatedAt: new Date(input.nowMs).toISOString(),
    accounts,
    timeline,
    drills,
    heartbeats,
    openAlerts: [...(input.openAlerts ?? [])],
  };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
