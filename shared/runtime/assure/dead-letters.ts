import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Observability } from '../aws/observability.js';
import type { DeadLetterDepth } from './heartbeat-check.js';

/**
 * Visible messages of each dead-letter queue (the number the CloudWatch alarms watch too), for the
 * heartbeat check's `pipeline.failing` signals. Kept apart so only that function bundles the SQS client.
 *
 * @example
 * const depths = await deadLetterDepths(new SQSClient({}), settings.GLASSWATCH_DEAD_LETTER_QUEUES);
 */
export async function deadLetterDepths(sqs: SQSClient, queueUrls: readonly string[]): Promise<DeadLetterDepth[]> {
  return Promise.all(
    queueUrls.map(async (url) => {
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
      );
      return {
        queue: url.slice(url.lastIndexOf('/') + 1),
        depth: Number(Attributes?.ApproximateNumberOfMessages ?? 0),
      };
    }),
  );
}

/** The SQS client the heartbeat check reads queue depths with, traced like every other AWS call. */
export function deadLetterClient(observability: Observability): SQSClient {
  return observability.tracer.captureAWSv3Client(new SQSClient({}));
}
