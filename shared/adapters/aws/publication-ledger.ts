import { gunzipSync, gzipSync } from 'node:zlib';
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DetectionKind, Severity } from '../../core/model/finding.js';
import type { Incident, IncidentStatus } from '../../core/model/incident.js';

/**
 * What subscribers of the incident bus have been told about each incident: a snapshot of the last
 * published version. The correlator is idempotent per audit event, so a redelivered batch whose
 * publish failed changes nothing the second time; comparing stored incidents with these snapshots is
 * how the reconciler finds changes that were stored but never published, and publishes them.
 */
export interface PublishedSnapshot {
  incidentId: string;
  version: number;
  status: IncidentStatus;
  severity: Severity;
  detections: DetectionKind[];
  /** `<event id>|<kinds>` of every event published, so a kind added to a known event is a change too. */
  eventKeys: string[];
}

/** The snapshot subscribers hold once every change up to this incident version is published. */
export function snapshotOf(incident: Incident): PublishedSnapshot {
  return {
    incidentId: incident.id,
    version: incident.version,
    status: incident.status,
    severity: incident.severity,
    detections: [...incident.detections],
    eventKeys: incident.events.map(eventKey),
  };
}

export function eventKey(event: Incident['events'][number]): string {
  return `${event.id}|${[...event.kinds].sort().join(',')}`;
}

/** BatchGetItem takes at most 100 keys. */
const BATCH_GET_LIMIT = 100;
const UNPROCESSED_RETRIES = 5;

/** Snapshots in the incident table (single-table design): `pk = PUB#<incident id>`, `sk = PUB`. */
export class DynamoPublicationLedger {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
  }

  /** Snapshots of these incidents; an incident never published has none. */
  async get(incidentIds: readonly string[]): Promise<Map<string, PublishedSnapshot>> {
    const found = new Map<string, PublishedSnapshot>();
    const unique = [...new Set(incidentIds)];
    for (let i = 0; i < unique.length; i += BATCH_GET_LIMIT) {
      let keys: Record<string, unknown>[] = unique.slice(i, i + BATCH_GET_LIMIT).map(ledgerKey);
      for (let attempt = 0; keys.length > 0; attempt++) {
        if (attempt > UNPROCESSED_RETRIES)
          throw new Error(`${this.tableName}: BatchGetItem left keys unprocessed after ${UNPROCESSED_RETRIES} retries`);
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
        const output = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of output.Responses?.[this.tableName] ?? []) {
          const snapshot = decode(item.body);
          found.set(snapshot.incidentId, snapshot);
        }
        keys = (output.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return found;
  }

  /** Records that this incident version has been published; an older version never overwrites a newer one. */
  async record(incident: Incident): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...ledgerKey(incident.id),
            version: incident.version,
            status: incident.status,
            publishedAt: new Date().toISOString(),
            body: gzipSync(JSON.stringify(snapshotOf(incident))),
          },
          ConditionExpression: 'attribute_not_exists(pk) OR version < :version',
          ExpressionAttributeValues: { ':version': incident.version },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error; // a newer version was published already
    }
  }
}

function ledgerKey(incidentId: string) {
  return { pk: `PUB#${incidentId}`, sk: 'PUB' };
}

function decode(body: unknown): PublishedSnapshot {
  return JSON.parse(gunzipSync(body as Uint8Array).toString('utf8')) as PublishedSnapshot;
}
