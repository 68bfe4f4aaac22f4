import type { Fact } from '../act/actions.js';
import type { Cloud } from '../model/audit-event.js';
import type { Incident, IncidentEvent, OpeningApproval } from '../model/incident.js';
import type { BreakGlassAccount } from '../registry/index.js';
import { isSyntheticDrillEventId } from './drill/record.js';
import type { DrillResult } from './drill/steps.js';

/**
 * Compliance of each break-glass account, from what Glasswatch has seen: credential rotated at least
 * monthly (or the registry's `rotation.maxAgeDays`), drilled at least quarterly, MFA on the last
 * sign-in, and not left unused for a year. Pure over facts and `now`.
 */

const DAY = 86_400_000;

export interface CompliancePolicy {
  /** Default rotation age when the registry gives none: "at least monthly". */
  rotationMaxAgeDays: number;
  /** "At least quarterly". */
  drillMaxAgeDays: number;
  /** Accounts unused this long are flagged for review. */
  unusedDays: number;
  /**
   * After an opening of the credential's store, the rotation must show in the logs within this many
   * hours. 48: the aftermath requests it an hour after the session ends (its default delay) and pages
   * when the logs do not show it within 24 h; this daily check is the backstop for both.
   */
  rotationAfterOpeningHours: number;
}

export const DEFAULT_COMPLIANCE_POLICY: CompliancePolicy = {
  rotationMaxAgeDays: 30,
  drillMaxAgeDays: 92,
  unusedDays: 365,
  rotationAfterOpeningHours: 48,
};

/**
 * Credential changes that count as a rotation, by the action name providers write (CloudTrail eventName,
 * Workspace login/admin event, Entra audit operation), compared case-insensitively.
 */
export const ROTATION_ACTIONS: Readonly<Record<Cloud, readonly string[]>> = {
  aws: ['ChangePassword', 'UpdateLoginProfile', 'CreateLoginProfile', 'PasswordUpdated'],
  gcp: ['password_edit', 'CHANGE_PASSWORD', 'google.admin.AdminService.changePassword'],
  azure: ['Reset password (by admin)', 'Change password (self-service)', 'Reset user password', 'Change user password'],
  vault: [],
};

const SIGN_IN_KINDS = new Set(['signin.success', 'signin.without-mfa']);
const USE_KINDS = new Set(['signin.success', 'signin.without-mfa', 'activity']);

export interface AccountFacts {
  account: string;
  cloud: Cloud;
  lastRotationMs?: number;
  /** Latest drill that passed (injected or inside a declared window). */
  lastDrillMs?: number;
  /** Latest sign-in or activity outside any drill. */
  lastRealUseMs?: number;
  /** Latest successful sign-in (window drills included, injected drills not: their MFA is made up). */
  lastSignIn?: { timeMs: number; mfa: boolean | undefined };
  /** Latest read of the credential from its store (a drill's synthetic read is none: nothing was read). */
  lastOpening?: OpeningFact;
}

export interface OpeningFact {
  timeMs: number;
  reader: string;
  store: string;
  approval: OpeningApproval;
  /** Inside a declared drill window (a real read, so rotation is still due). */
  drill: boolean;
  incidentId: string;
}

