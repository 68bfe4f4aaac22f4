import { gunzipSync, gzipSync } from 'node:zlib';
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { inSession } from '../../core/correlate/session.js';
import type { Incident } from '../../core/model/incident.js';
import type { CoverProbe, IncidentRepository } from '../../core/ports/incident-repository.js';
import { batchGetItems } from './batch-get.js';
import { putIfUnchanged } from './conditional-put.js';
import { TABLE_KEYS } from './table.js';

/**
 * Incidents in DynamoDB. Bodies are gzipped JSON: a long emergency session (hundreds of actions)
 * stays far below the 400 KB item limit. Heads are written with a version condition, copies with a
 * "newer version wins" condition, so replays and concurrent Lambdas converge.
 */
export class DynamoIncidentRepository implements IncidentRepository {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
  }

  async loadHead(correlationKey: string): Promise<Incident | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: headKey(correlationKey), ConsistentRead: true }),
    );
    return Item ? decode(Item.body) : undefined;
  }

  async loadHeads(correlationKeys: readonly string[]): Promise<Map<string, Incident>> {
    const unique = [...new Set(correlationKeys)];
    if (unique.length === 1) {
      const head = await this.loadHead(unique[0] as string);
      return new Map(head ? [[head.correlationKey, head]] : []);
    }
    const items = await batchGetItems(this.doc, this.tableName, unique.map(headKey));
    return new Map(items.map((item) => decode(item.body)).map((head) => [head.correlationKey, head]));
  }

  async saveHead(incident: Incident, expectedVersion: number | undefined): Promise<boolean> {
    const item = { ...headKey(incident.correlationKey), ...summary(incident), body: encode(incident) };
    return putIfUnchanged(this.doc, this.tableName, item, 'version', expectedVersion);
  }

  async saveCopy(incident: Incident): Promise<void> {
    // false: a newer copy is already stored, which is what we want.
    await this.putCopy(incident, 'attribute_not_exists(pk) OR version < :version', { ':version': incident.version });
  }

  async replaceCopy(incident: Incident, expectedVersion: number | undefined): Promise<boolean> {
    return putIfUnchanged(this.doc, this.tableName, copyItem(incident), 'version', expectedVersion);
  }

  private async putCopy(incident: Incident, condition: string, values?: Record<string, unknown>): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: copyItem(incident),
          ConditionExpression: condition,
          ...(values ? { ExpressionAttributeValues: values } : {}),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async findCovering(correlationKey: string, timeMs: number, gapMs: number): Promise<Incident | undefined> {
    return (await this.findCoveringEach(correlationKey, [{ timeMs, gapMs }]))[0];
  }

  /**
   * A probe's candidates are the key's {@link COVERING_CANDIDATES} copies that start latest at or before
   * its time plus the gap (`byKey` sorts by start). One query, newest first from the latest probe's
   * bound, read down to that many copies below the earliest probe's bound, holds every probe's
   * candidates; each copy is decoded once, when a probe first looks at it.
   */
  async findCoveringEach(correlationKey: string, probes: readonly CoverProbe[]): Promise<(Incident | undefined)[]> {
    if (probes.length === 0) return [];
    const ends = probes.map(({ timeMs, gapMs }) => timeMs + gapMs);
    const bounds = ends.map(sortBound);
    const highest = sortBound(ends.reduce((a, b) => Math.max(a, b)));
    const lowest = sortBound(ends.reduce((a, b) => Math.min(a, b)));
    const copies: { sort: string; body: unknown; incident?: Incident; handedOut?: true }[] = [];
    let below = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: TABLE_KEYS.byKeyIndex,
          KeyConditionExpression: '#p = :p AND #s <= :upper',
          ExpressionAttributeNames: { '#p': TABLE_KEYS.byKeyPartition, '#s': TABLE_KEYS.byKeySort },
          ExpressionAttributeValues: { ':p': `KEY#${correlationKey}`, ':upper': highest },
          ScanIndexForward: false,
          Limit: Math.min(100, COVERING_CANDIDATES - 1 + probes.length),
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const sort = String(item[TABLE_KEYS.byKeySort]);
        copies.push({ sort, body: item.body });
        if (sort <= lowest) below++;
      }
      start = page.LastEvaluatedKey;
    } while (start && below < COVERING_CANDIDATES);
    return probes.map(({ timeMs, gapMs }, i) => {
      const bound = bounds[i] as string;
      for (const copy of copies.filter((c) => c.sort <= bound).slice(0, COVERING_CANDIDATES)) {
        copy.incident ??= decode(copy.body);
        if (!inSession(copy.incident, timeMs, gapMs)) continue;
        // Each answer is the caller's own object, as a read of its own would be.
        if (!copy.handedOut) {
          copy.handedOut = true;
          return copy.incident;
        }
        return structuredClone(copy.incident);
      }
      return undefined;
    });
  }

  async listHeads(): Promise<Incident[]> {
    return this.scanBodies('HEAD');
  }

  async listOpenHeads(): Promise<Incident[]> {
    return this.scanBodies('HEAD', 'open');
  }

  async listIncidents(limit = 1000): Promise<Incident[]> {
    const incidents = await this.scanBodies('INC');
    return incidents.sort((a, b) => b.firstSeen.localeCompare(a.firstSeen)).slice(0, limit);
  }

  /** Strongly consistent: the responders check a just-published change against it. */
  async getIncident(id: string): Promise<Incident | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: copyKey(id), ConsistentRead: true }),
    );
    return Item ? decode(Item.body) : undefined;
  }

  async saveAlias(alias: string, correlationKey: string, expiresAtMs: number): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...aliasKey(alias),
          target: correlationKey,
          untilMs: expiresAtMs,
          // DynamoDB deletes it some time after; readers compare untilMs themselves.
          [TABLE_KEYS.ttlAttribute]: Math.ceil(expiresAtMs / 1000) + 24 * 60 * 60,
        },
      }),
    );
  }

  async loadAlias(alias: string): Promise<{ correlationKey: string; expiresAtMs: number } | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: aliasKey(alias), ConsistentRead: true }),
    );
    if (typeof Item?.target !== 'string' || typeof Item.untilMs !== 'number') return undefined;
    return { correlationKey: Item.target, expiresAtMs: Item.untilMs };
  }

  /**
   * Incidents are rare (a handful a month), so a filtered scan is cheaper than another index. With a
   * status, the summary attribute beside the body filters in the store: other bodies are not sent.
   */
  private async scanBodies(sk: string, status?: Incident['status']): Promise<Incident[]> {
    const out: Incident[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new ScanCommand({
          TableName: this.tableName,
          ...(status
            ? {
                FilterExpression: 'sk = :sk AND #status = :status',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':sk': sk, ':status': status },
              }
            : { FilterExpression: 'sk = :sk', ExpressionAttributeValues: { ':sk': sk } }),
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) out.push(decode(item.body));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }
}

