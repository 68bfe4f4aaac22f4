import { excerpt } from '../../core/act/render/sanitize.js';
import { type AttemptResult, isRetryableStatus } from '../../core/act/retry-policy.js';

/**
 * SDK v3 errors of the aftermath's AWS calls (Scheduler, Secrets Manager, IAM) as an AttemptResult.
 * Create the clients with `maxAttempts: 1`: Glasswatch's retry policy (backoff, ledger, deadline) is
 * then the only one at work, as for SNS.
 */

/** Error codes that mean "later", whatever the status (several services throttle with a 400). */
const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'InternalServerException',
  'InternalServiceError',
  'InternalFailure',
  'ServiceFailure',
  'ServiceFailureException',
  'ServiceUnavailable',
  'RequestTimeout',
  'TimeoutError',
]);

export interface SdkError {
  name: string;
  message: string;
  status?: number;
}

/** The parts of an SDK error; a network error has no status. */
export function sdkError(error: unknown): SdkError {
  const e = error as { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: unknown } } | undefined;
  return {
    name: typeof e?.name === 'string' ? e.name : 'Error',
    message: typeof e?.message === 'string' ? e.message : '',
    ...(typeof e?.$metadata?.httpStatusCode === 'number' ? { status: e.$metadata.httpStatusCode } : {}),
  };
}

/** "scheduler 500: InternalServerException: …", retryable unless the service said no for good. */
export function failedAttempt(vendor: string, error: unknown, what = ''): Extract<AttemptResult, { ok: false }> {
  const e = sdkError(error);
  const retryable = e.status === undefined || RETRYABLE_CODES.has(e.name) || isRetryableStatus(e.status);
  return {
    ok: false,
    retryable,
    ...(e.status !== undefined ? { status: e.status } : {}),
    error: `${vendor}${e.status ? ` ${e.status}` : ''}: ${what ? `${what}: ` : ''}${excerpt(`${e.name}: ${e.message}`)}`,
  };
}
