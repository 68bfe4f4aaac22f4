import type { Incident } from '../../model/incident.js';
import type { RotationReason, RotationWatch } from '../../ports/rotation-watch-store.js';
import type { BreakGlassAccount } from '../../registry/index.js';
import { sanitizeText } from '../render/sanitize.js';
import type { RotationConfig } from './config.js';
import type { AccessKeyCleanup, RotationEvidence, RotationExecutors } from './types.js';

/**
 * When the break-glass credential is rotated, how Glasswatch rotates it, and what in the logs proves
 * it was. Pure decisions from the incident, its registry entry and the configuration.
 */

export interface RotationTrigger {
  reason: RotationReason;
  /** Rotating at once rather than after the session and the delay. */
  immediate: boolean;
  /** When the trigger happened: the triggering event, or the session end. */
  atMs: number;
}

/** Clock skew allowed between a CloudTrail `eventTime` and the key's `CreateDate`. */
const KEY_WINDOW_SLACK_MS = 60_000;
/** IAM user names: up to 64 of letters, digits and `+=,.@_-`. Anything else is not used in an API call. */
const IAM_USER_NAME = /^[\w+=,.@-]{1,64}$/;
/** Access key ids (long-term AKIA…, temporary ASIA…): also valid user names, so told apart first. */
const ACCESS_KEY_ID = /^A[KS]IA[A-Z0-9]{12,124}$/;

/**
 * Tampering with audit logs, or a sign-in that failed and then succeeded (a guessed or stolen
 * password), rotates at once: the credential must be presumed known. Events are in time order; the
 * first qualifying one decides, so the trigger (and the watch built from it) is stable across changes.
 */
export function immediateTrigger(incident: Pick<Incident, 'events'>): RotationTrigger | undefined {
  let failedBefore = false;
  for (const event of incident.events) {
    const atMs = Date.parse(event.time);
    if (event.kinds.includes('audit.tamper')) return { reason: 'audit.tamper', immediate: true, atMs };
    if (event.kinds.includes('signin.failure')) failedBefore = true;
    else if (failedBefore && (event.kinds.includes('signin.success') || event.kinds.includes('signin.without-mfa'))) {
      return { reason: 'failed-then-successful sign-in', immediate: true, atMs };
    }
  }
  return undefined;
}

/** The delayed trigger of a session that ended: no events for the session gap. */
export function sessionEndTrigger(incident: Pick<Incident, 'lastSeen'>, sessionGapMs: number): RotationTrigger {
  return { reason: 'session-ended', immediate: false, atMs: Date.parse(incident.lastSeen) + sessionGapMs };
}

/** What the audit logs must show for this account's credential to count as rotated. */
export function expectedEvidence(account: BreakGlassAccount): RotationEvidence[] {
  const evidence: RotationEvidence[] = [];
  if (account.cloud === 'aws') {
    const { arn, userName, accountId } = account.match;
    const parsed =
      arn && !arn.includes('*') ? /^arn:aws[a-z-]*:iam::(\d{12}):(root|user\/(?:.*\/)?([^/]+))$/.exec(arn) : null;
    if (parsed?.[2] === 'root') evidence.push({ kind: 'aws.root-password', accountId: parsed[1] as string });
    else if (parsed?.[3]) evidence.push({ kind: 'aws.iam-user-password', userName: parsed[3], accountId: parsed[1] });
    else if (userName) evidence.push({ kind: 'aws.iam-user-password', userName, ...(accountId ? { accountId } : {}) });
    if (account.rotation?.secretId) evidence.push({ kind: 'aws.secret', secretId: account.rotation.secretId });
  } else if (account.cloud === 'azure') {
    const { userPrincipalName, objectId } = account.match;
    evidence.push({
      kind: 'azure.password',
      ...(userPrincipalName ? { upn: userPrincipalName } : {}),
      ...(objectId ? { objectId } : {}),
    });
  } else {
    evidence.push({ kind: 'gcp.password', email: account.match.email });
  }
  return evidence;
}

/**
 * What Glasswatch does itself (AWS, when `rotation.aws` is configured): RotateSecret on the account's
 * secret, and deactivation of access keys created by CreateAccessKey during the session. The key's id is
 * not kept in the incident, so the executor lists each user's keys and deactivates those created
 * within the session window.
 */
