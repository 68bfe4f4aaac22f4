import type { AuditEvent } from '../../model/audit-event.js';
import { isObject } from '../../normalize/fields.js';
import { both, obj, path, sameText, str, type TamperCheck, UNKNOWN, type Verdict } from './fields.js';

/**
 * Which Cloud Audit Log entries of the tamper table touch the GCP path: `protoPayload.resourceName` and
 * `protoPayload.request` as the services write them (AuditLog proto). A resource the registry does not
 * name, or an entry that does not say, fires.
 */

const resource = (event: AuditEvent) => str(path(event.raw, 'protoPayload', 'resourceName'));
const request = (event: AuditEvent) => obj(path(event.raw, 'protoPayload', 'request'));

/** `projects/p/topics/t` against the registry's full name (case-insensitive: project ids are lower case). */
function named(event: AuditEvent, configured: string | undefined, ...requestKeys: string[]): Verdict {
  if (configured === undefined) return true;
  const r = request(event);
  const names = [resource(event), ...requestKeys.map((k) => str(r?.[k]) ?? str(path(r, k, 'name')))].filter(
    (n): n is string => n !== undefined,
  );
  if (names.length === 0) return UNKNOWN;
  return names.some((n) => sameText(n, configured));
}

export const sinkOfPipeline: TamperCheck = (event, pipeline) => named(event, pipeline?.gcp?.sink, 'sinkName');

export const logBucketOfPipeline: TamperCheck = (event, pipeline) => {
  const buckets = pipeline?.gcp?.logBuckets ?? [];
  if (buckets.length === 0) return true;
  const verdicts = buckets.map((b) => named(event, b, 'name'));
  return verdicts.includes(true) || (verdicts.includes(UNKNOWN) ? UNKNOWN : false);
};

/**
 * An exclusion or a log deletion in a project whose log bucket the pull path reads (project exclusions
 * filter that project's `_Default` sink; the organization sink does not see them). One on an
 * organization, folder or billing account fires; so does any when the registry names no log bucket.
 */
export const inLogBucketProject: TamperCheck = (event, pipeline) => {
  const buckets = pipeline?.gcp?.logBuckets ?? [];
  if (buckets.length === 0) return true;
  const r = request(event);
  const names = [resource(event), str(r?.parent), str(r?.name), str(r?.logName)].filter((n) => n !== undefined);
  if (names.length === 0) return UNKNOWN;
  const scopes = names.map((n) => n.split('/').slice(0, 2).join('/').toLowerCase());
  if (scopes.some((s) => !s.startsWith('projects/'))) return true;
  const projects = buckets.map((b) => b.split('/').slice(0, 2).join('/').toLowerCase());
  return scopes.some((s) => projects.includes(s));
};

/**
 * UpdateBucket(Async) that sets a retention below the registry's floor: `request.bucket.retentionDays`
 * (int32, written as a number; a 0 is omitted in JSON, so a mask naming the retention without a value
 * resets it: unknown), or a request the entry does not keep.
 */
export const retentionLowered: TamperCheck = (event, pipeline) => {
  const r = request(event);
  const days = path(r, 'bucket', 'retentionDays');
  const mask = JSON.stringify(path(r, 'updateMask') ?? '').toLowerCase();
  let lowered: Verdict = UNKNOWN;
  if (typeof days === 'number') lowered = days < (pipeline?.gcp?.minRetentionDays ?? 30);
  else if (r && !mask.includes('retention')) lowered = false;
  return both(logBucketOfPipeline(event, pipeline), lowered);
};

export const topicOfPipeline: TamperCheck = (event, pipeline) => named(event, pipeline?.gcp?.topic, 'topic');

export const subscriptionOfPipeline: TamperCheck = (event, pipeline) =>
  named(event, pipeline?.gcp?.subscription, 'subscription');

/**
 * UpdateSubscription that touches the push configuration (`updateMask` naming it, or a `pushConfig` in
 * the subscription), or ModifyPushConfig: it changed the endpoint unless its `pushConfig.pushEndpoint`
 * is the registry's `pushEndpoint` (an empty push config turns the subscription into a pull one).
 */
