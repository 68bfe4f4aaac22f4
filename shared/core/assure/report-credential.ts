import type { OpeningApproval } from '../model/incident.js';
import { describeStore, storeKeys } from '../registry/credential-stores.js';
import type { BreakGlassAccount } from '../registry/index.js';
import { declaredStores } from '../registry/matcher.js';
import { type AccountFacts, type CompliancePolicy, rotationAfterOpening } from './compliance.js';

/**
 * Where an account's credential lives and who last opened it, for the posture report: every declared
 * store as the rules name it, the approval path, the last opening read from the incidents the pipeline
 * stored (who, when, through which store, approved or not), and the rotation that opening calls for.
 */
export interface CredentialPosture {
  /** Every store the registry declares (`rotation.secretId` included), as pages name it. */
  stores: string[];
  /** The declared approved readers; null when the approval path is not declared. */
  approvedReaders: string[] | null;
  lastOpening?: {
    time: string;
    /** Who read it, as the record names the caller (log text). */
    reader: string;
    store: string;
    approval: OpeningApproval;
    /** Inside a declared drill window. */
    drill: boolean;
    incidentId: string;
  };
  /**
   * After the last opening: `rotated` (the logs show a rotation since), `due` (not yet shown, still
   * within `rotationAfterOpeningHours`) or `overdue`.
   */
  rotation?: { status: 'rotated' | 'due' | 'overdue'; at: string };
}

/** Undefined for an account that declares no store (nothing to say where the credential lives). */
export function credentialPosture(
  account: BreakGlassAccount,
  facts: AccountFacts,
  nowMs: number,
  policy: CompliancePolicy,
): CredentialPosture | undefined {
  const stores = declaredStores(account).flatMap((store) => storeKeys(store).slice(0, 1).map(describeStore));
  if (stores.length === 0) return undefined;
  const posture: CredentialPosture = {
    stores: [...new Set(stores)],
    approvedReaders: account.credential?.approvedReaders ? [...account.credential.approvedReaders] : null,
  };
  const opening = facts.lastOpening;
  if (!opening) return posture;
  const { timeMs, reader, store, approval, drill, incidentId } = opening;
  posture.lastOpening = { time: new Date(timeMs).toISOString(), reader, store, approval, drill, incidentId };
  const due = rotationAfterOpening(facts, policy);
  posture.rotation = due
    ? { status: nowMs > due.dueMs ? 'overdue' : 'due', at: new Date(due.dueMs).toISOString() }
    : { status: 'rotated', at: new Date(facts.lastRotationMs ?? timeMs).toISOString() };
  return posture;
}
