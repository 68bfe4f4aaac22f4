import type { AuditEvent } from '../../model/audit-event.js';
import { isObject } from '../../normalize/fields.js';
import { ActionSet, canonicalAction } from '../action-table.js';
import { DOCS } from '../references.js';
import type { Rule } from '../rule.js';
import { TAMPER_ACTIONS } from '../tamper-actions.js';

const TAMPER = new ActionSet(TAMPER_ACTIONS);

/**
 * GCP SetIamPolicy also carries the audit configuration. Its `serviceData.policyDelta.auditConfigDeltas`
 * weaken logging when an entry REMOVEs a log type (no exemptedMember) or ADDs an exempted member.
 * Only project, folder and organization policies carry audit configs; other SetIamPolicy calls have none.
 */
function weakensGcpAuditConfig(event: AuditEvent): boolean {
  if (event.cloud !== 'gcp' || canonicalAction('gcp', event.action) !== 'setiampolicy') return false;
  const deltas = path(event.raw, 'protoPayload', 'serviceData', 'policyDelta', 'auditConfigDeltas');
  if (!Array.isArray(deltas)) return false;
  return deltas.some((delta) => {
    if (!isObject(delta)) return false;
    const exempts = typeof delta.exemptedMember === 'string' && delta.exemptedMember !== '';
    return (delta.action === 'REMOVE' && !exempts) || (delta.action === 'ADD' && exempts);
  });
}

/** Own-property walk through untrusted JSON: never reads inherited keys such as `__proto__`. */
function path(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (!isObject(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

/** Anyone stopping, deleting or weakening audit logging or its delivery. */
export const auditTamper: Rule = {
  id: 'audit-tamper',
  kind: 'audit.tamper',
  title: 'Audit logging stopped or weakened',
  description:
    'Someone stopped, deleted or weakened audit logging or its delivery to Glasswatch: CloudTrail trails, ' +
    'event selectors and event data stores; the EventBridge rules that forward events; leaving the AWS ' +
    'organization (and its trail); GCP log sinks, exclusions, log buckets and Data Access audit configs; ' +
    'Azure and Entra diagnostic settings. It fires for any actor, in the registry or not (then the ' +
    'finding has no account and correlates on the actor). Failed attempts fire too: an attempt to blind ' +
    'us is news even when it was denied.',
  severity: 'high',
  runbook: [
    'Restore logging first: StartLogging or recreate the trail / event selectors / EventBridge rule, recreate the GCP sink or re-enable Data Access logs, recreate the diagnostic setting; then check the Glasswatch heartbeat is green again.',
    'Identify the actor and look for the change ticket; an unplanned change, or one made by a break-glass session, is an attack until shown otherwise.',
    'Review what happened while logging was down from sources the actor could not switch off: CloudTrail event history (90 days), GCP Admin Activity logs in the _Required bucket, Entra and Activity logs in the portal.',
  ],
  references: [DOCS.awsStopLogging, DOCS.gcpDataAccessLogs, DOCS.gcpLogRouting, DOCS.azureDiagnosticSettings],
  falsePositives: [
    'Planned logging changes applied by infrastructure as code (new trail layout, sink filter update).',
    'EventBridge rules unrelated to Glasswatch being disabled or deleted: the AWS entries fire for every rule in the account.',
    'Data Access logging reduced on purpose to cut cost.',
  ],
  needsBreakGlass: false,
  evaluate(event, ctx) {
    if (!TAMPER.has(event) && !weakensGcpAuditConfig(event)) return undefined;
    return { account: ctx.actorAccount ?? null };
  },
};