export const pushEndpointChanged: TamperCheck = (event, pipeline) => {
  const r = request(event);
  const modify = event.action.endsWith('ModifyPushConfig');
  const config = modify ? path(r, 'pushConfig') : path(r, 'subscription', 'pushConfig');
  const mask = JSON.stringify(path(r, 'updateMask') ?? '').toLowerCase();
  let changed: Verdict = UNKNOWN;
  if (r && !modify && !mask.includes('push') && !isObject(config)) changed = false;
  else if (r) {
    const own = pipeline?.gcp?.pushEndpoint;
    const endpoint = str(path(config, 'pushEndpoint'));
    changed = own === undefined || endpoint === undefined || endpoint.replace(/\/$/, '') !== own.replace(/\/$/, '');
  }
  return both(subscriptionOfPipeline(event, pipeline), changed);
};

/**
 * The push function: Cloud Functions names it `projects/p/locations/l/functions/f`; a Cloud Run function
 * is also the Cloud Run service `projects/p/locations/l/services/f` (v2) or `namespaces/p/services/f` (v1).
 * A project number where the registry has the id: the same name and location is unknown, and fires.
 */
export const pushFunction: TamperCheck = (event, pipeline) => {
  const configured = pipeline?.gcp?.pushFunction;
  const name = resource(event) ?? str(request(event)?.name) ?? str(path(request(event), 'function', 'name'));
  if (configured === undefined) return true;
  if (name === undefined) return UNKNOWN;
  const [, project, , location, , fn] = configured.split('/');
  const parts = name.split('/');
  const own = parts[parts.length - 1];
  if (!sameText(own, fn)) return false;
  if (parts[0] !== 'namespaces' && !sameText(parts[3], location)) return false;
  if (sameText(parts[1], project)) return true;
  // Cloud Run may name the project by its number, which the registry's id cannot be compared with.
  return /^\d+$/.test(parts[1] ?? '') ? UNKNOWN : false;
};

/**
 * SetIamPolicy whose `serviceData.policyDelta.auditConfigDeltas` (google.iam.v1.AuditConfigDelta:
 * action, service, exemptedMember, logType) weaken logging: an entry REMOVEs a log type (no
 * exemptedMember) or ADDs an exempted member. A call without deltas changes audit configs only when its
 * `request.updateMask` names `auditConfigs` (the default mask is `bindings, etag`): a failed or denied
 * attempt has no policy delta, and what it tried is unknown. Only project, folder and organization policies
 * carry audit configs; other SetIamPolicy calls have none and never fire.
 */
export const auditConfigWeakened: TamperCheck = (event) => {
  const delta = path(event.raw, 'protoPayload', 'serviceData', 'policyDelta');
  const deltas = path(delta, 'auditConfigDeltas');
  if (!Array.isArray(deltas)) {
    const mask = JSON.stringify(path(request(event), 'updateMask') ?? '').toLowerCase();
    return mask.includes('auditconfigs') && !isObject(delta) ? UNKNOWN : false;
  }
  return deltas.some((delta) => {
    if (!isObject(delta)) return false;
    const exempts = typeof delta.exemptedMember === 'string' && delta.exemptedMember !== '';
    return (delta.action === 'REMOVE' && !exempts) || (delta.action === 'ADD' && exempts);
  });
};

/**
 * SetIamPolicy on the topic, the push subscription or the push function's service whose
 * `policyDelta.bindingDeltas` REMOVE a binding (the sink's writer identity publishing, the push
 * identity invoking); a call without a delta (denied) is unknown.
 */
export const pathIamRemoved: TamperCheck = (event, pipeline) => {
  const verdicts = [topicOfPipeline, subscriptionOfPipeline, pushFunction].map((check) => check(event, pipeline));
  const onPath: Verdict = verdicts.includes(true) || (verdicts.includes(UNKNOWN) ? UNKNOWN : false);
  const deltas = path(event.raw, 'protoPayload', 'serviceData', 'policyDelta', 'bindingDeltas');
  const removes = Array.isArray(deltas) ? deltas.some((d) => path(d, 'action') === 'REMOVE') : UNKNOWN;
  return both(onPath, removes);
};
