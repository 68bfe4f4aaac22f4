import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type CoverageRecord, coverageKeyString } from '../../core/assure/coverage.js';
import type { DrillResult } from '../../core/assure/drill/steps.js';
import type { ErrorCounts, OpenAlert } from '../../core/assure/health.js';
import type { HeartbeatRecord, HeartbeatSource, SourceKey } from '../../core/assure/heartbeat.js';
import type { CheckResult } from '../../core/assure/verify/result.js';
import {
  type AssuranceStore,
  type ErrorIncrement,
  hourOf,
  type StoredCheck,
} from '../../core/ports/assurance-store.js';
import { TABLE_KEYS } from './table.js';

/**
 * Assurance state in the incident table (single-table design):
 *
 * | item            | pk                          | sk                        | byKey index (gsi1pk / gsi1sk)   |
 * | --------------- | --------------------------- | ------------------------- | ------------------------------- |
 * | drill result    | `DRILL#<account>`           | `<startedAt>#<drillId>`   | –                               |
 * | heartbeat       | `SRC#<source>#<region>`     | `HEARTBEAT`               | `HEARTBEAT` / `<source>#<region>` |
 * | coverage        | `SRC#COV#<path>#<kind>#<scope>#<region>` | `COVERAGE`   | `COVERAGE` / the id after `SRC#COV#` |
 * | error counters  | `SRC#<source>#<region>`     | `ERRORS#<hour>`           | `ERRORS` / `<hour>#<source>#<region>` |
 * | open alert      | `ALERT#<key>`               | `OPEN`                    | `ALERT` / `<key>`               |
 * | check result    | `CHECK#<key>`               | `LAST`                    | `CHECK` / `<key>`               |
 *
 * Heartbeats and coverage move forward only (`SET lastSeen = :t` on the condition that it is newer), so concurrent
 * ingest functions never move one back. Error counters expire by TTL after 8 days.
 */
const ERROR_RETENTION_SECONDS = 8 * 86_400;