/**
 * How many of a key's sessions starting before a time findCovering looks at, newest first: sessions of
 * one key follow each other, so the covering one is the latest to start unless a drill overlaps it.
 */
const COVERING_CANDIDATES = 10;

/** The `byKey` sort key above every copy that starts at or before `timeMs` (`~` sorts after `#<id>`). */
function sortBound(timeMs: number): string {
  return `${new Date(timeMs).toISOString()}~`;
}

/** An incident copy: keyed by id, indexed by correlation key and start (`byKey`). */
function copyItem(incident: Incident): Record<string, unknown> {
  return {
    ...copyKey(incident.id),
    [TABLE_KEYS.byKeyPartition]: `KEY#${incident.correlationKey}`,
    [TABLE_KEYS.byKeySort]: `${incident.firstSeen}#${incident.id}`,
    ...summary(incident),
    body: encode(incident),
  };
}

function headKey(correlationKey: string) {
  return { pk: `KEY#${correlationKey}`, sk: 'HEAD' };
}

function aliasKey(alias: string) {
  return { pk: `ALIAS#${alias}`, sk: 'ALIAS' };
}

function copyKey(id: string) {
  return { pk: `INC#${id}`, sk: 'INC' };
}

/** Plain attributes beside the body, for conditions and for reading a table in the console. */
function summary(incident: Incident) {
  return {
    version: incident.version,
    incidentId: incident.id,
    status: incident.status,
    severity: incident.severity,
    account: incident.account ?? '-',
    lastSeen: incident.lastSeen,
  };
}

/**
 * Bodies already written, by incident object: a head and its archived copy are the same object, gzipped
 * once (an incident of 800 events takes ~5 ms). Incidents are never changed in place once built.
 */
const ENCODED = new WeakMap<Incident, Uint8Array>();

function encode(incident: Incident): Uint8Array {
  let body = ENCODED.get(incident);
  if (!body) {
    body = gzipSync(JSON.stringify(incident));
    ENCODED.set(incident, body);
  }
  return body;
}

function decode(body: unknown): Incident {
  return JSON.parse(gunzipSync(body as Uint8Array).toString('utf8')) as Incident;
}
