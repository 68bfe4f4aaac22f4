import type { Incident } from '../model/incident.js';
import type { BreakGlassAccount } from '../registry/index.js';
import { type AccountFacts, type CompliancePolicy, rotationAfterOpening } from './compliance.js';

/**
 * The report's controls: pass/fail with the evidence behind each verdict. A control the logs cannot
 * decide is `unknown`, never `pass`: the logs may end before a deadline, or a key may predate them.
 * `n/a` does not apply to the account (no sign-in to judge, not a root user) and is left out of scores.
 */

const DAY = 86_400_000;

export const CONTROL_IDS = ['mfa', 'rotation', 'drill', 'root-keys', 'used'] as const;
export type ControlId = (typeof CONTROL_IDS)[number];
export type ControlStatus = 'pass' | 'fail' | 'unknown' | 'n/a';

/** What each control checks, as the page and the README say it. */
export const CONTROL_LABELS: Readonly<Record<ControlId, string>> = {
  mfa: 'MFA on the last sign-in',
  rotation: 'Credential rotated within its target',
  drill: 'Passed live drill within 92 days',
  'root-keys': 'No access keys on the root user',
  used: 'Used within a year (else reviewed)',
};

export interface Control {
  id: string;
  label: string;
  status: ControlStatus;
  /** One line of evidence: dates, ages, the event that decided it. */
  evidence: string;
}

export interface Score {
  passed: number;
  /** Controls that apply (pass, fail, unknown). */
  applicable: number;
  /** Rounded percentage; undefined when nothing applies. */
  percent?: number;
}

/** What the logs cover: the controls judge deadlines only inside it. */
export interface DataWindow {
  fromMs?: number;
  toMs?: number;
}

export interface DrillFacts {
  /** Latest passed live drill. */
  lastPassedMs?: number;
  /** The latest drill when it is not the latest passed one: a failed or replayed drill explains a missing pass. */
  last?: { startedAt: string; outcome: string };
}