/** Facts per registry account from its incidents and drill results. */
export function accountFacts(
  account: BreakGlassAccount,
  incidents: readonly Incident[],
  drills: readonly DrillResult[],
): AccountFacts {
  const facts: AccountFacts = { account: account.id, cloud: account.cloud };
  const rotations = new Set(ROTATION_ACTIONS[account.cloud].map((a) => a.toLowerCase()));
  const latest = (current: number | undefined, value: number) =>
    current === undefined || value > current ? value : current;
  for (const incident of incidents) {
    if (incident.account !== account.id) continue;
    for (const event of incident.events) {
      const timeMs = Date.parse(event.time);
      if (isSyntheticDrillEventId(event.id)) continue;
      if (isRotation(event, rotations)) facts.lastRotationMs = latest(facts.lastRotationMs, timeMs);
      if (!incident.drill && event.kinds.some((k) => USE_KINDS.has(k)))
        facts.lastRealUseMs = latest(facts.lastRealUseMs, timeMs);
      if (event.opening && (!facts.lastOpening || timeMs > facts.lastOpening.timeMs)) {
        const { store, approval } = event.opening;
        facts.lastOpening = {
          timeMs,
          reader: event.actor,
          store,
          approval,
          drill: incident.drill,
          incidentId: incident.id,
        };
      }
      if (event.outcome === 'success' && event.kinds.some((k) => SIGN_IN_KINDS.has(k))) {
        if (!facts.lastSignIn || timeMs > facts.lastSignIn.timeMs) facts.lastSignIn = { timeMs, mfa: event.mfa?.used };
      }
    }
  }
  for (const drill of drills) {
    if (drill.account === account.id && drill.status === 'passed')
      facts.lastDrillMs = latest(facts.lastDrillMs, Date.parse(drill.startedAt));
  }
  return facts;
}

function isRotation(event: IncidentEvent, rotations: ReadonlySet<string>): boolean {
  return (
    event.outcome === 'success' && event.kinds.includes('account.change') && rotations.has(event.action.toLowerCase())
  );
}

export type ViolationKind =
  | 'rotation-overdue'
  | 'rotation-after-opening'
  | 'drill-overdue'
  | 'mfa-not-seen'
  | 'unused-a-year';

export interface Violation {
  account: string;
  cloud: Cloud;
  kind: ViolationKind;
  /**
   * Which occurrence this is: the due date that passed, or the sign-in without MFA. The ticket is opened
   * once per (account, kind, period), so a daily check re-finding it opens nothing new.
   */
  period: string;
  summary: string;
  facts: Fact[];
}

/**
 * The violations of one account at `now`. `observedSinceMs` is when Glasswatch started watching: an
 * account is not "never rotated" or "unused" before it could have seen a rotation or a use.
 *
 * @example
 * const violations = evaluateCompliance(account, accountFacts(account, incidents, drills), since, Date.now());
 */
export function evaluateCompliance(
  account: BreakGlassAccount,
  facts: AccountFacts,
  observedSinceMs: number,
  nowMs: number,
  policy: CompliancePolicy = DEFAULT_COMPLIANCE_POLICY,
): Violation[] {
  const violations: Violation[] = [];
  const add = (kind: ViolationKind, period: string, summary: string, extra: Fact[] = []) =>
    violations.push({
      account: account.id,
      cloud: account.cloud,
      kind,
      period,
      summary: `${account.id}: ${summary}`,
      facts: [{ label: 'Account', value: account.id }, ...extra],
    });
  const overdue = (last: number | undefined, maxDays: number) => {
    const due = (last ?? observedSinceMs) + maxDays * DAY;
    return nowMs > due ? isoDate(due) : undefined;
  };

  const rotationDays = account.rotation?.maxAgeDays ?? policy.rotationMaxAgeDays;
  const rotationDue = overdue(facts.lastRotationMs, rotationDays);
  if (rotationDue) {
    add('rotation-overdue', rotationDue, `credential not rotated within ${rotationDays} days`, [
      { label: 'Last rotation seen', value: dateOrNever(facts.lastRotationMs) },
      { label: 'Due', value: rotationDue },
    ]);
  }
  const afterOpening = rotationAfterOpening(facts, policy);
  if (afterOpening && nowMs > afterOpening.dueMs) {
    const opening = facts.lastOpening as OpeningFact;
    const when = new Date(opening.timeMs).toISOString();
    add(
      'rotation-after-opening',
      when,
      `credential read from ${opening.store} at ${when}, no rotation seen within ${policy.rotationAfterOpeningHours} h`,
      [
        { label: 'Opened by', value: opening.reader },
        { label: 'Store', value: opening.store },
        { label: 'Incident', value: opening.incidentId },
        { label: 'Last rotation seen', value: dateOrNever(facts.lastRotationMs) },
        { label: 'Due', value: new Date(afterOpening.dueMs).toISOString() },
      ],
    );
  }
  const drillDue = overdue(facts.lastDrillMs, policy.drillMaxAgeDays);
  if (drillDue) {
    add('drill-overdue', drillDue, `no passed drill within ${policy.drillMaxAgeDays} days`, [
      { label: 'Last passed drill', value: dateOrNever(facts.lastDrillMs) },
      { label: 'Due', value: drillDue },
    ]);
  }
  if (facts.lastSignIn && facts.lastSignIn.mfa !== true) {
    const when = new Date(facts.lastSignIn.timeMs).toISOString();
    add('mfa-not-seen', when, `last sign-in ${facts.lastSignIn.mfa === false ? 'without MFA' : 'with MFA unknown'}`, [
      { label: 'Last sign-in', value: when },
    ]);
  }
  const unusedDue = overdue(facts.lastRealUseMs, policy.unusedDays);
  if (unusedDue) {
    add('unused-a-year', unusedDue, `unused for ${policy.unusedDays} days: review whether it is still needed`, [
      { label: 'Last real use', value: dateOrNever(facts.lastRealUseMs) },
    ]);
  }
  return violations;
}

