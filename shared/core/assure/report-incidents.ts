import { PAGERS, PRIMARY_PAGERS, TICKETERS } from '../act/actions.js';
import type { RespondersConfig } from '../act/config-schema.js';
import type { Cloud } from '../model/audit-event.js';
import { DETECTION_KINDS, type DetectionKind, type Severity } from '../model/finding.js';
import type { Incident } from '../model/incident.js';
import type { DeliveryRecord } from '../ports/delivery-ledger.js';
import type { RotationWatch } from '../ports/rotation-watch-store.js';

/**
 * Incidents for the report: each one's workflow (page, acknowledgement, resolution, ticket, review,
 * rotation) from the delivery ledger and the rotation watches, and monthly counts by severity and kind.
 * Links are built only from configuration (the ticketing system's base URL) and a vendor's own answer
 * (the issue key or sys_id it returned, checked against its documented shape): never from a log string.
 */

export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

export interface Step {
  /** What happened, in a word or three ("delivered", "not configured", "failed: 401"). */
  state: string;
  at?: string;
  /** Done (true), not done (false); undefined when it does not apply. */
  done?: boolean;
}

export interface TicketRef {
  system: string;
  key: string;
  status?: string;
  url?: string;
}

export interface IncidentWorkflow {
  page: Step & { via: string[] };
  acknowledged: Step;
  resolved: Step;
  ticket?: TicketRef;
  review: Step;
  rotation: Step;
  /** Escalations that paged on their own alert (`notify:<pager>:<kind>`): tamper, rotation-overdue… */
  escalations: string[];
  timeToAckMs?: number;
  timeToResolveMs?: number;
}

export interface IncidentRow {
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
  workflow: IncidentWorkflow;
}

export interface PeriodCount {
  /** `2026-03`, `2026 Q1` or `2026` (UTC). */
  period: string;
  bySeverity: Record<Severity, number>;
  byKind: Record<DetectionKind, number>;
  drills: number;
}

/** Where tickets live, from configuration only. */
export interface TicketSites {
  jira?: string;
  servicenow?: string;
}

export function ticketSites(config: RespondersConfig | undefined): TicketSites {
  return {
    ...(config?.jira ? { jira: config.jira.baseUrl } : {}),
    ...(config?.servicenow ? { servicenow: config.servicenow.instanceUrl } : {}),
  };
}

const JIRA_KEY = /^[A-Z][A-Z0-9_]{1,9}-\d{1,9}$/;
const SYS_ID = /^[0-9a-f]{32}$/;

/** A ticket URL from the configured site and the vendor's key, or undefined when either is not as documented. */
export function ticketUrl(system: string, key: string, sites: TicketSites): string | undefined {
  const base = (system === 'jira' ? sites.jira : system === 'servicenow' ? sites.servicenow : undefined)?.replace(
    /\/+$/,
    '',
  );
  if (!base || !/^https:\/\//.test(base)) return undefined;
  if (system === 'jira' && JIRA_KEY.test(key)) return `${base}/browse/${key}`;
  if (system === 'servicenow' && SYS_ID.test(key)) return `${base}/nav_to.do?uri=incident.do%3Fsys_id%3D${key}`;
  return undefined;
}

const delivered = (r: DeliveryRecord | undefined) => r?.status === 'delivered';
const find = (records: readonly DeliveryRecord[], test: (key: string) => boolean) =>
  records.filter((r) => test(r.actionKey)).sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));

/**
 * @example
 * incidentWorkflow(await ledger.list(incident.id), await rotations.get(incident.id), ticketSites(config));
 */
