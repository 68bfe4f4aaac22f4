import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  acceptAll,
  type LocalStack,
  lambdaContext,
  s3Notification,
  sqsEvent,
  sqsRecord,
  startLocalStack,
} from './support/stack.js';
import { logFile, recordsOf, trailKey } from './support/trail-records.js';

/**
 * Nothing lost between the store and the bus: when PutEvents fails after the correlator stored a change,
 * the redelivered message changes nothing, and the scheduled close-sessions function publishes the
 * missing change from the publication ledger. Then it closes the session once its gap has passed.
 */

const ARN = 'arn:aws:iam::294599468799:user/christophe';
const REGISTRY = `
defaults: { sessionGapMinutes: 60 }
accounts:
  - { id: bg-user, cloud: aws, match: { arn: "${ARN}" } }
`;

type SqsHandler = (event: SQSEvent, context: ReturnType<typeof lambdaContext>) => Promise<SQSBatchResponse>;
type ScheduledHandler = (
  event: unknown,
  context: ReturnType<typeof lambdaContext>,
) => Promise<{ closed: number; reconciled: number }>;

const records = recordsOf(ARN);
const lastEventMs = Math.max(...records.map((r) => Date.parse(String(r.eventTime))));

let stack: LocalStack;
let ingest: SqsHandler;
let closeSessions: ScheduledHandler;

beforeAll(async () => {
  stack = await startLocalStack(REGISTRY);
});
afterAll(async () => {
  await stack?.close();
});
beforeEach(async () => {
  acceptAll(stack.eventBridge);
  await stack.useFreshTables();
  ({ handler: ingest } = (await import('../../../functions/ingest/s3-log-files.js')) as unknown as {
    handler: SqsHandler;
  });
  ({ handler: closeSessions } = (await import('../../../functions/correlate/close-sessions.js')) as unknown as {
    handler: ScheduledHandler;
  });
});
afterEach(() => {
  vi.useRealTimers();
});

/** "Now" for the scheduled function: minutes after the session's last event. */
function clockAt(minutesAfterLastEvent: number): void {
  if (!vi.isFakeTimers()) vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(lastEventMs + minutesAfterLastEvent * 60_000);
}

async function ingestSession(messageId: string) {
  const key = trailKey('294599468799', 'session');
  await stack.s3.put(stack.bucket, key, logFile(records));
  return ingest(sqsEvent([sqsRecord(s3Notification(stack.bucket, key, messageId), messageId)]), lambdaContext());
}

describe('close-sessions handler', () => {
  it('publishes a change whose PutEvents failed, from the ledger, before any other change of that incident', async () => {
    stack.eventBridge
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'boom' }] });
    const failed = await ingestSession('first-delivery');
    expect(failed.batchItemFailures).toEqual([{ itemIdentifier: 'first-delivery' }]);
    expect(await stack.published()).toEqual([]);

    acceptAll(stack.eventBridge);
    const redelivered = await ingestSession('first-delivery-again');
    expect(redelivered.batchItemFailures).toEqual([]);
    expect(await stack.published()).toEqual([]); // the correlator already holds every event: nothing new to say

    clockAt(10);
    expect(await closeSessions({}, lambdaContext())).toEqual({ closed: 0, reconciled: 1 });
    const [late] = await stack.published();
    expect(late?.detailType).toBe('Glasswatch Incident Opened');
    expect(late?.detail.newEvents).toHaveLength(records.length);

    expect(await closeSessions({}, lambdaContext())).toEqual({ closed: 0, reconciled: 0 });
    expect(await stack.published()).toHaveLength(1);
  });

  it('closes the session once its gap has passed, once', async () => {
    expect((await ingestSession('normal')).batchItemFailures).toEqual([]);
    expect((await stack.published()).map((p) => p.detailType)).toEqual(['Glasswatch Incident Opened']);

    clockAt(30);
    expect(await closeSessions({}, lambdaContext())).toEqual({ closed: 0, reconciled: 0 });
    clockAt(61);
    expect(await closeSessions({}, lambdaContext())).toEqual({ closed: 1, reconciled: 0 });
    expect(await closeSessions({}, lambdaContext())).toEqual({ closed: 0, reconciled: 0 });
    expect((await stack.published()).map((p) => p.detailType)).toEqual([
      'Glasswatch Incident Opened',
      'Glasswatch Incident Closed',
    ]);
    const [incident] = await stack.repository().listIncidents();
    expect(incident?.status).toBe('closed');
  });

  it('leaves incidents older than the reconcile window alone', async () => {
    stack.eventBridge
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
    await ingestSession('lost');
    acceptAll(stack.eventBridge);
    clockAt(15 * 24 * 60); // 15 days later, beyond the default 14
    const result = await closeSessions({}, lambdaContext());
    expect(result.reconciled).toBe(0);
    expect((await stack.published()).map((p) => p.detailType)).toEqual(['Glasswatch Incident Closed']);
  });
});
