import type { AuditEvent, DirectoryRecord } from '../model/audit-event.js';
import { SEVERITY_ORDER, type Severity } from '../model/finding.js';
import {
  accountEnabled,
  hasPropertyPrefix,
  isGlobalAdministrator,
  STRONG_AUTH_PROPERTIES,
  updatedNames,
} from './entra/directory.js';
import { DOCS } from './references.js';

/**
 * Every documented Entra audit activity that weakens or takes over an emergency account: its
 * authentication methods, its Global Administrator assignment, its existence, its password. ONE table
 * (like tamper-actions.ts): the account-change rule reads it for the page wording and severity, the
 * README's list is generated from it, and the tests check that every entry fires on its fixture in replay
 * and that the Log Analytics query selects it. A record that targets the account and is not in the table
 * still fires `account.change`, with generic wording (a miss is worse than vague words).
 *
 * `activities` are `activityDisplayName` (Graph, diagnostic `properties.activityDisplayName`,
 * `operationName`; Log Analytics `OperationName`/`ActivityDisplayName`), compared case-insensitively and
 * without a trailing period (the Office 365 unified audit log writes "Reset user password.").
 */
export type EntraChangeArea = 'authentication method' | 'role' | 'account' | 'password';

export interface WordingContext {
  /** Registry id of the emergency account. */
  account: string;
  /** Who acted, as the record names them (untrusted: the page sanitizes). */
  actor: string;
  /** The account changed itself. */
  self: boolean;
}

export interface EntraChangeEntry {
  readonly activities: readonly string[];
  /** `loggedByService`, as the activity reference's section names it. */
  readonly service: string;
  /** The reference's "Audit Category". */
  readonly category: string;
  readonly area: EntraChangeArea;
  /** README: what the page says. */
  readonly what: string;
  /** README: which target and modified properties decide. */
  readonly reads: string;
  readonly severity: Severity;
  readonly doc: string;
  /** The page wording for this record, or undefined when the record is not this change. */
  wording(record: DirectoryRecord, c: WordingContext): string | undefined;
}

const REF = DOCS.entraAuditActivities;
const TAP_DOC = 'https://learn.microsoft.com/entra/identity/authentication/howto-authentication-temporary-access-pass';
const PIM_DOC =
  'https://learn.microsoft.com/entra/id-governance/privileged-identity-management/pim-how-to-use-audit-log';
const USER_TARGET = 'the `User` target (UPN or object id)';
const ROLE_READ = `${USER_TARGET}; the role from the \`Role\` target (name, \`TemplateId\`) or \`Role.DisplayName\`/\`Role.TemplateId\`/\`Role.WellKnownObjectName\` (old or new value)`;

function by(c: WordingContext): string {
  if (c.self) return 'the account itself';
  return c.actor === '(unknown)' ? 'someone the record does not name' : c.actor;
}

/** "Global Administrator role removed from ea1", or which other role, or that the record does not say. */
function roleWording(change: string, pim = ''): (r: DirectoryRecord, c: WordingContext) => string {
  return (record, c) => {
    const ga = isGlobalAdministrator(record);
    if (ga === true) return `Global Administrator role ${change} ${c.account}${pim}`;
    const which = ga === false ? 'not Global Administrator' : 'the record does not name the role';
    return `directory role ${change} ${c.account}${pim} (${which})`;
  };
}

const strongAuthNames = STRONG_AUTH_PROPERTIES.map((p) => p.toLowerCase());

function isTemporaryAccessPass(record: DirectoryRecord): boolean {
  return hasPropertyPrefix(record, 'TemporaryAccessPass') || /temporary access pass/i.test(record.resultReason ?? '');
}

