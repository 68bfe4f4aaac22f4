import { ActionSet, type ActionTable } from '../../detect/action-table.js';
import type { AuditEvent } from '../../model/audit-event.js';
import type { RotationWatch } from '../../ports/rotation-watch-store.js';
import { secretsManagerKeys } from '../../registry/credential-stores.js';
import type { RegistryMatcher } from '../../registry/index.js';
import { sameText } from '../../text.js';
import { expectedEvidence } from './rotation-policy.js';
import type { RotationEvidence } from './types.js';

/**
 * "Was the break-glass credential rotated?", answered from the audit logs. Pure: given one event and
 * the pending rotations, which rotations does it prove? A cheap action check runs first, so calling
 * this for every event of a busy trail costs one Map lookup per event.
 */

/** Records that change a password or a stored secret, per cloud (Entra and Workspace spell several ways). */
export const ROTATION_ACTION_TABLE: ActionTable = {
  aws: [
    { service: 'iam.amazonaws.com', actions: ['UpdateLoginProfile', 'ChangePassword', 'CreateLoginProfile'] },
    { service: 'signin.amazonaws.com', actions: ['PasswordUpdated', 'PasswordRecoveryCompleted'] },
    { service: 'secretsmanager.amazonaws.com', actions: ['RotateSecret', 'PutSecretValue'] },
  ],
  azure: [
    {
      actions: [
        'Reset password (by admin)',
        'Reset user password',
        'Change user password',
        'Change password (self-service)',
        'Reset password (self-service)',
      ],
    },
  ],
  // Workspace Login audit password_edit; Admin audit CHANGE_PASSWORD (google.admin.AdminService.changePassword).
  gcp: [{ actions: ['password_edit', 'CHANGE_PASSWORD'] }],
};
const ROTATION_ACTIONS = new ActionSet(ROTATION_ACTION_TABLE);

/** Entra password changes are AuditLogs records; the same words elsewhere (a sign-in) are not. */
const AZURE_SOURCE = 'azure.audit';

/**
 * The cheap pre-filter: could this event prove any rotation? Successful password or secret changes
 * only. The pipeline can call this on every event and keep the few that pass.
 */
export function isRotationEvidence(event: AuditEvent): boolean {
  if (event.outcome !== 'success' || !ROTATION_ACTIONS.has(event)) return false;
  return event.cloud !== 'azure' || event.source === AZURE_SOURCE;
}

type ProofReader = (event: AuditEvent) => RotationEvidence[];

const AWS_PROOFS: Readonly<Record<string, ProofReader>> = {
  'iam.amazonaws.com': (event) => {
    const targets = event.targets.length > 0 ? event.targets : [event.actor];
    return targets.flatMap((t) =>
      t.userName
        ? [{ kind: 'aws.iam-user-password' as const, userName: t.userName, accountId: t.accountId ?? event.account }]
        : [],
    );
  },
  'signin.amazonaws.com': (event) => {
    const accountId = event.actor.accountId ?? event.account;
    return event.actor.type === 'Root' && accountId ? [{ kind: 'aws.root-password', accountId }] : [];
  },
  // The normalizer lists `requestParameters.secretId` (a name or an ARN) and any resource ARN.
  'secretsmanager.amazonaws.com': (event) => event.resources.map((secretId) => ({ kind: 'aws.secret', secretId })),
};

const PROOFS: Readonly<Record<AuditEvent['cloud'], ProofReader>> = {
  aws: (event) => AWS_PROOFS[event.service.toLowerCase()]?.(event) ?? [],
  azure: (event) =>
    event.targets.flatMap((t) =>
      t.upn || t.objectId ? [{ kind: 'azure.password' as const, upn: t.upn, objectId: t.objectId }] : [],
    ),
  gcp: (event) => event.targets.flatMap((t) => (t.email ? [{ kind: 'gcp.password' as const, email: t.email }] : [])),
  // A Vault write is a store change, not proof that the account's own credential was rotated.
  vault: () => [],
};

/** What this event proves was rotated; empty for anything that is not a successful rotation. */
export function proofsOf(event: AuditEvent): RotationEvidence[] {
  return isRotationEvidence(event) ? PROOFS[event.cloud](event) : [];
}

