import type { AuditEvent, Cloud } from './audit-event.js';
import type { CredentialOpening } from './incident.js';

/** The vocabulary of what Glasswatch reports; every rule emits exactly one of these. */
export const DETECTION_KINDS = [
  'signin.success',
  'signin.failure',
  'signin.without-mfa',
  'activity',
  'account.change',
  'audit.tamper',
  'root.privileged-task',
  'credential.access',
  'signin.weak-auth',
  'signin.without-opening',
  'signin.attempt',
] as const;

export type DetectionKind = (typeof DETECTION_KINDS)[number];

export type Severity = 'critical' | 'high' | 'medium' | 'low';

export const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { low: 0, medium: 1, high: 2, critical: 3 };

/**
 * A HashiCorp Vault response-wrapping token in a record (see detect/vault-wrapping.ts): the wrapped read
 * of a break-glass secret, or a control-group authorization or unwrap that the correlate stage joins to it.
 */
export type VaultWrapRole = 'wrapped' | 'authorize' | 'unwrap';

export interface VaultWrap {
  role: VaultWrapRole;
  /** The Vault namespace (the event's account): HMACs join only within one device, tokens within one namespace. */
  namespace: string;
  /** The wrapping token, HMAC'd as the device writes it. */
  token?: string;
  /** The wrapping token's accessor, HMAC'd unless the device has `hmac_accessor=false`. */
  accessor?: string;
  /** The wrapping token's TTL in seconds (`wrap_info.ttl`, never HMAC'd): how long an unwrap can follow. */
  ttlSeconds?: number;
}

/** One rule firing on one event. */
export interface Finding {
  ruleId: string;
  kind: DetectionKind;
  /** Registry id of the break-glass account concerned, or null (tampering by someone not in the registry). */
  account: string | null;
  cloud: Cloud;
  /**
   * Correlation key: findings with the same key and small gaps form one incident.
   * `acct:<registry id>`, `acct:<registry id>/<concrete principal>` for an entry that is a pattern
   * (`arn:aws:iam::*:root`: each root its own session), or `actor:<cloud>:<principal>` for tampering by
   * unregistered principals.
   */
  correlationKey: string;
  /** Human-readable principal who acted. Untrusted text. */
  principal: string;
  /** One line, for the timeline. Built from rule text and event fields. */
  title: string;
  /** The severity of this finding when the rule decides it per event (from the registry); else the kind's. */
  severity?: Severity;
  /**
   * Links findings whose relation only shows across records (see correlate/links.ts): the access key an
   * `sts:AssumeRoot` issued (`declares`) and the root session that used it (`joins`); the source IP of
   * sign-in failures against several accounts (`groups`, within the session gap).
   */
  link?: { kind: 'declares' | 'joins' | 'groups'; alias: string };
  event: AuditEvent;
  /** What the event did to the account, for the page (see RuleMatch.note). */
  note?: string;
  /** `credential.access`: the store read and the approval path's verdict (see IncidentEvent.opening). */
  opening?: CredentialOpening;
  /** A Vault wrapping token the correlate stage joins on (correlate/wrapped-openings.ts). */
  wrap?: VaultWrap & { store?: string; readerApproved?: boolean };
  /** false: routine-looking change (a deployment's): a ticket rather than a page, unless nothing else can tell. */
  pagesAtOnce?: boolean;
}