/**
 * Rotation becomes due after any opening of the store, with or without a sign-in: due
 * `rotationAfterOpeningHours` after the last opening, unless the logs show a rotation after it.
 */
export function rotationAfterOpening(
  facts: AccountFacts,
  policy: CompliancePolicy = DEFAULT_COMPLIANCE_POLICY,
): { dueMs: number } | undefined {
  const opening = facts.lastOpening;
  if (!opening || (facts.lastRotationMs !== undefined && facts.lastRotationMs >= opening.timeMs)) return undefined;
  return { dueMs: opening.timeMs + policy.rotationAfterOpeningHours * 3_600_000 };
}

/** `ok` within policy, `warn` close to or just unknown, `bad` out of policy, `unknown` nothing seen yet. */
export type Light = 'ok' | 'warn' | 'bad' | 'unknown';

export interface StatusLights {
  rotation: Light;
  drill: Light;
  lastUse: Light;
  mfa: Light;
}

/** The report's lights for one account; "warn" from 80% of an age limit. */
export function statusLights(
  account: BreakGlassAccount,
  facts: AccountFacts,
  nowMs: number,
  policy: CompliancePolicy = DEFAULT_COMPLIANCE_POLICY,
): StatusLights {
  const age = (last: number | undefined, maxDays: number): Light => {
    if (last === undefined) return 'unknown';
    const days = (nowMs - last) / DAY;
    return days > maxDays ? 'bad' : days > 0.8 * maxDays ? 'warn' : 'ok';
  };
  const lastUse: Light =
    facts.lastRealUseMs === undefined
      ? 'unknown'
      : (nowMs - facts.lastRealUseMs) / DAY > policy.unusedDays
        ? 'warn'
        : 'ok';
  const mfa: Light = !facts.lastSignIn
    ? 'unknown'
    : facts.lastSignIn.mfa === true
      ? 'ok'
      : facts.lastSignIn.mfa === false
        ? 'bad'
        : 'warn';
  const afterOpening = rotationAfterOpening(facts, policy);
  const rotation: Light = afterOpening
    ? nowMs > afterOpening.dueMs
      ? 'bad'
      : 'warn'
    : age(facts.lastRotationMs, account.rotation?.maxAgeDays ?? policy.rotationMaxAgeDays);
  return {
    rotation,
    drill: age(facts.lastDrillMs, policy.drillMaxAgeDays),
    lastUse,
    mfa,
  };
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function dateOrNever(ms: number | undefined): string {
  return ms === undefined ? 'never seen' : new Date(ms).toISOString();
}
