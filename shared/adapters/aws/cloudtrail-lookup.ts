import {
  type CloudTrailClient,
  type LookupAttributeKey,
  LookupEventsCommand,
  type LookupEventsCommandOutput,
} from '@aws-sdk/client-cloudtrail';
import { CloudTrailLookupError, describeAwsError } from './errors.js';

/**
 * CloudTrail event history (LookupEvents) of one Region, paced to its quota. LookupEvents takes ONE
 * lookup attribute per call and allows 2 calls per second per account per Region, so queries of one
 * Region run one after another, at least `minIntervalMs` apart; Regions are independent.
 */

/**
 * One LookupEvents attribute: `Username = root`, `EventName = StopLogging`, `ResourceName = <role ARN>`
 * (the AssumeRole* calls into a role), `AccessKeyId = ASIA…` (what one role session did)…
 */
export interface LookupQuery {
  attribute: Extract<LookupAttributeKey, 'Username' | 'EventName' | 'ResourceName' | 'AccessKeyId'>;
  value: string;
}

/** A record as event history returns it: its id and the CloudTrail record as JSON text. */
export interface HistoryRecord {
  eventId: string | undefined;
  /** The `CloudTrailEvent` string: the same record a log file holds, still unparsed. */
  cloudTrailEvent: string | undefined;
}

export interface LookupWindow {
  startMs: number;
  endMs: number;
}

export interface EventHistoryOptions {
  /** 2 TPS quota → 500 ms; a little more leaves room for other callers in the account. */
  minIntervalMs?: number;
  /** Pages of up to 50 events per query; beyond this the query is reported truncated. */
  maxPages?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export function describeQuery(query: LookupQuery): string {
  return `${query.attribute}=${query.value}`;
}

export class RegionEventHistory {
  private nextCallAt = 0;
  private readonly minIntervalMs: number;
  private readonly maxPages: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(
    private readonly client: CloudTrailClient,
    readonly region: string,
    options: EventHistoryOptions = {},
  ) {
    this.minIntervalMs = options.minIntervalMs ?? 550;
    this.maxPages = options.maxPages ?? 20;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
  }

  /**
   * Every record matching `query` in the window, page by page. Throws CloudTrailLookupError naming the
   * Region, the query and the AWS error. `truncated` is true when `maxPages` pages did not reach the end.
   *
   * @example
   * const { truncated } = await history.lookup({ attribute: 'Username', value: 'root' }, window, (r) => seen.push(r));
   */
  async lookup(
    query: LookupQuery,
    window: LookupWindow,
    onRecord: (record: HistoryRecord) => void,
  ): Promise<{ pages: number; truncated: boolean }> {
    let nextToken: string | undefined;
    let pages = 0;
    do {
      if (pages === this.maxPages) return { pages, truncated: true };
      await this.pace();
      let output: LookupEventsCommandOutput;
      try {
        output = await this.client.send(
          new LookupEventsCommand({
            LookupAttributes: [{ AttributeKey: query.attribute, AttributeValue: query.value }],
            StartTime: new Date(window.startMs),
            EndTime: new Date(window.endMs),
            MaxResults: 50,
            ...(nextToken ? { NextToken: nextToken } : {}),
          }),
        );
      } catch (error) {
        throw new CloudTrailLookupError(this.region, describeQuery(query), describeAwsError(error), { cause: error });
      }
      pages++;
      for (const event of output.Events ?? [])
        onRecord({ eventId: event.EventId, cloudTrailEvent: event.CloudTrailEvent });
      nextToken = output.NextToken;
    } while (nextToken);
    return { pages, truncated: false };
  }

  private async pace(): Promise<void> {
    const wait = this.nextCallAt - this.now();
    if (wait > 0) await this.sleep(wait);
    this.nextCallAt = Math.max(this.now(), this.nextCallAt) + this.minIntervalMs;
  }
}
