import type { Incident } from '../model/incident.js';

/**
 * Storage primitives the correlator needs, shaped by the core: one "head" per correlation key (its
 * latest incident, the only one that normally changes) written with optimistic concurrency, and
 * archived incidents for out-of-order events and listings. DynamoDB implements it with conditional
 * writes; the correlator owns the logic.
 */
export interface IncidentRepository {
  /** The key's latest incident, or undefined. Strongly consistent. */
  loadHead(correlationKey: string): Promise<Incident | undefined>;
  /** {@link loadHead} of several keys in as few reads as the store allows; a key with no head is absent. */
  loadHeads(correlationKeys: readonly string[]): Promise<Map<string, Incident>>;
  /**
   * Writes the head if its stored version is still `expectedVersion` (undefined: no head yet).
   * Returns false on a concurrent write; the caller reloads and retries. Writes `incident.version`.
   */
  saveHead(incident: Incident, expectedVersion: number | undefined): Promise<boolean>;
  /** Upserts an archived (or current) incident copy keyed by its id, if `version` is newer than stored. */
  saveCopy(incident: Incident): Promise<void>;
  /**
   * Replaces an archived copy only if its stored version is still `expectedVersion` (undefined: none
   * stored yet). Returns false on a concurrent write; the caller reloads and retries.
   */
  replaceCopy(incident: Incident, expectedVersion: number | undefined): Promise<boolean>;
  /** The archived incident of this key whose session covers `timeMs`, if any. */
  findCovering(correlationKey: string, timeMs: number, gapMs: number): Promise<Incident | undefined>;
  /**
   * {@link findCovering} for several times of one key in as few reads as the store allows: the answer
   * to each probe, in the probes' order, as findCovering would give it.
   */
  findCoveringEach(correlationKey: string, probes: readonly CoverProbe[]): Promise<(Incident | undefined)[]>;
  /** Every key's head. */
  listHeads(): Promise<Incident[]>;
  /** The heads whose session is still open (for closing ended sessions): closed ones are not read. */
  listOpenHeads(): Promise<Incident[]>;
  /** Incidents, newest first. */
  listIncidents(limit?: number): Promise<Incident[]>;
  getIncident(id: string): Promise<Incident | undefined>;
  /**
   * Records that findings linked through `alias` (an access key an `sts:AssumeRoot` issued, the source
   * of sign-in failures) belong to `correlationKey` until `expiresAtMs`. Overwrites; idempotent.
   */
  saveAlias(alias: string, correlationKey: string, expiresAtMs: number): Promise<void>;
  /** What an alias names, or undefined. Strongly consistent. May return an expired alias: check the time. */
  loadAlias(alias: string): Promise<{ correlationKey: string; expiresAtMs: number } | undefined>;
}

/** A time to find the covering session of, with the session gap of the finding's account. */
export interface CoverProbe {
  timeMs: number;
  gapMs: number;
}