export function incidentWorkflow(
  records: readonly DeliveryRecord[],
  rotation: RotationWatch | undefined,
  sites: TicketSites,
): IncidentWorkflow {
  const pages = find(records, (k) => PAGERS.some((p) => k === `page:${p}` || k === `page:fallback:${p}`));
  const outbox = find(records, (k) => k.startsWith('outbox:write:'));
  const sent = [...pages, ...outbox].filter(delivered);
  const page: IncidentWorkflow['page'] =
    sent.length > 0
      ? {
          state: 'delivered',
          at: sent[0]?.updatedAt as string,
          done: true,
          via: [...new Set(sent.map((r) => pageVia(r.actionKey)))],
        }
      : pages.length > 0
        ? { state: pages.some((r) => r.status === 'failed') ? 'failed' : 'pending', done: false, via: [] }
        : { state: 'not paged', done: false, via: [] };
  // An acknowledgement is known only when the pager reported one (a record or reference saying so).
  const ackRecord = records.find((r) => r.ref?.acknowledgedAt || r.actionKey.startsWith('ack:'));
  const ackAt = ackRecord?.ref?.acknowledgedAt ?? (ackRecord && delivered(ackRecord) ? ackRecord.updatedAt : undefined);
  const acknowledged: Step = ackAt ? { state: 'acknowledged', at: ackAt, done: true } : { state: 'not reported' };
  // The incident's own page: `resolve:<pager>`; `resolve:<pager>:<kind>` closes an escalation's alert.
  const resolves = find(records, (k) => /^resolve:[a-z]+$/.test(k)).filter(delivered);
  const resolvedAt = resolves[0]?.ref?.resolvedAt ?? resolves[0]?.updatedAt;
  const resolved: Step = resolvedAt
    ? {
        state: `resolved${resolves[0]?.ref?.resolvedBy ? ` by ${resolves[0].ref.resolvedBy}` : ''}`,
        at: resolvedAt,
        done: true,
      }
    : page.via.some((p) => (PRIMARY_PAGERS as readonly string[]).includes(p))
      ? { state: 'not resolved', done: false }
      : { state: 'no pager that resolves' };
  const workflow: IncidentWorkflow = {
    page,
    acknowledged,
    resolved,
    review: reviewStep(records),
    rotation: rotationStep(rotation, records),
    escalations: [
      ...new Set(records.filter(delivered).flatMap((r) => /^notify:[a-z]+:([a-z0-9-]+)$/.exec(r.actionKey)?.[1] ?? [])),
    ],
  };
  const ticket = ticketOf(records, sites);
  if (ticket) workflow.ticket = ticket;
  const pagedMs = page.at ? Date.parse(page.at) : undefined;
  if (pagedMs !== undefined && ackAt) workflow.timeToAckMs = Math.max(0, Date.parse(ackAt) - pagedMs);
  if (pagedMs !== undefined && resolvedAt) workflow.timeToResolveMs = Math.max(0, Date.parse(resolvedAt) - pagedMs);
  return workflow;
}

function pageVia(key: string): string {
  return key.startsWith('outbox:') ? 'outbox' : key.replace(/^page:(fallback:)?/, '');
}

function ticketOf(records: readonly DeliveryRecord[], sites: TicketSites): TicketRef | undefined {
  for (const system of TICKETERS) {
    const open = records.find((r) => r.actionKey === `ticket:${system}:open` && delivered(r));
    const key = open?.ref?.issueKey ?? open?.ref?.number ?? open?.ref?.sysId;
    if (!open || !key) continue;
    const urlKey = system === 'servicenow' ? (open.ref?.sysId ?? '') : key;
    const url = ticketUrl(system, urlKey, sites);
    const status = open.ref?.status;
    return { system, key, ...(status ? { status } : {}), ...(url ? { url } : {}) };
  }
  const file = records.find((r) => r.actionKey.startsWith('outbox:write:') && delivered(r))?.ref?.ticket;
  return file ? { system: 'outbox', key: file } : undefined;
}

