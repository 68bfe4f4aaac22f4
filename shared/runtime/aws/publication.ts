import type { EventBridgePublisher } from '../../adapters/aws/eventbridge-publisher.js';
import {
  type DynamoPublicationLedger,
  eventKey,
  type PublishedSnapshot,
} from '../../adapters/aws/publication-ledger.js';
import { concurrently, STORE_WRITES_AT_ONCE } from '../../core/concurrently.js';
import { type Incident, type IncidentChange, latestVersions } from '../../core/model/incident.js';

/**
 * Publishing incident changes so that none is lost: the changes are put on the bus, then the
 * publication ledger records which incident version subscribers now know. When a publish fails after
 * the correlator stored the change, a redelivery changes nothing (the correlator is idempotent per
 * event), so the scheduled reconciler compares stored incidents with the ledger and publishes what is
 * missing, derived from the difference. Subscribers see every change at least once, in order per
 * publisher call; across calls EventBridge → SQS does not keep order, so a subscriber treats the first
 * change it sees of an incident as its opening.
 */
export class IncidentPublication {
  constructor(
    private readonly publisher: EventBridgePublisher,
    private readonly ledger: DynamoPublicationLedger,
  ) {}

  /** Publishes the correlator's changes, then records the versions published. Throws PublishError. */
  async publish(changes: readonly IncidentChange[]): Promise<void> {
    if (changes.length === 0) return;
    await this.publisher.publish(changes);
    await concurrently([...latestVersions(changes.map((c) => c.incident)).values()], STORE_WRITES_AT_ONCE, (incident) =>
      this.ledger.record(incident),
    );
  }

  /**
   * Publishes whatever subscribers have not been told about these stored incidents. Returns the
   * changes it published (normally none).
   */
  async reconcile(incidents: readonly Incident[]): Promise<IncidentChange[]> {
    const latest = [...latestVersions(incidents).values()];
    const published = await this.ledger.get(latest.map((i) => i.id));
    const late: IncidentChange[] = [];
    for (const incident of latest) {
      const snapshot = published.get(incident.id);
      if (snapshot && snapshot.version >= incident.version) continue;
      const changes = changesSince(snapshot, incident);
      if (changes.length > 0) {
        await this.publish(changes);
        late.push(...changes);
      } else {
        await this.ledger.record(incident); // a newer version with nothing a subscriber would see
      }
    }
    return late;
  }
}

/**
 * The changes that bring a subscriber holding `published` up to `incident`: `opened` (and `closed`)
 * for an incident never published; otherwise `extended` for new events or a raised severity/new
 * detection kind, and `closed` when the session ended since.
 *
 * @example
 * changesSince(undefined, incident); // [{ kind: 'opened', incident, newEvents: incident.events }]
 */
export function changesSince(published: PublishedSnapshot | undefined, incident: Incident): IncidentChange[] {
  if (published && published.version >= incident.version) return [];
  if (!published) {
    const opened: IncidentChange = { kind: 'opened', incident, newEvents: incident.events };
    return incident.status === 'closed' ? [opened, { kind: 'closed', incident, newEvents: [] }] : [opened];
  }
  const changes: IncidentChange[] = [];
  const known = new Set(published.eventKeys);
  const newEvents = incident.events.filter((event) => !known.has(eventKey(event)));
  const newKinds = incident.detections.some((kind) => !published.detections.includes(kind));
  if (newEvents.length > 0 || newKinds || incident.severity !== published.severity) {
    changes.push({
      kind: 'extended',
      incident,
      newEvents,
      previous: { severity: published.severity, detections: published.detections },
    });
  }
  if (incident.status === 'closed' && published.status === 'open')
    changes.push({ kind: 'closed', incident, newEvents: [] });
  return changes;
}
