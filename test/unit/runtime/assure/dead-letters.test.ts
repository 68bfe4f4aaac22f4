import { GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { deadLetterDepths } from '../../../../shared/runtime/assure/dead-letters.js';

/** SQS has no local server: the client is stubbed at SDK level, with the attributes SQS documents. */

const sqs = mockClient(SQSClient);
afterAll(() => sqs.restore());
beforeEach(() => sqs.reset());

const FORWARDER = 'https://sqs.eu-west-1.amazonaws.com/111122223333/glasswatch-forwarder-dlq';
const RESPONDERS = 'https://sqs.us-east-1.amazonaws.com/111122223333/glasswatch-IncidentChangeDeadLetterQueue-x';
const NOW = Date.parse('2026-12-04T12:00:00Z');

describe('deadLetterDepths', () => {
  it('names each queue, its depth and its oldest message’s age (peeked, nothing hidden), and flags the pager’s own', async () => {
    sqs
      .on(GetQueueAttributesCommand, { QueueUrl: FORWARDER })
      .resolves({ Attributes: { ApproximateNumberOfMessages: '2' } });
    sqs
      .on(GetQueueAttributesCommand, { QueueUrl: RESPONDERS })
      .resolves({ Attributes: { ApproximateNumberOfMessages: '0' } });
    sqs.on(ReceiveMessageCommand).resolves({
      Messages: [
        { MessageId: 'a', Attributes: { SentTimestamp: String(NOW - 30 * 60_000) } },
        { MessageId: 'b', Attributes: { SentTimestamp: String(NOW - 125 * 60_000) } },
      ],
    });
    const depths = await deadLetterDepths(new SQSClient({ region: 'us-east-1' }), [FORWARDER, RESPONDERS], {
      pagerQueues: [RESPONDERS],
      nowMs: NOW,
    });
    expect(depths).toEqual([
      { queue: 'glasswatch-forwarder-dlq', depth: 2, oldestAgeMs: 125 * 60_000 },
      { queue: 'glasswatch-IncidentChangeDeadLetterQueue-x', depth: 0, pager: true },
    ]);
    const peeks = sqs.commandCalls(ReceiveMessageCommand).map((c) => c.args[0].input);
    expect(peeks).toEqual([expect.objectContaining({ QueueUrl: FORWARDER, VisibilityTimeout: 0, WaitTimeSeconds: 0 })]);
  });
});
