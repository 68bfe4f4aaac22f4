import type { DetectionKind, Severity } from '../model/finding.js';
import { SEVERITY_ORDER } from '../model/finding.js';
import type { Incident, IncidentEvent } from '../model/incident.js';

/**
 * How severe an incident is, from the kinds its findings were and the severities rules gave its events;
 * inside a drill window lower (tampering stays high).
 */

/** Severity each kind contributes outside a drill window. */
export const KIND_SEVERITY: Readonly<Record<DetectionKind, Severity>> = {
  'signin.success': 'critical',
  'signin.without-mfa': 'critical',
  activity: 'critical',
  // The least a tamper finding contributes: the tamper table rates each action (critical, high, or medium
  // for changes deployments make too) and the event carries it.
  'audit.tamper': 'medium',
  'account.change': 'high',
  'signin.failure': 'medium',
  // The outcome is not in the record: it may have succeeded.
  'signin.attempt': 'high',
  'signin.weak-auth': 'critical',
  // The least a privileged root session contributes: the rule decides per event (high, or medium/critical
  // once the registry declares callers and task policies) and the event carries it.
  'root.privileged-task': 'medium',
  'credential.access': 'high',
  'signin.without-opening': 'high',
};

/** Inside a drill window a person using the account is expected: low, never critical. Tampering stays high. */
const DRILL_KIND_SEVERITY: Readonly<Record<DetectionKind, Severity>> = {
  ...KIND_SEVERITY,
  'signin.success': 'low',
  'signin.without-mfa': 'low',
  activity: 'low',
  'signin.failure': 'low',
  'signin.attempt': 'low',
  'root.privileged-task': 'low',
  'credential.access': 'low',
  'signin.weak-auth': 'low',
  'signin.without-opening': 'low',
  // Drills skip events' own severities; tampering during one stays high.
  'audit.tamper': 'high',
};

/**
 * An incident's severity: the highest its detections contribute, and outside a drill the highest a rule
 * decided for one of its events. A privileged root session's record cannot name its caller; once the
 * incident holds the AssumeRoot that issued its key, it takes that call's severity.
 */
export function severityOf(
  detections: readonly DetectionKind[],
  drill: boolean,
  events: readonly IncidentEvent[] = [],
): Severity {
  const table = drill ? DRILL_KIND_SEVERITY : KIND_SEVERITY;
  let severity: Severity = 'low';
  const raise = (candidate: Severity) => {
    if (SEVERITY_ORDER[candidate] > SEVERITY_ORDER[severity]) severity = candidate;
  };
  // An attempt is high only while nothing in the session says how the sign-in ended: beside a stated
  // failure (a passed CredentialChallenge, then a failed CredentialVerification) it is that failure.
  const settled = detections.includes('signin.failure') || detections.includes('signin.success');
  for (const kind of detections) raise(table[kind === 'signin.attempt' && settled ? 'signin.failure' : kind]);
  if (drill) return severity;
  const issued = new Map<string, Partial<Record<DetectionKind, Severity>>>();
  for (const e of events) {
    const key = e.rootSession?.phase === 'issued' ? e.rootSession.accessKeyId : undefined;
    if (key !== undefined && e.severities) issued.set(key, e.severities);
  }
  for (const e of events) {
    const key = e.rootSession?.phase === 'used' ? e.rootSession.accessKeyId : undefined;
    const linked = key === undefined ? undefined : issued.get(key);
    for (const [kind, own] of Object.entries(e.severities ?? {}) as [DetectionKind, Severity][]) {
      raise(linked?.[kind] ?? own);
    }
  }
  return severity;
}

/** The incident with its severity computed from its detections and events. */
export function rated(incident: Incident): Incident {
  return { ...incident, severity: severityOf(incident.detections, incident.drill, incident.events) };
}