// biome-ignore format: one entry per block keeps the table readable and greppable.
export const ENTRA_CHANGES: readonly EntraChangeEntry[] = [
  // Authentication methods (security info)
  { activities: ['Admin registered security info'], service: 'Authentication Methods', category: 'UserManagement', area: 'authentication method', severity: 'critical', doc: TAP_DOC,
    what: 'temporary access pass issued for the account by an administrator (a sign-in without its methods)', reads: `${USER_TARGET}; a \`TemporaryAccessPass.*\` modified property or a result reason naming the pass`,
    wording: (r, c) => (isTemporaryAccessPass(r) ? `temporary access pass issued for ${c.account} by ${by(c)}` : undefined) },
  { activities: ['User registered security info', 'Admin registered security info', 'User registered all required security info'], service: 'Authentication Methods', category: 'UserManagement', area: 'authentication method', severity: 'high', doc: `${REF}#authentication-methods`,
    what: 'authentication method registered on the account (other than a temporary access pass)', reads: USER_TARGET,
    wording: (r, c) => (isTemporaryAccessPass(r) ? undefined : `authentication method registered on ${c.account} by ${by(c)}`) },
  { activities: ['User deleted security info', 'Admin deleted security info'], service: 'Authentication Methods', category: 'UserManagement', area: 'authentication method', severity: 'high', doc: `${REF}#authentication-methods`,
    what: 'authentication method removed from the account', reads: USER_TARGET,
    wording: (_r, c) => `authentication method removed from ${c.account} by ${by(c)}` },
  { activities: ['User updated security info', 'Admin updated security info'], service: 'Authentication Methods', category: 'UserManagement', area: 'authentication method', severity: 'high', doc: `${REF}#authentication-methods`,
    what: 'authentication method changed on the account', reads: USER_TARGET,
    wording: (_r, c) => `authentication method changed on ${c.account} by ${by(c)}` },
  { activities: ['User changed default security info'], service: 'Authentication Methods', category: 'UserManagement', area: 'authentication method', severity: 'high', doc: `${REF}#authentication-methods`,
    what: 'default sign-in method changed', reads: USER_TARGET,
    wording: (_r, c) => `default sign-in method of ${c.account} changed by ${by(c)}` },
  { activities: ['Security info saved for self-service password reset'], service: 'Self-service Password Management', category: 'UserManagement', area: 'authentication method', severity: 'high', doc: `${REF}#self-service-password-management`,
    what: 'self-service password reset methods saved', reads: USER_TARGET,
    wording: (_r, c) => `self-service password reset methods saved for ${c.account}` },
  { activities: ['Add FIDO2 security key', 'Add Windows Hello for Business credential', 'Add passwordless phone sign-in credential', 'Add platform credential'], service: 'Device Registration Service', category: 'UserManagement', area: 'authentication method', severity: 'high', doc: `${REF}#device-registration-service`,
    what: 'passkey or passwordless credential registered', reads: USER_TARGET,
    wording: (_r, c) => `passkey or passwordless credential registered on ${c.account} by ${by(c)}` },
  { activities: ['Delete FIDO2 security key(s)', 'Delete Windows Hello for Business credential', 'Delete passwordless phone sign-in credential', 'Delete platform credential'], service: 'Device Registration Service', category: 'UserManagement', area: 'authentication method', severity: 'high', doc: `${REF}#device-registration-service`,
    what: 'passkey or passwordless credential removed (the phishing-resistant method the guidance asks for)', reads: USER_TARGET,
    wording: (_r, c) => `passkey or passwordless credential removed from ${c.account} by ${by(c)}` },
  { activities: ['Update user'], service: 'Core Directory', category: 'UserManagement', area: 'authentication method', severity: 'high', doc: `${REF}#core-directory`,
    what: 'authentication methods changed through the user object', reads: `${USER_TARGET}; modified \`${STRONG_AUTH_PROPERTIES.join('`, `')}\` or \`Included Updated Properties\` naming one`,
    wording: (r, c) => {
      const names = updatedNames(r);
      const changed = STRONG_AUTH_PROPERTIES.filter((_, i) => names.has(strongAuthNames[i] as string));
      return changed.length > 0 ? `authentication methods of ${c.account} changed by ${by(c)} (${changed.join(', ')})` : undefined;
    } },
  { activities: ['Add users strong authentication phone app detail'], service: 'Core Directory', category: 'UserManagement', area: 'authentication method', severity: 'high', doc: `${REF}#core-directory`,
    what: 'Authenticator app registered', reads: USER_TARGET,
    wording: (_r, c) => `Authenticator app registered on ${c.account} by ${by(c)}` },
  { activities: ['Remove users strong authentication phone app detail'], service: 'Core Directory', category: 'UserManagement', area: 'authentication method', severity: 'high', doc: `${REF}#core-directory`,
    what: 'Authenticator app removed', reads: USER_TARGET,
    wording: (_r, c) => `Authenticator app removed from ${c.account} by ${by(c)}` },
  { activities: ['Disable Strong Authentication'], service: 'Core Directory', category: 'UserManagement', area: 'authentication method', severity: 'high', doc: `${REF}#core-directory`,
    what: 'per-user MFA disabled', reads: USER_TARGET,
    wording: (_r, c) => `per-user MFA disabled for ${c.account} by ${by(c)}` },
  { activities: ['Create application password for user'], service: 'Core Directory', category: 'UserManagement', area: 'authentication method', severity: 'high', doc: `${REF}#core-directory`,
    what: 'app password created (signs in without a second factor)', reads: USER_TARGET,
    wording: (_r, c) => `app password created for ${c.account} by ${by(c)}` },

  // Global Administrator assignment
  { activities: ['Remove member from role', 'Remove scoped member from role', 'Remove member from role scoped over Restricted Management Administrative Unit', 'Remove role assignment from role definition'], service: 'Core Directory', category: 'RoleManagement', area: 'role', severity: 'high', doc: `${REF}#core-directory`,
    what: 'Global Administrator role removed (or which other role)', reads: ROLE_READ,
    wording: roleWording('removed from') },
  { activities: ['Remove member from role in PIM completed (permanent)', 'Remove member from role in PIM completed (timebound)', 'Remove permanent direct role assignment'], service: 'PIM', category: 'RoleManagement', area: 'role', severity: 'high', doc: PIM_DOC,
    what: 'Global Administrator role removed (PIM)', reads: ROLE_READ,
    wording: roleWording('removed from', ' (PIM)') },
  { activities: ['Remove member from role in PIM requested (permanent)', 'Remove member from role in PIM requested (timebound)'], service: 'PIM', category: 'RoleManagement', area: 'role', severity: 'high', doc: PIM_DOC,
    what: 'removal of the Global Administrator role requested (PIM)', reads: ROLE_READ,
    wording: roleWording('removal requested for', ' (PIM)') },
  { activities: ['Add eligible member to role in PIM completed (permanent)', 'Add eligible member to role in PIM completed (timebound)', 'Add eligible member to role in PIM requested (permanent)', 'Add eligible member to role in PIM requested (timebound)', 'Add eligible member to role', 'Add EligibleRoleAssignment to RoleDefinition'], service: 'PIM; Core Directory', category: 'RoleManagement', area: 'role', severity: 'high', doc: PIM_DOC,
    what: 'role assignment made eligible-only (PIM): the role must be activated, the guidance asks for a permanent active one', reads: ROLE_READ,
    wording: (r, c) => (isGlobalAdministrator(r) === true ? `Global Administrator role assignment of ${c.account} made eligible-only (PIM)` : roleWording('made eligible-only for', ' (PIM)')(r, c)) },
  { activities: ['Remove eligible member from role', 'Remove eligible member from role in PIM completed (permanent)', 'Remove eligible member from role in PIM completed (timebound)', 'Remove permanent eligible role assignment', 'Remove EligibleRoleAssignment from RoleDefinition'], service: 'PIM; Core Directory', category: 'RoleManagement', area: 'role', severity: 'high', doc: PIM_DOC,
    what: 'eligible role assignment removed (PIM)', reads: ROLE_READ,
    wording: roleWording('eligibility removed from', ' (PIM)') },

  // The account itself
  { activities: ['Disable account'], service: 'Core Directory', category: 'UserManagement', area: 'account', severity: 'high', doc: `${REF}#core-directory`,
    what: 'account disabled', reads: USER_TARGET,
    wording: (_r, c) => `account ${c.account} disabled by ${by(c)}` },
  { activities: ['Update user'], service: 'Core Directory', category: 'UserManagement', area: 'account', severity: 'high', doc: `${REF}#core-directory`,
    what: 'account disabled through the user object', reads: `${USER_TARGET}; \`AccountEnabled\` new value \`[false]\``,
    wording: (r, c) => (accountEnabled(r) === false ? `account ${c.account} disabled by ${by(c)}` : undefined) },
  { activities: ['Enable account'], service: 'Core Directory', category: 'UserManagement', area: 'account', severity: 'high', doc: `${REF}#core-directory`,
    what: 'account enabled', reads: USER_TARGET,
    wording: (_r, c) => `account ${c.account} enabled by ${by(c)}` },
  { activities: ['Delete user'], service: 'Core Directory', category: 'UserManagement', area: 'account', severity: 'high', doc: `${REF}#core-directory`,
    what: 'account deleted (restorable for 30 days)', reads: USER_TARGET,
    wording: (_r, c) => `account ${c.account} deleted by ${by(c)}` },
  { activities: ['Hard Delete user'], service: 'Core Directory', category: 'UserManagement', area: 'account', severity: 'high', doc: `${REF}#core-directory`,
    what: 'account permanently deleted', reads: USER_TARGET,
    wording: (_r, c) => `account ${c.account} permanently deleted by ${by(c)}` },

  // Password
  { activities: ['Reset password', 'Reset user password', 'Set force change user password'], service: 'Core Directory', category: 'UserManagement', area: 'password', severity: 'high', doc: `${REF}#core-directory`,
    what: 'password reset by someone (they now know it)', reads: USER_TARGET,
    wording: (_r, c) => `password of ${c.account} reset by ${by(c)}` },
  { activities: ['Reset password (by admin)', 'Admin started password reset', 'User Password Reset'], service: 'Self-service Password Management; Authentication Methods; MIM Service', category: 'UserManagement', area: 'password', severity: 'high', doc: `${REF}#self-service-password-management`,
    what: 'password reset by an administrator', reads: USER_TARGET,
    wording: (_r, c) => `password of ${c.account} reset by ${by(c)}` },
  { activities: ['Change user password', 'Change password (self-service)', 'User started password change'], service: 'Core Directory; Self-service Password Management; Authentication Methods', category: 'UserManagement', area: 'password', severity: 'high', doc: `${REF}#self-service-password-management`,
    what: 'password changed', reads: USER_TARGET,
    wording: (_r, c) => `password of ${c.account} changed by ${by(c)}` },
  { activities: ['Reset password (self-service)', 'User started password reset', 'Unlock user account (self-service)', 'Blocked from self-service password reset'], service: 'Self-service Password Management; Authentication Methods', category: 'UserManagement', area: 'password', severity: 'high', doc: `${REF}#self-service-password-management`,
    what: 'self-service password reset (someone passed, or tried, the account’s reset challenges)', reads: USER_TARGET,
    wording: (_r, c) => `self-service password reset of ${c.account}` },
];

