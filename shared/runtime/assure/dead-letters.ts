import { GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Observability } from '../aws/observability.js';
import type { DeadLetterDepth } from './heartbeat-check.js';

/**
 * Visible messages of each dead-letter queue (the number the CloudWatch alarms watch too), and for a
 * queue that holds any, the age of its oldest message, for the heartbeat check's `pipeline.failing`
 * signals. The age is read by peeking (ReceiveMessage with a zero visibility timeout: nothing is hidden
 * or deleted) at up to 10 messages' SentTimestamp, which a move to the dead-letter queue keeps; a
 * standard queue returns a sample, so it is the oldest of those seen. Kept apart so only that function
 * bundles the SQS client. Queues of other Regions are read through their URL's own endpoint.
 *
 * @example
 * const depths = await deadLetterDepths(new SQSClient({}), settings.GLASSWATCH_DEAD_LETTER_QUEUES);
 */
export async function deadLetterDepths(
  sqs: SQSClient,
  queueUrls: readonly string[],
  options: { pagerQueues?: readonly string[]; nowMs?: number } = {},
): Promise<DeadLetterDepth[]> {
  const nowMs = options.nowMs ?? Date.now();
  return Promise.all(
    queueUrls.map(async (url) => {
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
      );
      const depth = Number(Attributes?.ApproximateNumberOfMessages ?? 0);
      const oldest = depth > 0 ? await oldestSentMs(sqs, url) : undefined;
      return {
        queue: url.slice(url.lastIndexOf('/') + 1),
        depth,
        ...(oldest === undefined ? {} : { oldestAgeMs: Math.max(0, nowMs - oldest) }),
        ...(options.pagerQueues?.includes(url) ? { pager: true } : {}),
      };
    }),
  );
}

async function oldestSentMs(sqs: SQSClient, url: string): Promise<number | undefined> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 0,
      WaitTimeSeconds: 0,
      MessageSystemAttributeNames: ['SentTimestamp'],
    }),
  );
  const sent = Messages.map((m) => Number(m.Attributes?.SentTimestamp)).filter((t) => Number.isFinite(t) && t > 0);
  return sent.length > 0 ? Math.min(...sent) : undefined;
}

/** The SQS client the heartbeat check reads queue depths with, traced like every other AWS call. */
export function deadLetterClient(observability: Observability): SQSClient {
  return observability.traced(new SQSClient({}));
}