/**
 * Rotation evidence that can close a watch: watches exist only for registry accounts, so an event
 * counts when one of its proofs proves what a registry account's watch expects, or concerns a registry
 * account as the matcher resolves it (an IAM user in its account, the root of an account a root entry
 * covers — `arn:aws:iam::*:root` covers every account —, an Entra UPN or object id, a Google email) or
 * a declared Secrets Manager store. The ingest publishes only these: the rest of a busy trail's
 * password and secret changes cannot prove anything the responders wait for.
 */
export function isWatchedRotationEvidence(event: AuditEvent, matcher: RegistryMatcher): boolean {
  if (!isRotationEvidence(event)) return false;
  let watched = EXPECTED.get(matcher);
  if (watched === undefined) {
    watched = matcher.registry.accounts.flatMap(expectedEvidence);
    EXPECTED.set(matcher, watched);
  }
  return PROOFS[event.cloud](event).some(
    (proof) => watched.some((e) => proves(proof, e)) || concernsRegistry(proof, matcher),
  );
}

/** What the watches of a registry's accounts can expect, per matcher (built on first use). */
const EXPECTED = new WeakMap<RegistryMatcher, RotationEvidence[]>();

function concernsRegistry(proof: RotationEvidence, matcher: RegistryMatcher): boolean {
  switch (proof.kind) {
    case 'aws.iam-user-password':
      return matcher.match('aws', { userName: proof.userName, accountId: proof.accountId }) !== undefined;
    case 'aws.root-password':
      return (
        matcher.match('aws', { arn: `arn:aws:iam::${proof.accountId}:root`, accountId: proof.accountId }) !== undefined
      );
    case 'aws.secret':
      return matcher.credentialOwner(secretsManagerKeys(proof.secretId)) !== undefined;
    case 'azure.password':
      return matcher.match('azure', { upn: proof.upn, objectId: proof.objectId }) !== undefined;
    case 'gcp.password':
      return matcher.match('gcp', { email: proof.email }) !== undefined;
  }
}

/** Does a proof found in a record satisfy what a watch expects? Identifiers compare case-insensitively. */
export function proves(proof: RotationEvidence, expected: RotationEvidence): boolean {
  switch (expected.kind) {
    case 'aws.iam-user-password':
      return (
        proof.kind === expected.kind &&
        sameText(proof.userName, expected.userName) &&
        (proof.accountId === undefined || expected.accountId === undefined || proof.accountId === expected.accountId)
      );
    case 'aws.root-password':
      return proof.kind === expected.kind && proof.accountId === expected.accountId;
    case 'aws.secret':
      return proof.kind === expected.kind && sameSecret(proof.secretId, expected.secretId);
    case 'azure.password':
      return (
        proof.kind === expected.kind &&
        (sameText(proof.upn, expected.upn) || sameText(proof.objectId, expected.objectId))
      );
    case 'gcp.password':
      return proof.kind === expected.kind && sameText(proof.email, expected.email);
  }
}

/**
 * A secret named by name or ARN. A Secrets Manager ARN is `…:secret:<name>-<6 random characters>`, and
 * callers may pass either form, so an ARN also stands for its name without the suffix.
 */
export function sameSecret(a: string, b: string): boolean {
  if (a === b) return true;
  const names = (id: string) => {
    const marker = id.indexOf(':secret:');
    if (!id.startsWith('arn:') || marker === -1) return [id];
    const full = id.slice(marker + ':secret:'.length);
    return [full, full.replace(/-[A-Za-z0-9]{6}$/, '')];
  };
  const left = names(a);
  return names(b).some((name) => left.includes(name));
}

/**
 * The pending rotations this event proves: same cloud, not yet seen, the record at or after the
 * watch's `since` (a password change inside the session is part of the session, not its aftermath),
 * and one of its proofs matching one expected piece of evidence.
 *
 * @example
 * for (const watch of matchRotations(event, await store.listPending())) markSeen(watch, event);
 */
export function matchRotations(event: AuditEvent, watches: readonly RotationWatch[]): RotationWatch[] {
  const proofs = proofsOf(event);
  if (proofs.length === 0) return [];
  // The time check last: a replay holds thousands of candidate events for a few dozen watches.
  return watches.filter(
    (watch) =>
      watch.status !== 'seen' &&
      watch.cloud === event.cloud &&
      watch.evidence.some((expected) => proofs.some((proof) => proves(proof, expected))) &&
      event.timeMs >= Date.parse(watch.since),
  );
}
