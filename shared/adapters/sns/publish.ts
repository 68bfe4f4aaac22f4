import { PublishCommand, type PublishCommandOutput } from '@aws-sdk/client-sns';
import type { Action } from '../../core/act/actions.js';
import type { RespondersConfig } from '../../core/act/config-schema.js';
import type { DeliveryContext, OutputDriver } from '../../core/act/driver.js';
import { excerpt } from '../../core/act/render/sanitize.js';
import { toSns } from '../../core/act/render/sns.js';
import { type AttemptResult, isRetryableStatus } from '../../core/act/retry-policy.js';

/**
 * Amazon SNS: pages a topic whose e-mail/SMS subscribers read the message (`toSns`). Create the client
 * with `maxAttempts: 1` so Glasswatch's retry policy (and the fallback bound) is the only one at work.
 * A publish whose answer was lost may be delivered twice: SNS standard topics have no dedup.
 */

/** What the driver needs of an SNSClient (also lets tests stub the transport). */
export interface SnsSender {
  send(command: PublishCommand, options?: { abortSignal?: AbortSignal }): Promise<PublishCommandOutput>;
}

/** SNS error codes that mean "later" even when the status is 400. */
const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'KMSThrottlingException',
  'InternalError',
  'InternalFailure',
  'ServiceUnavailable',
]);

type SnsConfig = NonNullable<RespondersConfig['sns']>;

export function createSnsDriver(config: SnsConfig, deps: { client: SnsSender; timeoutMs: number }): OutputDriver {
  return {
    async deliver(action: Action, _context: DeliveryContext): Promise<AttemptResult> {
      if (action.kind !== 'page' && action.kind !== 'notify') {
        return { ok: false, retryable: false, error: `sns cannot ${action.kind}` };
      }
      const { subject, message } = toSns(action.page);
      try {
        const output = await deps.client.send(
          new PublishCommand({ TopicArn: config.topicArn, Subject: subject, Message: message }),
          { abortSignal: AbortSignal.timeout(deps.timeoutMs) },
        );
        return { ok: true, ref: output.MessageId ? { messageId: output.MessageId } : {} };
      } catch (error) {
        return classify(error);
      }
    },
  };
}

/** SDK errors carry `name` (the SNS error code) and `$metadata.httpStatusCode`; network errors carry neither. */
export function classify(error: unknown): AttemptResult {
  const e = error as { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const name = typeof e?.name === 'string' ? e.name : 'Error';
  const status = typeof e?.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const message = excerpt(`${name}: ${typeof e?.message === 'string' ? e.message : ''}`);
  const retryable = status === undefined || THROTTLING.has(name) || isRetryableStatus(status);
  return {
    ok: false,
    retryable,
    ...(status !== undefined ? { status } : {}),
    error: `sns${status ? ` ${status}` : ''}: ${message}`,
  };
}