function reviewStep(records: readonly DeliveryRecord[]): Step {
  const reviews = find(records, (k) => k.startsWith('review:') && !k.endsWith(':reminder'));
  const done = reviews.filter(delivered);
  if (done.length === 0) return { state: reviews.length > 0 ? 'not scheduled yet' : 'not scheduled', done: false };
  const completed = reviews.find((r) => r.ref?.reviewDoneAt);
  if (completed?.ref?.reviewDoneAt) return { state: 'done', at: completed.ref.reviewDoneAt, done: true };
  return { state: 'scheduled', at: done[0]?.updatedAt as string, done: true };
}

function rotationStep(watch: RotationWatch | undefined, records: readonly DeliveryRecord[]): Step {
  if (watch?.seen) return { state: `seen (${watch.seen.action})`, at: watch.seen.time, done: true };
  if (watch?.status === 'escalated')
    return { state: 'overdue: not seen, paged', at: watch.escalatedAt ?? watch.deadlineAt, done: false };
  if (watch?.requestedAt) return { state: 'requested, not seen yet', at: watch.requestedAt, done: false };
  if (watch) return { state: `due ${watch.dueAt.slice(0, 16).replace('T', ' ')}`, done: false };
  const requested = find(records, (k) => k.startsWith('rotation:') && !k.startsWith('rotation:overdue')).filter(
    delivered,
  );
  return requested.length > 0
    ? { state: 'requested', at: requested[0]?.updatedAt as string, done: false }
    : { state: 'not requested' };
}

/** Bars a trend chart can show readably: longer spans are counted by quarter or by year. */
const MAX_PERIODS = 24;

export type TrendBucket = 'month' | 'quarter' | 'year';

export interface IncidentTrend {
  bucket: TrendBucket;
  periods: PeriodCount[];
}

function periodOf(iso: string, bucket: TrendBucket): string {
  if (bucket === 'month') return iso.slice(0, 7);
  if (bucket === 'year') return iso.slice(0, 4);
  return `${iso.slice(0, 4)} Q${Math.floor((Number(iso.slice(5, 7)) - 1) / 3) + 1}`;
}

/**
 * Incidents per UTC month (or quarter, or year, whichever keeps at most 24 bars) by severity and
 * detection kind, every period from the first to the last, empty ones included.
 */
export function incidentTrend(incidents: readonly Incident[], fromMs?: number, toMs?: number): IncidentTrend {
  const times = incidents.map((i) => Date.parse(i.firstSeen)).filter(Number.isFinite);
  const first = Math.min(...times, fromMs ?? Number.POSITIVE_INFINITY);
  const last = Math.max(...times, toMs ?? Number.NEGATIVE_INFINITY);
  if (!Number.isFinite(first) || !Number.isFinite(last)) return { bucket: 'month', periods: [] };
  const start = new Date(first);
  const end = new Date(last);
  const months = (end.getUTCFullYear() - start.getUTCFullYear()) * 12 + end.getUTCMonth() - start.getUTCMonth() + 1;
  const bucket: TrendBucket = months <= MAX_PERIODS ? 'month' : months <= 3 * MAX_PERIODS ? 'quarter' : 'year';
  const periods: PeriodCount[] = [];
  const index = new Map<string, PeriodCount>();
  const cursor = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1));
  while (cursor.getTime() <= last) {
    const period = periodOf(cursor.toISOString(), bucket);
    if (!index.has(period)) {
      const count: PeriodCount = {
        period,
        bySeverity: { critical: 0, high: 0, medium: 0, low: 0 },
        byKind: Object.fromEntries(DETECTION_KINDS.map((k) => [k, 0])) as Record<DetectionKind, number>,
        drills: 0,
      };
      periods.push(count);
      index.set(period, count);
    }
    cursor.setUTCMonth(cursor.getUTCMonth() + 1);
  }
  for (const incident of incidents) {
    const count = index.get(periodOf(incident.firstSeen, bucket));
    if (!count) continue;
    count.bySeverity[incident.severity]++;
    for (const kind of incident.detections) count.byKind[kind]++;
    if (incident.drill) count.drills++;
  }
  return { bucket, periods };
}