export class DynamoAssuranceStore implements AssuranceStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async saveDrill(result: DrillResult): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: `DRILL#${result.account}`,
          sk: `${result.startedAt}#${result.drillId}`,
          drillId: result.drillId,
          account: result.account,
          status: result.status,
          body: JSON.stringify(result),
        },
      }),
    );
  }

  async listDrills(account: string, limit = 100): Promise<DrillResult[]> {
    const items = await this.query(
      {
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `DRILL#${account}` },
        ScanIndexForward: false,
        ConsistentRead: true,
      },
      limit,
    );
    return items.map((item) => JSON.parse(String(item.body)) as DrillResult);
  }

  async recordHeartbeat(key: SourceKey, timeMs: number): Promise<boolean> {
    const item = sourceItem(key, 'HEARTBEAT');
    return this.widen(item.key, { source: key.source, region: key.region }, ['HEARTBEAT', item.id], timeMs, timeMs);
  }

  async recordCoverage(record: CoverageRecord): Promise<void> {
    const { firstSeenMs, lastSeenMs, ...key } = record;
    const id = coverageKeyString(key);
    // Under `SRC#`, the prefix every ingest role may write (dynamodb:LeadingKeys): coverage is per source too.
    await this.widen({ pk: `SRC#COV#${id}`, sk: 'COVERAGE' }, { ...key }, ['COVERAGE', id], firstSeenMs, lastSeenMs);
  }

  async listCoverage(): Promise<CoverageRecord[]> {
    const items = await this.queryIndex('COVERAGE');
    return items.map((item) => ({
      path: item.path as CoverageRecord['path'],
      source: item.source as CoverageRecord['source'],
      scope: String(item.scope),
      region: String(item.region),
      firstSeenMs: Number(item.firstSeen),
      lastSeenMs: Number(item.lastSeen),
    }));
  }

  /** Moves `lastSeen` forward to `last` (only if newer: concurrent writers never move it back) and
   * `firstSeen` back to `first` (a backfill of older logs). Returns whether `lastSeen` moved. */
  private async widen(
    key: { pk: string; sk: string },
    attributes: Record<string, string>,
    [gp, gs]: [string, string],
    first: number,
    last: number,
  ): Promise<boolean> {
    const names = Object.keys(attributes);
    let moved = false;
    try {
      const { Attributes: before } = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: `SET lastSeen = :t, firstSeen = if_not_exists(firstSeen, :f), ${names
            .map((_, i) => `#a${i} = :a${i}`)
            .join(', ')}, #gp = :gp, #gs = :gs`,
          ConditionExpression: 'attribute_not_exists(lastSeen) OR lastSeen < :t',
          ExpressionAttributeNames: {
            ...Object.fromEntries(names.map((n, i) => [`#a${i}`, n])),
            '#gp': TABLE_KEYS.byKeyPartition,
            '#gs': TABLE_KEYS.byKeySort,
          },
          ExpressionAttributeValues: {
            ':t': last,
            ':f': first,
            ...Object.fromEntries(names.map((n, i) => [`:a${i}`, attributes[n]])),
            ':gp': gp,
            ':gs': gs,
          },
          ReturnValues: 'UPDATED_OLD', // no first-seen before (a new item), or one not after `first`: done
        }),
      );
      moved = true;
      if (typeof before?.firstSeen !== 'number' || before.firstSeen <= first) return true;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    // An older event may still move the first-seen time back (a backfill).
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET firstSeen = :f',
          ConditionExpression: 'firstSeen > :f',
          ExpressionAttributeValues: { ':f': first },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    return moved;
  }

  async listHeartbeats(): Promise<HeartbeatRecord[]> {
    const items = await this.queryIndex('HEARTBEAT');
    return items.map((item) => ({
      source: item.source as HeartbeatSource,
      region: String(item.region),
      lastSeenMs: Number(item.lastSeen),
      firstSeenMs: Number(item.firstSeen),
    }));
  }

  async addErrors(key: SourceKey, atMs: number, increment: ErrorIncrement): Promise<void> {
    const hour = new Date(hourOf(atMs)).toISOString();
    const item = sourceItem(key, `ERRORS#${hour}`);
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: item.key,
        UpdateExpression: `SET #source = :source, #region = :region, #hour = :hour, #gp = :gp, #gs = :gs, #ttl = :ttl${
          increment.lastError ? ', lastError = :last' : ''
        } ADD ruleErrors :rule, pollerErrors :poller, recordErrors :record`,
        ExpressionAttributeNames: {
          '#source': 'source',
          '#region': 'region',
          '#hour': 'hour',
          '#gp': TABLE_KEYS.byKeyPartition,
          '#gs': TABLE_KEYS.byKeySort,
          '#ttl': TABLE_KEYS.ttlAttribute,
        },
        ExpressionAttributeValues: {
          ':rule': increment.ruleErrors,
          ':poller': increment.pollerErrors,
          ':record': increment.recordErrors,
          ':source': key.source,
          ':region': key.region,
          ':hour': hour,
          ':gp': 'ERRORS',
          ':gs': `${hour}#${item.id}`,
          ':ttl': Math.floor(atMs / 1000) + ERROR_RETENTION_SECONDS,
          ...(increment.lastError ? { ':last': increment.lastError } : {}),
        },
      }),
    );
  }

  async errorCounts(sinceMs: number): Promise<ErrorCounts[]> {
    const items = await this.queryIndex('ERRORS', new Date(hourOf(sinceMs)).toISOString());
    const sums = new Map<string, ErrorCounts>();
    for (const item of items.sort((a, b) => String(a.hour).localeCompare(String(b.hour)))) {
      const id = `${item.source}#${item.region}`;
      const sum = sums.get(id) ?? {
        source: item.source as HeartbeatSource,
        region: String(item.region),
        ruleErrors: 0,
        pollerErrors: 0,
        recordErrors: 0,
      };
      sum.ruleErrors += Number(item.ruleErrors ?? 0);
      sum.pollerErrors += Number(item.pollerErrors ?? 0);
      sum.recordErrors += Number(item.recordErrors ?? 0);
      if (typeof item.lastError === 'string') sum.lastError = item.lastError;
      sums.set(id, sum);
    }
    return [...sums.values()];
  }

  async openAlerts(): Promise<OpenAlert[]> {
    return (await this.queryIndex('ALERT')).map((item) => JSON.parse(String(item.body)) as OpenAlert);
  }

  async saveOpenAlert(alert: OpenAlert): Promise<void> {
    const item = { alertId: alert.alertId, body: JSON.stringify(alert) };
    await this.putListed({ pk: `ALERT#${alert.key}`, sk: 'OPEN' }, ['ALERT', alert.key], item);
  }

  async removeOpenAlert(key: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: `ALERT#${key}`, sk: 'OPEN' } }));
  }

  async saveChecks(results: readonly CheckResult[], atMs: number): Promise<void> {
    const keys = new Set(results.map((r) => r.key));
    // Results are written before stale ones are removed: a run cut short leaves old rows, never none.
    for (const [order, r] of results.entries()) {
      const item = { status: r.status, checkedAt: atMs, order, body: JSON.stringify(r) };
      await this.putListed({ pk: `CHECK#${r.key}`, sk: 'LAST' }, ['CHECK', r.key], item);
    }
    for (const stale of (await this.listChecks()).filter((c) => !keys.has(c.key)))
      await this.doc.send(
        new DeleteCommand({ TableName: this.tableName, Key: { pk: `CHECK#${stale.key}`, sk: 'LAST' } }),
      );
  }

  async listChecks(): Promise<StoredCheck[]> {
    // In the order the run made them (trail, rules, bucket; sink, Pub/Sub; settings), not by key.
    return (await this.queryIndex('CHECK'))
      .sort((a, b) => Number(a.order) - Number(b.order))
      .map((item) => ({ ...(JSON.parse(String(item.body)) as CheckResult), checkedAtMs: Number(item.checkedAt) }));
  }

  /** One item at `key`, listed in the byKey index under `partition`, sorted by `sortKey`. */
  private async putListed(
    key: { pk: string; sk: string },
    [partition, sortKey]: [string, string],
    attributes: Record<string, unknown>,
  ): Promise<void> {
    const listed = { [TABLE_KEYS.byKeyPartition]: partition, [TABLE_KEYS.byKeySort]: sortKey };
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...key, ...listed, ...attributes } }));
  }

  /** Items of one byKey partition, from `from` on (sort key order). */
  private async queryIndex(partition: string, from?: string): Promise<Record<string, unknown>[]> {
    return this.query({
      IndexName: TABLE_KEYS.byKeyIndex,
      KeyConditionExpression: from === undefined ? '#p = :p' : '#p = :p AND #s >= :from',
      ExpressionAttributeNames: {
        '#p': TABLE_KEYS.byKeyPartition,
        ...(from === undefined ? {} : { '#s': TABLE_KEYS.byKeySort }),
      },
      ExpressionAttributeValues: { ':p': partition, ...(from === undefined ? {} : { ':from': from }) },
    });
  }

  private async query(input: Omit<QueryCommandInput, 'TableName'>, limit = Number.POSITIVE_INFINITY) {
    const out: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({ TableName: this.tableName, ...input, ...(start ? { ExclusiveStartKey: start } : {}) }),
      );
      out.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start && out.length < limit);
    return out.slice(0, limit);
  }
}

function sourceItem(key: SourceKey, sk: string) {
  const id = `${key.source}#${key.region}`;
  return { id, key: { pk: `SRC#${id}`, sk } };
}
