import type { Outcome, PrincipalRef } from '../../model/audit-event.js';
import { cap, type FieldReader, type JsonObject } from '../fields.js';
import { membershipChange, workspaceMembership } from '../group-membership.js';
import { firstParam } from './activity-metadata.js';
import { addEmailTarget, type EntryParts, type Interpretation } from './interpretation.js';

/**
 * An ordinary Cloud Audit Log API call (Admin Activity, Data Access, Workspace Admin audit).
 * https://cloud.google.com/logging/docs/reference/audit/auditlog/rest/Shared.Types/AuditLog
 */

/** IAM methods that change a service account's keys: the account whose key changed is the target. */
const SERVICE_ACCOUNT_KEY_METHODS: ReadonlySet<string> = new Set([
  'google.iam.admin.v1.CreateServiceAccountKey',
  'google.iam.admin.v1.UploadServiceAccountKey',
  'google.iam.admin.v1.DeleteServiceAccountKey',
  'google.iam.admin.v1.DisableServiceAccountKey',
  'google.iam.admin.v1.EnableServiceAccountKey',
]);

/** Each reader adds the principals one kind of record changes; a table, so a new kind is one line. */
const TARGET_READERS: ReadonlyArray<(entry: EntryParts, targets: PrincipalRef[]) => void> = [
  addBindingDeltaUsers,
  (entry, targets) => addEmailTarget(targets, firstParam(entry.events, 'USER_EMAIL')),
  addServiceAccountKeyOwner,
];

/** Outcome from `status` (google.rpc.Status): absent or code 0 is success. */
export function interpretAuditCall(entry: EntryParts): Interpretation {
  const { outcome, failureReason } = readStatus(entry.payload, entry.reader);
  const targets: PrincipalRef[] = [];
  for (const read of TARGET_READERS) read(entry, targets);
  const result: Interpretation = {
    source: 'gcp.audit',
    category: 'api',
    action: entry.methodName,
    outcome,
    targets,
  };
  if (failureReason !== undefined) result.failureReason = failureReason;
  const change = membershipChange('gcp', entry.serviceName, entry.methodName);
  if (change !== undefined) {
    result.membership = workspaceMembership(
      change,
      firstParam(entry.events, 'GROUP_EMAIL'),
      firstParam(entry.events, 'USER_EMAIL'),
    );
  }
  return result;
}

function readStatus(payload: JsonObject, reader: FieldReader): { outcome: Outcome; failureReason?: string } {
  const status = reader.optObject(payload, 'status', 'protoPayload.status');
  const code = reader.optString(status, 'code', 'protoPayload.status.code');
  if (code === undefined || code === '0') return { outcome: 'success' };
  const message = reader.optString(status, 'message', 'protoPayload.status.message');
  return {
    outcome: 'failure',
    failureReason: cap(message === undefined ? `code ${code}` : `code ${code}: ${message}`),
  };
}

/**
 * SetIamPolicy: `serviceData.policyDelta.bindingDeltas[]` lists each member added or removed. Only
 * `user:` members are people (and break-glass accounts); groups, domains and service accounts are not.
 */
function addBindingDeltaUsers(entry: EntryParts, targets: PrincipalRef[]): void {
  const { reader } = entry;
  const base = 'protoPayload.serviceData.policyDelta';
  const serviceData = reader.optObject(entry.payload, 'serviceData', 'protoPayload.serviceData');
  const delta = reader.optObject(serviceData, 'policyDelta', base);
  const deltas = reader.optArray(delta, 'bindingDeltas', `${base}.bindingDeltas`) ?? [];
  deltas.forEach((raw, i) => {
    const at = `${base}.bindingDeltas[${i}]`;
    const binding = reader.optObject({ raw }, 'raw', at);
    const member = reader.optString(binding, 'member', `${at}.member`);
    if (member?.startsWith('user:')) addEmailTarget(targets, member.slice('user:'.length));
  });
}

/** `resource.labels.email_id` of a `service_account` resource names the account whose key changed. */
function addServiceAccountKeyOwner(entry: EntryParts, targets: PrincipalRef[]): void {
  if (!SERVICE_ACCOUNT_KEY_METHODS.has(entry.methodName)) return;
  addEmailTarget(targets, entry.reader.optString(entry.resourceLabels, 'email_id', 'resource.labels.email_id'));
}
