import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type HistoryRecord, RegionEventHistory } from '../../../../shared/adapters/aws/cloudtrail-lookup.js';

const cloudTrail = mockClient(CloudTrailClient);
afterAll(() => cloudTrail.restore());
beforeEach(() => cloudTrail.reset());

const window = { startMs: Date.parse('2026-11-20T09:00:00Z'), endMs: Date.parse('2026-11-20T10:30:00Z') };
const query = { attribute: 'Username', value: 'root' } as const;

/** A fake clock: sleeping advances it, so pacing is observable without waiting. */
function clock() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
    tick: (ms: number) => {
      now += ms;
    },
  };
}

describe('RegionEventHistory', () => {
  it('follows NextToken and hands every record out with its id and CloudTrailEvent text', async () => {
    cloudTrail
      .on(LookupEventsCommand)
      .resolvesOnce({ Events: [{ EventId: '1', CloudTrailEvent: '{"a":1}' }], NextToken: 't' })
      .resolvesOnce({ Events: [{ EventId: '2', CloudTrailEvent: '{"a":2}' }] });
    const records: HistoryRecord[] = [];
    const history = new RegionEventHistory(new CloudTrailClient({ region: 'eu-west-1' }), 'eu-west-1', {
      minIntervalMs: 0,
    });
    expect(await history.lookup(query, window, (r) => records.push(r))).toEqual({ pages: 2, truncated: false });
    expect(records).toEqual([
      { eventId: '1', cloudTrailEvent: '{"a":1}' },
      { eventId: '2', cloudTrailEvent: '{"a":2}' },
    ]);
    const inputs = cloudTrail.commandCalls(LookupEventsCommand).map((c) => c.args[0].input);
    expect(inputs[0]).toEqual({
      LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'root' }],
      StartTime: new Date(window.startMs),
      EndTime: new Date(window.endMs),
      MaxResults: 50,
    });
    expect(inputs[1]?.NextToken).toBe('t');
  });

  it('spaces calls of one Region at least minIntervalMs apart (2 TPS quota)', async () => {
    cloudTrail.on(LookupEventsCommand).resolves({ Events: [] });
    const time = clock();
    const history = new RegionEventHistory(new CloudTrailClient({ region: 'us-east-1' }), 'us-east-1', {
      minIntervalMs: 550,
      ...time,
    });
    await history.lookup(query, window, () => {});
    time.tick(100);
    await history.lookup(query, window, () => {});
    await history.lookup(query, window, () => {});
    expect(time.sleeps).toEqual([450, 550]);
  });

  it('stops after maxPages and says the result is truncated', async () => {
    cloudTrail.on(LookupEventsCommand).resolves({ Events: [{ EventId: 'x' }], NextToken: 'more' });
    const history = new RegionEventHistory(new CloudTrailClient({ region: 'us-east-1' }), 'us-east-1', {
      minIntervalMs: 0,
      maxPages: 3,
    });
    expect(await history.lookup(query, window, () => {})).toEqual({ pages: 3, truncated: true });
  });

  it('names the Region, the query and the AWS error when a call fails', async () => {
    cloudTrail
      .on(LookupEventsCommand)
      .rejects(
        Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }),
      );
    const history = new RegionEventHistory(
      new CloudTrailClient({ region: 'ap-south-1', maxAttempts: 1 }),
      'ap-south-1',
      { minIntervalMs: 0 },
    );
    await expect(history.lookup(query, window, () => {})).rejects.toThrow(
      'CloudTrail LookupEvents in ap-south-1 (Username=root): ThrottlingException (HTTP 400): Rate exceeded',
    );
  });
});
