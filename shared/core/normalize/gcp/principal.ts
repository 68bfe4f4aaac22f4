import type { Actor } from '../../model/audit-event.js';
import { type FieldReader, isObject, type JsonObject } from '../fields.js';

/**
 * Who made a Cloud Audit Log call: `protoPayload.authenticationInfo`.
 * https://cloud.google.com/logging/docs/reference/audit/auditlog/rest/Shared.Types/AuditLog#authenticationinfo
 */

/** `principalSubject` prefixes ("user:a@b", "serviceAccount:x@y") are Google's own word for the type. */
const SUBJECT_TYPE = /^([A-Za-z]+):/;

/**
 * Google-managed service agents: Google's own automation acting inside the project, never a person.
 * Deliberately narrow: only the documented service-agent domains. A customer service account
 * (`…@<project>.iam.gserviceaccount.com`, `…-compute@developer.gserviceaccount.com`) may be driven by
 * a person holding its key, so it stays person activity.
 * https://cloud.google.com/iam/docs/service-agents
 */
const SERVICE_AGENTS: readonly RegExp[] = [
  /^[^@]+@gcp-sa-[a-z0-9-]+\.iam\.gserviceaccount\.com$/i,
  /^service-\d+@[a-z0-9-]+\.iam\.gserviceaccount\.com$/i,
  /^[^@]+@system\.gserviceaccount\.com$/i,
];

/**
 * The actor of a LogEntry. `fallbackEmail` is for Workspace records that carry the user only in their
 * parameters (`affected_email_address`). Kubernetes principals ("system:node:…") are not e-mails and
 * are kept as display only.
 */
export function readActor(
  authentication: JsonObject | undefined,
  reader: FieldReader,
  fallbackEmail: string | undefined,
): Actor {
  const base = 'protoPayload.authenticationInfo';
  const principal = reader.optString(authentication, 'principalEmail', `${base}.principalEmail`) ?? fallbackEmail;
  const subject = reader.optString(authentication, 'principalSubject', `${base}.principalSubject`);
  // `principalSubject` ("user:alice@example.com") names a Google account when principalEmail is absent.
  const subjectEmail =
    subject?.startsWith('user:') && subject.includes('@') ? subject.slice('user:'.length) : undefined;
  const email = principal?.includes('@') ? principal : subjectEmail;
  const actor: Actor = { type: principalType(email, subject), display: principal ?? email ?? subject ?? '(unknown)' };
  if (email !== undefined) actor.email = email;
  const delegator = firstParty(authentication, reader);
  if (delegator !== undefined && delegator.toLowerCase() !== email?.toLowerCase()) {
    actor.delegatedBy = { email: delegator };
    actor.display = `${delegator} via ${actor.display}`;
  }
  return actor;
}

/**
 * `serviceAccountDelegationInfo[0].firstPartyPrincipal.principalEmail`: the real authority of a call a
 * service account made on its behalf (the chain is sorted from the original authority, AuditLog
 * reference, ServiceAccountDelegationInfo). Undefined when absent or not an e-mail.
 */
function firstParty(authentication: JsonObject | undefined, reader: FieldReader): string | undefined {
  const path = 'protoPayload.authenticationInfo.serviceAccountDelegationInfo';
  const chain = reader.optArray(authentication, 'serviceAccountDelegationInfo', path);
  const first = chain?.[0];
  if (!isObject(first)) return undefined;
  const party = reader.optObject(first, 'firstPartyPrincipal', `${path}[0].firstPartyPrincipal`);
  const email = reader.optString(party, 'principalEmail', `${path}[0].firstPartyPrincipal.principalEmail`);
  return email?.includes('@') ? email : undefined;
}

function principalType(email: string | undefined, subject: string | undefined): string {
  const fromSubject = subject === undefined ? undefined : SUBJECT_TYPE.exec(subject)?.[1];
  if (fromSubject !== undefined) return fromSubject;
  if (email === undefined) return 'unknown';
  return /\.gserviceaccount\.com$/i.test(email) ? 'serviceAccount' : 'user';
}

/** True only for Google-managed service agents; see {@link SERVICE_AGENTS}. */
export function isServiceAgent(email: string | undefined): boolean {
  return email !== undefined && SERVICE_AGENTS.some((pattern) => pattern.test(email));
}
