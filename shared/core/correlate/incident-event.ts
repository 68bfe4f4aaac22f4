import type { Finding } from '../model/finding.js';
import type { IncidentEvent } from '../model/incident.js';
import { describeOrigin } from '../normalize/errors.js';

/** What an incident keeps of one finding's audit event: enough for a timeline, without the raw record. */
export function toIncidentEvent(finding: Finding): IncidentEvent {
  const { event } = finding;
  return {
    id: event.id,
    time: event.time,
    cloud: event.cloud,
    service: event.service,
    action: event.action,
    outcome: event.outcome,
    kinds: [finding.kind],
    actor: event.actor.display,
    resources: event.resources.slice(0, 20),
    src: event.src,
    ...(event.mfa ? { mfa: event.mfa } : {}),
    ...(event.region ? { region: event.region } : {}),
    ...(event.account ? { where: event.account } : {}),
    origin: describeOrigin(event.origin),
    ...(finding.account ? { account: finding.account } : {}),
    ...(finding.severity ? { severities: { [finding.kind]: finding.severity } } : {}),
    ...(event.outcome === 'failure' && event.failureReason ? { failureReason: event.failureReason.slice(0, 300) } : {}),
    ...(event.rootSession ? { rootSession: event.rootSession } : {}),
    ...(event.membership ? { membership: event.membership } : {}),
    ...(finding.note ? { note: finding.note } : {}),
    ...(finding.opening ? { opening: finding.opening } : {}),
  };
}
