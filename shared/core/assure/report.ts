import type { Cloud } from '../model/audit-event.js';
import type { Incident } from '../model/incident.js';
import type { DeliveryRecord } from '../ports/delivery-ledger.js';
import type { RotationWatch } from '../ports/rotation-watch-store.js';
import type { Registry } from '../registry/index.js';
import { accountFacts, type CompliancePolicy, DEFAULT_COMPLIANCE_POLICY } from './compliance.js';
import { type CoverageRecord, cloudOfSource } from './coverage.js';
import type { DrillResult } from './drill/steps.js';
import type { OpenAlert } from './health.js';
import type { HeartbeatStatus } from './heartbeat.js';
import {
  accountControls,
  type Control,
  type ControlStatus,
  type DataWindow,
  type Score,
  scoreOf,
} from './report-controls.js';
import { type CredentialPosture, credentialPosture } from './report-credential.js';
import { type DrillRow, drillFacts, drillRow } from './report-drills.js';
import type { TicketSites } from './report-incidents.js';
import { type IncidentRow, type IncidentTrend, incidentTrend, incidentWorkflow } from './report-incidents.js';

/**
 * The posture report's data: what `glasswatch report` writes as JSON and renders as HTML, per
 * break-glass account and for the estate: controls with evidence and scores, incidents with their
 * workflow and trend, coverage, drills. Strings are kept as they are (some come from logs); every
 * renderer escapes for its own format.
 */

export const REPORT_VERSION = 2;

export interface AccountPosture {
  id: string;
  cloud: Cloud;
  description?: string;
  owners: string[];
  controls: Control[];
  score: Score;
  lastRotation?: string;
  lastDrill?: string;
  lastRealUse?: string;
  lastSignIn?: string;
  lastSignInMfa?: boolean | null;
  /** Where the credential lives and its last opening: only for an account that declares a store. */
  credential?: CredentialPosture;
}

/** One plumbing check's last result (`glasswatch verify`), as stored. */
export interface CheckRow {
  path: string;
  check: string;
  status: ControlStatus;
  detail: string;
  checkedAt?: string;
}

export interface HeartbeatRow extends HeartbeatStatus {
  lastSeen?: string;
}

export interface CoverageRow {
  path: CoverageRecord['path'];
  cloud: Cloud;
  source: CoverageRecord['source'];
  scope: string;
  region: string;
  firstSeen: string;
  lastSeen: string;
}

export interface PostureReport {
  version: typeof REPORT_VERSION;
  generatedAt: string;
  /** What the logs cover: the first and last event time any path delivered. */
  window: { from?: string; to?: string };
  estate: { score: Score; counts: Record<ControlStatus, number> };
  accounts: AccountPosture[];
  checks: CheckRow[];
  /** Newest first, at most `incidentLimit`; `incidentTotal` counts them all. */
  incidents: IncidentRow[];
  incidentTotal: number;
  trend: IncidentTrend;
  drills: DrillRow[];
  coverage: { sources: HeartbeatRow[]; scopes: CoverageRow[] };
  openAlerts: OpenAlert[];
}