/** Comparable activity name: lower case, trimmed, without the unified audit log's trailing period. */
export function canonicalActivity(activity: string): string {
  return activity.trim().replace(/\.$/, '').toLowerCase();
}

const BY_ACTIVITY = new Map<string, EntraChangeEntry[]>();
for (const entry of ENTRA_CHANGES) {
  for (const activity of entry.activities) {
    const key = canonicalActivity(activity);
    BY_ACTIVITY.set(key, [...(BY_ACTIVITY.get(key) ?? []), entry]);
  }
}

export interface EntraChange {
  /** Every entry whose reading applies: one `Update user` can disable the account and change its methods. */
  entries: EntraChangeEntry[];
  /** Their wordings, joined. */
  wording: string;
  /** The highest of their severities. */
  severity: Severity;
}

/** The entries for this record's activity whose reading applies, with their wording. One Map lookup. */
export function entraChangeOf(event: AuditEvent, c: WordingContext): EntraChange | undefined {
  if (event.source !== 'azure.audit') return undefined;
  const candidates = BY_ACTIVITY.get(canonicalActivity(event.action));
  if (candidates === undefined) return undefined;
  const record = event.directory ?? { targets: [] };
  const entries: EntraChangeEntry[] = [];
  const wordings: string[] = [];
  for (const entry of candidates) {
    const wording = entry.wording(record, c);
    if (wording === undefined) continue;
    entries.push(entry);
    wordings.push(wording);
  }
  const [first] = entries;
  if (first === undefined) return undefined;
  const severity = entries.reduce(
    (max, e) => (SEVERITY_ORDER[e.severity] > SEVERITY_ORDER[max] ? e.severity : max),
    first.severity,
  );
  return { entries, wording: wordings.join('; '), severity };
}
