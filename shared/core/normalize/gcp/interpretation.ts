import type {
  Actor,
  AuditEvent,
  EventCategory,
  EventOrigin,
  GroupMembership,
  MfaInfo,
  Outcome,
  PrincipalRef,
  SourceEndpoint,
  SourceKind,
} from '../../model/audit-event.js';
import type { FieldReader, JsonObject } from '../fields.js';
import type { ActivityEvent } from './activity-metadata.js';

/** What one LogEntry means, read by the interpreter for its `serviceName`. */
export interface Interpretation {
  source: SourceKind;
  category: EventCategory;
  action: string;
  outcome: Outcome;
  failureReason?: string;
  targets: PrincipalRef[];
  mfa?: MfaInfo;
  /** The record's provider wrote it about someone (Workspace account warnings): nobody acted. */
  providerGenerated?: boolean;
  /** Who the record is about when that is not `authenticationInfo` (the affected account of a warning). */
  actor?: Actor;
  /** Workspace group membership changes. */
  membership?: GroupMembership;
}

/** The parts of a LogEntry an interpreter reads, already type-checked. */
export interface EntryParts {
  readonly payload: JsonObject;
  readonly resourceLabels: JsonObject | undefined;
  readonly serviceName: string;
  readonly methodName: string;
  readonly events: readonly ActivityEvent[];
  readonly actor: Actor;
  readonly reader: FieldReader;
}

export type Interpreter = (entry: EntryParts) => Interpretation;

/** Targets are principals, not a dump of a policy: a record naming more is cut here. */
export const MAX_TARGETS = 50;

/** Adds `{ email }` once per address, up to {@link MAX_TARGETS}. */
export function addEmailTarget(targets: PrincipalRef[], email: string | undefined): void {
  if (email === undefined || !email.includes('@') || targets.length >= MAX_TARGETS) return;
  const lower = email.toLowerCase();
  if (!targets.some((t) => t.email?.toLowerCase() === lower)) targets.push({ email });
}

/** What a Workspace or Cloud Audit record says besides its meaning: identity, time, place. */
export interface EventFrame {
  nativeId: string;
  time: { iso: string; ms: number };
  service: string;
  resources: string[];
  account: string | undefined;
  src: SourceEndpoint;
  origin: EventOrigin;
  raw: AuditEvent['raw'];
}

/**
 * The {@link AuditEvent} of a record read by an interpreter: the frame plus the meaning, the actor the
 * interpreter names (or the caller), provider-generated when the interpreter says so or a Google service
 * agent called. One builder for the Cloud Logging entry and the Reports API activity.
 */
export function interpretedEvent(
  frame: EventFrame,
  meaning: Interpretation,
  caller: Actor,
  serviceAgent: boolean,
): AuditEvent {
  const event: AuditEvent = {
    id: `gcp:${frame.nativeId}`,
    nativeId: frame.nativeId,
    cloud: 'gcp',
    source: meaning.source,
    time: frame.time.iso,
    timeMs: frame.time.ms,
    category: meaning.category,
    service: frame.service,
    action: meaning.action,
    outcome: meaning.outcome,
    providerGenerated: meaning.providerGenerated ?? serviceAgent,
    actor: meaning.actor ?? caller,
    targets: meaning.targets,
    resources: frame.resources,
    account: frame.account,
    src: frame.src,
    origin: frame.origin,
    raw: frame.raw,
  };
  if (meaning.failureReason !== undefined) event.failureReason = meaning.failureReason;
  if (meaning.mfa !== undefined) event.mfa = meaning.mfa;
  if (meaning.membership !== undefined) event.membership = meaning.membership;
  return event;
}