export interface ReportInput {
  registry: Registry;
  incidents: readonly Incident[];
  /** Delivery records per incident id. */
  deliveries?: ReadonlyMap<string, readonly DeliveryRecord[]>;
  /** Rotation watch per incident id. */
  rotations?: ReadonlyMap<string, RotationWatch>;
  drills: readonly DrillResult[];
  heartbeats: readonly HeartbeatStatus[];
  coverage?: readonly CoverageRecord[];
  checks?: readonly CheckRow[];
  openAlerts?: readonly OpenAlert[];
  /** Where ticket links point: from configuration only. */
  ticketSites?: TicketSites;
  nowMs: number;
  policy?: CompliancePolicy;
  /** Newest incidents listed one by one (all are counted in the trend). */
  incidentLimit?: number;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/**
 * @example
 * const report = buildPostureReport({ registry, incidents, drills, heartbeats, coverage, nowMs: Date.now() });
 * await writeFile('posture.json', JSON.stringify(report, null, 2));
 */
export function buildPostureReport(input: ReportInput): PostureReport {
  const policy = input.policy ?? DEFAULT_COMPLIANCE_POLICY;
  const window = dataWindow(input, input.coverage ?? []);
  const drills = [...input.drills]
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.drillId.localeCompare(b.drillId))
    .map((d) => drillRow(d, input.registry, input.nowMs));
  const accounts = input.registry.accounts.map((account): AccountPosture => {
    const facts = accountFacts(account, input.incidents, []);
    // A rotation the aftermath saw in the logs counts even when its record joined no incident.
    for (const watch of input.rotations?.values() ?? []) {
      const seenMs = watch.account === account.id && watch.seen ? Date.parse(watch.seen.time) : Number.NaN;
      if (seenMs > (facts.lastRotationMs ?? Number.NEGATIVE_INFINITY)) facts.lastRotationMs = seenMs;
    }
    const drill = drillFacts(drills, account.id);
    const credential = credentialPosture(account, facts, input.nowMs, policy);
    const controls = accountControls({
      account,
      facts,
      drills: drill,
      incidents: input.incidents,
      // The account's own cloud's logs decide its deadlines: AWS logs running to today say nothing of Entra.
      window: cloudWindow(input, account.cloud, window),
      watchingSinceMs: window.fromMs ?? input.nowMs,
      nowMs: input.nowMs,
      policy,
    });
    return {
      id: account.id,
      cloud: account.cloud,
      ...(account.description ? { description: account.description } : {}),
      owners: account.owners,
      controls,
      score: scoreOf(controls),
      ...optional('lastRotation', iso(facts.lastRotationMs)),
      ...optional('lastDrill', iso(drill.lastPassedMs)),
      ...optional('lastRealUse', iso(facts.lastRealUseMs)),
      ...optional('lastSignIn', iso(facts.lastSignIn?.timeMs)),
      ...(facts.lastSignIn ? { lastSignInMfa: facts.lastSignIn.mfa ?? null } : {}),
      ...(credential ? { credential } : {}),
    };
  });
  const checks = [...(input.checks ?? [])];
  const all = [...accounts.flatMap((a) => a.controls), ...checks];
  const counts = { pass: 0, fail: 0, unknown: 0, 'n/a': 0 } as Record<ControlStatus, number>;
  for (const c of all) counts[c.status]++;
  const sorted = [...input.incidents].sort(
    (a, b) => b.firstSeen.localeCompare(a.firstSeen) || a.id.localeCompare(b.id),
  );
  const incidents = sorted.slice(0, input.incidentLimit ?? 500).map(
    (i): IncidentRow => ({
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
      workflow: incidentWorkflow(
        input.deliveries?.get(i.id) ?? [],
        input.rotations?.get(i.id),
        input.ticketSites ?? {},
      ),
    }),
  );
  return {
    version: REPORT_VERSION,
    generatedAt: new Date(input.nowMs).toISOString(),
    window: { ...optional('from', iso(window.fromMs)), ...optional('to', iso(window.toMs)) },
    estate: { score: scoreOf(all), counts },
    accounts,
    checks,
    incidents,
    incidentTotal: input.incidents.length,
    trend: incidentTrend(input.incidents, window.fromMs, window.toMs),
    drills,
    coverage: {
      sources: input.heartbeats.map((h): HeartbeatRow => ({ ...h, ...optional('lastSeen', iso(h.lastSeenMs)) })),
      scopes: coverageRows(input.coverage ?? []),
    },
    openAlerts: [...(input.openAlerts ?? [])],
  };
}

/** The window of one cloud's logs; with no coverage recorded at all (an older store), the estate's. */
function cloudWindow(input: ReportInput, cloud: Cloud, estate: DataWindow): DataWindow {
  if ((input.coverage ?? []).length === 0) return estate;
  const coverage = (input.coverage ?? []).filter((c) => cloudOfSource(c.source) === cloud);
  const heartbeats = input.heartbeats.filter((h) => h.cloud === cloud);
  return coverage.length > 0 ? dataWindow({ ...input, heartbeats }, coverage) : {};
}

/** From the first to the last event any path delivered (coverage, heartbeats), else the incidents' events. */
function dataWindow(input: ReportInput, coverage: readonly CoverageRecord[]): DataWindow {
  const firsts = coverage.map((c) => c.firstSeenMs);
  const lasts = [...coverage.map((c) => c.lastSeenMs), ...input.heartbeats.flatMap((h) => h.lastSeenMs ?? [])];
  if (lasts.length === 0) {
    for (const incident of input.incidents) {
      for (const event of incident.events) {
        const t = Date.parse(event.time);
        if (!Number.isFinite(t)) continue;
        firsts.push(t);
        lasts.push(t);
      }
    }
  }
  if (lasts.length === 0) return {};
  return { fromMs: Math.min(...firsts, ...lasts), toMs: Math.max(...lasts) };
}

function coverageRows(records: readonly CoverageRecord[]): CoverageRow[] {
  return records
    .map(
      (c): CoverageRow => ({
        path: c.path,
        cloud: cloudOfSource(c.source),
        source: c.source,
        scope: c.scope,
        region: c.region,
        firstSeen: new Date(c.firstSeenMs).toISOString(),
        lastSeen: new Date(c.lastSeenMs).toISOString(),
      }),
    )
    .sort(
      (a, b) =>
        a.cloud.localeCompare(b.cloud) ||
        a.scope.localeCompare(b.scope) ||
        a.region.localeCompare(b.region) ||
        a.source.localeCompare(b.source) ||
        a.path.localeCompare(b.path),
    );
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
