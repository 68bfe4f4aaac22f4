import type { AuditEvent } from '../../model/audit-event.js';
import { isObject } from '../../normalize/fields.js';
import { obj, path, sameText, str, type TamperCheck } from './fields.js';

/**
 * Which Cloud Audit Log entries of the tamper table touch the GCP path: `protoPayload.resourceName` and
 * `protoPayload.request` as the services write them (AuditLog proto). A resource the registry does not
 * name, or an entry that does not say, fires.
 */

const resource = (event: AuditEvent) => str(path(event.raw, 'protoPayload', 'resourceName'));
const request = (event: AuditEvent) => obj(path(event.raw, 'protoPayload', 'request'));

/** `projects/p/topics/t` against the registry's full name (case-insensitive: project ids are lower case). */
function named(event: AuditEvent, configured: string | undefined, ...requestKeys: string[]): boolean {
  if (configured === undefined) return true;
  const r = request(event);
  const names = [resource(event), ...requestKeys.map((k) => str(r?.[k]) ?? str(path(r, k, 'name')))].filter(
    (n): n is string => n !== undefined,
  );
  return names.length === 0 || names.some((n) => sameText(n, configured));
}

export const sinkOfPipeline: TamperCheck = (event, pipeline) => named(event, pipeline?.gcp?.sink, 'sinkName');

export const logBucketOfPipeline: TamperCheck = (event, pipeline) => {
  const buckets = pipeline?.gcp?.logBuckets ?? [];
  return buckets.length === 0 || buckets.some((b) => named(event, b, 'name'));
};

/** UpdateBucket(Async) that sets a retention below the registry's floor (or whose request does not say). */
export const retentionLowered: TamperCheck = (event, pipeline) => {
  if (!logBucketOfPipeline(event, pipeline)) return false;
  const r = request(event);
  if (!r) return true;
  const days = path(r, 'bucket', 'retentionDays');
  const mask = String(path(r, 'updateMask') ?? '').toLowerCase();
  if (typeof days === 'number') return days < (pipeline?.gcp?.minRetentionDays ?? 30);
  return mask.includes('retention');
};

export const topicOfPipeline: TamperCheck = (event, pipeline) => named(event, pipeline?.gcp?.topic, 'topic');

export const subscriptionOfPipeline: TamperCheck = (event, pipeline) =>
  named(event, pipeline?.gcp?.subscription, 'subscription');

/** UpdateSubscription that touches the push configuration; ModifyPushConfig always does. */
export const pushEndpointChanged: TamperCheck = (event, pipeline) => {
  if (!subscriptionOfPipeline(event, pipeline)) return false;
  const r = request(event);
  if (!r || event.action.endsWith('ModifyPushConfig')) return true;
  const mask = JSON.stringify(path(r, 'updateMask') ?? '').toLowerCase();
  return mask.includes('push') || isObject(path(r, 'subscription', 'pushConfig'));
};

/**
 * The push function: Cloud Functions names it `projects/p/locations/l/functions/f`; a Cloud Run function
 * is also the Cloud Run service `projects/p/locations/l/services/f` (v2) or `namespaces/p/services/f` (v1).
 */
export const pushFunction: TamperCheck = (event, pipeline) => {
  const configured = pipeline?.gcp?.pushFunction;
  const name = resource(event) ?? str(request(event)?.name) ?? str(path(request(event), 'function', 'name'));
  if (configured === undefined || name === undefined) return true;
  const [, project, , location, , fn] = configured.split('/');
  const parts = name.split('/');
  const own = parts[parts.length - 1];
  if (!sameText(own, fn)) return false;
  return parts[0] === 'namespaces'
    ? sameText(parts[1], project)
    : sameText(parts[1], project) && sameText(parts[3], location);
};

/**
 * SetIamPolicy whose `serviceData.policyDelta.auditConfigDeltas` weaken logging: an entry REMOVEs a log
 * type (no exemptedMember) or ADDs an exempted member. Only project, folder and organization policies
 * carry audit configs; other SetIamPolicy calls have none and never fire.
 */
export const auditConfigWeakened: TamperCheck = (event) => {
  const deltas = path(event.raw, 'protoPayload', 'serviceData', 'policyDelta', 'auditConfigDeltas');
  if (!Array.isArray(deltas)) return false;
  return deltas.some((delta) => {
    if (!isObject(delta)) return false;
    const exempts = typeof delta.exemptedMember === 'string' && delta.exemptedMember !== '';
    return (delta.action === 'REMOVE' && !exempts) || (delta.action === 'ADD' && exempts);
  });
};
