import type { Cloud, GroupMembership, MfaInfo, Outcome, RootSession, SourceEndpoint } from './audit-event.js';
import type { DetectionKind, Severity } from './finding.js';

/** What an incident keeps of each distinct audit event: enough for a timeline without the raw record. */
export interface IncidentEvent {
  id: string;
  time: string;
  cloud: Cloud;
  service: string;
  action: string;
  outcome: Outcome;
  kinds: DetectionKind[];
  actor: string;
  resources: string[];
  src: SourceEndpoint;
  mfa?: MfaInfo;
  region?: string;
  /** Cloud account / project / subscription / tenant. */
  where?: string;
  /** Where the raw record was read from (file:line, S3 URI, workspace). */
  origin: string;
  /** Registry id of the break-glass account this event concerns (a spray incident holds several). */
  account?: string;
  /** Per-kind severities a rule decided for this event from the registry (see Finding.severity). */
  severities?: Partial<Record<DetectionKind, Severity>>;
  /** The provider's error code or text when the call failed ("AccessDenied: …"). */
  failureReason?: string;
  /** AWS centralized root access: the AssumeRoot or the privileged session record this event is. */
  rootSession?: RootSession;
  /** A group membership change this event is. */
  membership?: GroupMembership;
  /** What the event did to the account, in the page's words ("authentication method removed from ea1"). */
  note?: string;
  /** A read of the break-glass credential from its store (`credential.access`) this event is. */
  opening?: CredentialOpening;
}

/**
 * Which store an opening read and whether it went through the approval path, as the rule judged it
 * from the registry when it fired (kept, so a later registry edit does not rewrite history).
 */
export interface CredentialOpening {
  /** The registry's store as pages name it: "AWS Secrets Manager prod/breakglass/root" (registry text). */
  store: string;
  /** An approved reader, a reader outside the approval path, or no approval path declared. */
  approval: OpeningApproval;
}

/**
 * `held`: Vault wrapped the response (a control group holds it until authorized, or response wrapping):
 * not disclosed yet; the unwrap that discloses it is an opening of its own, judged by its authorization.
 * `authorized`: the unwrap of such a read after a recorded control-group authorization.
 * `drill`: a read by a reader not on the list (or with no list) inside a drill window the registry declares.
 */
export type OpeningApproval = 'approved' | 'outside' | 'undeclared' | 'held' | 'authorized' | 'drill';

export type IncidentStatus = 'open' | 'closed';

/** One emergency session of one break-glass account (or one tampering actor). */
export interface Incident {
  /** Stable: derived from the correlation key and the event that opened the incident. */
  id: string;
  correlationKey: string;
  account: string | null;
  cloud: Cloud;
  principal: string;
  detections: DetectionKind[];
  severity: Severity;
  drill: boolean;
  status: IncidentStatus;
  firstSeen: string;
  lastSeen: string;
  /** Distinct audit events in time order. */
  events: IncidentEvent[];
  /** Optimistic-concurrency version, incremented by every write. */
  version: number;
  /**
   * Set while every finding is a tamper change routine for deployments (a function's code replaced):
   * act tickets it and pages only when no ticketing system is configured, or once a finding pages.
   */
  quiet?: true;
}

export type IncidentChangeKind = 'opened' | 'extended' | 'closed';

/**
 * What the correlate stage hands to the act stage: the incident after the change, and what changed.
 * Act is driven only by these, so it can run in-process (local replay) or behind a queue (Lambda).
 */
export interface IncidentChange {
  kind: IncidentChangeKind;
  /** The incident as stored after this change. */
  incident: Incident;
  /** Distinct audit events this change added (empty for `closed`). */
  newEvents: IncidentEvent[];
  /** Before an `extended` change: lets act notice a raised severity or a new tamper/account-change kind. */
  previous?: { severity: Severity; detections: DetectionKind[] };
}

/**
 * Each incident's highest version, by id, in the order the ids first appear. Two entries of one version
 * are the same stored state (a version is written once), so which of them is kept does not matter.
 */
export function latestVersions(incidents: Iterable<Incident>): Map<string, Incident> {
  const latest = new Map<string, Incident>();
  for (const incident of incidents) {
    const seen = latest.get(incident.id);
    if (!seen || seen.version < incident.version) latest.set(incident.id, incident);
  }
  return latest;
}

/** The order incidents are reported in: the first seen first, ties by id. */
export function byFirstSeen(a: Incident, b: Incident): number {
  return a.firstSeen.localeCompare(b.firstSeen) || a.id.localeCompare(b.id);
}