export function executorsFor(
  incident: Pick<Incident, 'events' | 'firstSeen' | 'lastSeen' | 'cloud'>,
  account: BreakGlassAccount,
  config: RotationConfig,
): RotationExecutors {
  if (incident.cloud !== 'aws' || account.cloud !== 'aws' || !config.aws) return {};
  const executors: RotationExecutors = {};
  if (config.aws.rotateSecret && account.rotation?.secretId) executors.secretId = account.rotation.secretId;
  if (config.aws.deactivateAccessKeys) {
    const cleanup = accessKeyCleanup(incident, account);
    if (cleanup.users.length > 0) executors.accessKeys = cleanup;
    if (cleanup.rootKey) executors.rootAccessKey = true;
  }
  return executors;
}

function accessKeyCleanup(
  incident: Pick<Incident, 'events' | 'firstSeen' | 'lastSeen'>,
  account: Extract<BreakGlassAccount, { cloud: 'aws' }>,
): AccessKeyCleanup & { rootKey: boolean } {
  // Only keys created in the account the registry names (when it names one): IAM calls act in the
  // responders' own account, and a same-named user elsewhere is not this incident's to touch.
  const accountId = ownAccountId(account);
  const created = incident.events.filter(
    (e) =>
      e.service === 'iam.amazonaws.com' &&
      e.action === 'CreateAccessKey' &&
      e.outcome === 'success' &&
      (accountId === undefined || e.where === accountId),
  );
  const own = ownUserName(account);
  const users = new Set<string>();
  const keyIds = new Set<string>();
  let rootKey = false;
  for (const event of created) {
    for (const id of event.resources.filter((r) => ACCESS_KEY_ID.test(r))) keyIds.add(id);
    // The normalizer lists requestParameters.userName; without it the caller created its own key.
    const named = event.resources.filter((r) => IAM_USER_NAME.test(r) && !ACCESS_KEY_ID.test(r));
    if (named.length > 0) for (const user of named) users.add(user);
    else if (own) users.add(own);
    else rootKey = true;
  }
  return {
    users: [...users].sort(),
    keyIds: [...keyIds].sort(),
    from: new Date(Date.parse(incident.firstSeen) - KEY_WINDOW_SLACK_MS).toISOString(),
    to: new Date(Date.parse(incident.lastSeen) + KEY_WINDOW_SLACK_MS).toISOString(),
    eventIds: created.map((e) => e.id).sort(),
    rootKey,
  };
}

/** The AWS account a registry entry names, when it names exactly one. */
function ownAccountId(account: Extract<BreakGlassAccount, { cloud: 'aws' }>): string | undefined {
  const { arn, accountId } = account.match;
  const fromArn = arn?.split(':')[4];
  const id = accountId ?? fromArn;
  return id && /^\d{12}$/.test(id) ? id : undefined;
}

/** The IAM user a registry entry names, when it is an IAM user (not root, not a role pattern). */
function ownUserName(account: Extract<BreakGlassAccount, { cloud: 'aws' }>): string | undefined {
  const { arn, userName } = account.match;
  const fromArn = arn && !arn.includes('*') ? /:user\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1] : undefined;
  const name = fromArn ?? userName;
  return name && IAM_USER_NAME.test(name) ? name : undefined;
}

export interface WatchInput {
  incident: Incident;
  account: BreakGlassAccount;
  trigger: RotationTrigger;
  config: RotationConfig;
  nowMs: number;
}

/** A new watch (revision 1) for a rotation this incident calls for. */
export function newWatch({ incident, account, trigger, config, nowMs }: WatchInput): RotationWatch {
  // Immediate means now, even if the event's clock runs ahead of ours.
  const dueMs = trigger.immediate ? Math.min(trigger.atMs, nowMs) : trigger.atMs + config.delayMinutes * 60_000;
  const where = incident.events.find((e) => e.where)?.where;
  return {
    incidentId: incident.id,
    account: account.id,
    cloud: incident.cloud,
    drill: incident.drill,
    reason: trigger.reason,
    immediate: trigger.immediate,
    principal: sanitizeText(incident.principal, 128) || 'unknown principal',
    ...(where ? { where: sanitizeText(where, 96) } : {}),
    dueAt: new Date(dueMs).toISOString(),
    // Delayed: anything after the session's last activity counts, even before the delay runs out.
    since: trigger.immediate ? new Date(trigger.atMs).toISOString() : incident.lastSeen,
    deadlineAt: new Date(dueMs + config.seenWithinHours * 3_600_000).toISOString(),
    evidence: expectedEvidence(account),
    executors: executorsFor(incident, account, config),
    status: 'open',
    updatedAt: new Date(nowMs).toISOString(),
    revision: 1,
  };
}
