import type {
  Actor,
  EventCategory,
  GroupMembership,
  MfaInfo,
  Outcome,
  PrincipalRef,
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