export interface ControlInput {
  account: BreakGlassAccount;
  facts: AccountFacts;
  drills: DrillFacts;
  incidents: readonly Incident[];
  /** The account's cloud's logs. */
  window: DataWindow;
  /** When the estate's logs start: drills could be run from then on. */
  watchingSinceMs: number;
  nowMs: number;
  policy: CompliancePolicy;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** Whole days since: "today", "29 d ago". */
const ago = (nowMs: number, ms: number) => {
  const days = Math.floor(Math.max(0, nowMs - ms) / DAY);
  return days === 0 ? 'today' : `${days} d ago`;
};

/** The five controls of one account, in {@link CONTROL_IDS} order. */
export function accountControls(input: ControlInput): Control[] {
  return [mfa(input), rotation(input), drill(input), rootKeys(input), used(input)];
}

function control(id: ControlId, status: ControlStatus, evidence: string): Control {
  return { id, label: CONTROL_LABELS[id], status, evidence };
}

function mfa({ facts }: ControlInput): Control {
  const last = facts.lastSignIn;
  if (!last) return control('mfa', 'n/a', 'no sign-in seen in the logs');
  const at = new Date(last.timeMs).toISOString().slice(0, 16).replace('T', ' ');
  if (last.mfa === true) return control('mfa', 'pass', `last sign-in ${at} UTC with MFA`);
  if (last.mfa === false) return control('mfa', 'fail', `last sign-in ${at} UTC without MFA`);
  return control('mfa', 'unknown', `last sign-in ${at} UTC: the record does not say whether MFA was used`);
}

/**
 * An age control: within the target passes; past it fails only when the logs run past the due date
 * (otherwise the event that would satisfy it could be in logs we do not have).
 */
function ageControl(
  id: ControlId,
  last: number | undefined,
  maxDays: number,
  { window, nowMs }: ControlInput,
  words: { seen: string; none: string },
): Control {
  const due = (last ?? window.fromMs ?? nowMs) + maxDays * DAY;
  const target = `target ${maxDays} d`;
  if (last !== undefined && nowMs <= due) {
    return control(id, 'pass', `${words.seen} ${day(last)}, ${ago(nowMs, last)} (${target})`);
  }
  const lastText = last === undefined ? words.none : `${words.seen} ${day(last)}`;
  if (window.toMs === undefined) return control(id, 'unknown', `${lastText}; no audit logs of this cloud recorded`);
  if (nowMs <= due)
    return control(
      id,
      'unknown',
      `${lastText}; logs cover ${Math.floor((nowMs - (due - maxDays * DAY)) / DAY)} d of the ${maxDays} d`,
    );
  if (window.toMs < due) {
    return control(id, 'unknown', `${lastText}; due ${day(due)}, but the logs end ${day(window.toMs)}`);
  }
  return control(id, 'fail', `${lastText}; due ${day(due)} (${target})`);
}

function rotation(input: ControlInput): Control {
  const maxDays = input.account.rotation?.maxAgeDays ?? input.policy.rotationMaxAgeDays;
  const byAge = ageControl('rotation', input.facts.lastRotationMs, maxDays, input, {
    seen: 'rotated',
    none: 'no rotation seen in the logs',
  });
  // An opening of the store makes the rotation due sooner, whatever the age target says.
  const afterOpening = rotationAfterOpening(input.facts, input.policy);
  if (!afterOpening || byAge.status === 'fail') return byAge;
  const { nowMs, window } = input;
  const opened = `credential read from its store ${day(input.facts.lastOpening?.timeMs ?? 0)}, no rotation seen since; due ${day(afterOpening.dueMs)}`;
  if (nowMs <= afterOpening.dueMs) return control('rotation', byAge.status, `${byAge.evidence}; ${opened}`);
  if (window.toMs === undefined || window.toMs < afterOpening.dueMs) {
    return control('rotation', 'unknown', `${opened}, but the logs end ${window.toMs ? day(window.toMs) : 'before'}`);
  }
  return control('rotation', 'fail', opened);
}

function drill({ drills, nowMs, policy, watchingSinceMs }: ControlInput): Control {
  const maxDays = policy.drillMaxAgeDays;
  const last = drills.lastPassedMs;
  if (last !== undefined && nowMs - last <= maxDays * DAY) {
    return control('drill', 'pass', `passed ${day(last)}, ${ago(nowMs, last)} (target ${maxDays} d)`);
  }
  const passed = last === undefined ? 'no passed live drill' : `last passed ${day(last)}`;
  const tail = drills.last ? `; last drill ${drills.last.startedAt.slice(0, 10)} ${drills.last.outcome}` : '';
  // Drills run now (injected) or in a declared window: not seeing one is not a gap in the logs, except
  // before watching has lasted the whole period.
  const since = watchingSinceMs;
  if (last === undefined && nowMs - since <= maxDays * DAY) {
    return control('drill', 'unknown', `${passed} yet${tail}; first due ${day(since + maxDays * DAY)}`);
  }
  return control('drill', 'fail', `${passed}${tail} (target ${maxDays} d)`);
}

/** Registry entries naming the AWS root user: the only principals the root-key control judges. */
function isRootEntry(account: BreakGlassAccount): boolean {
  return account.cloud === 'aws' && typeof account.match.arn === 'string' && /:root$/.test(account.match.arn);
}

function rootKeys({ account, incidents }: ControlInput): Control {
  if (!isRootEntry(account)) return control('root-keys', 'n/a', 'not a root user');
  // Per AWS account (a wildcard entry watches many roots): keys created minus keys deleted.
  const net = new Map<string, { created: number; deleted: number; lastCreate?: string; lastDelete?: string }>();
  for (const incident of incidents) {
    if (incident.account !== account.id) continue;
    for (const event of incident.events) {
      if (event.outcome !== 'success' || !/^(Create|Delete)AccessKey$/.test(event.action)) continue;
      const where = event.where ?? '-';
      const row = net.get(where) ?? { created: 0, deleted: 0 };
      if (event.action === 'CreateAccessKey') {
        row.created++;
        row.lastCreate = event.time;
      } else {
        row.deleted++;
        row.lastDelete = event.time;
      }
      net.set(where, row);
    }
  }
  if (net.size === 0) {
    return control(
      'root-keys',
      'unknown',
      'no CreateAccessKey or DeleteAccessKey seen in the logs; a key made before them cannot be seen (check the IAM credential report)',
    );
  }
  const open = [...net.entries()].filter(([, r]) => r.created > r.deleted);
  if (open.length > 0) {
    const [where, r] = open[0] as [string, { lastCreate?: string }];
    return control(
      'root-keys',
      'fail',
      `CreateAccessKey ${r.lastCreate?.slice(0, 10)} in ${where}, no matching DeleteAccessKey seen${open.length > 1 ? ` (+${open.length - 1} more)` : ''}`,
    );
  }
  const [, r] = [...net.entries()][0] as [string, { lastCreate?: string; lastDelete?: string }];
  return control(
    'root-keys',
    'pass',
    `key created ${r.lastCreate?.slice(0, 10)} and deleted ${r.lastDelete?.slice(0, 10)}`,
  );
}

function used(input: ControlInput): Control {
  return ageControl('used', input.facts.lastRealUseMs, input.policy.unusedDays, input, {
    seen: 'last real use',
    none: 'no real use seen in the logs',
  });
}

/** Passed over applicable (pass, fail, unknown): an unknown is not a pass. */
export function scoreOf(controls: readonly Pick<Control, 'status'>[]): Score {
  const applicable = controls.filter((c) => c.status !== 'n/a').length;
  const passed = controls.filter((c) => c.status === 'pass').length;
  return { passed, applicable, ...(applicable > 0 ? { percent: Math.round((100 * passed) / applicable) } : {}) };
}
