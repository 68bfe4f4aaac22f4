import { SourceUnavailableError } from './errors.js';

/**
 * Retries for source reads: exponential backoff with full jitter, never shorter than a server's
 * `Retry-After`. Sleep and randomness are injected so tests run on a scripted clock.
 */

export interface RetryPolicy {
  /** Attempts in total, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After honoured; a longer one is waited this long instead. */
  maxRetryAfterMs: number;
}

/** Log Analytics allows 200 requests per 30 s per user and Cloud Logging 60 reads per minute per project: back off up to a minute. */
export const SOURCE_RETRY_POLICY: RetryPolicy = {
  attempts: 6,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
};

/** How an adapter reads one failure. */
export interface FailureVerdict {
  retryable: boolean;
  retryAfterMs?: number;
  /** Vendor, status and message, for the error if it gives up: "Log Analytics 429: Too many requests". */
  describe: string;
}

export interface RetryDeps {
  sleep(ms: number): Promise<void>;
  random(): number;
  /** Called before each wait, for logs and metrics. */
  onRetry?(attempt: number, delayMs: number, verdict: FailureVerdict): void;
}

export async function withRetries<T>(
  what: string,
  attempt: () => Promise<T>,
  classify: (error: unknown) => FailureVerdict,
  policy: RetryPolicy,
  deps: RetryDeps,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      const verdict = classify(error);
      if (!verdict.retryable || n >= policy.attempts) {
        throw new SourceUnavailableError(what, n, verdict.describe, { cause: error });
      }
      const delayMs = retryDelay(n - 1, verdict.retryAfterMs, policy, deps.random);
      deps.onRetry?.(n, delayMs, verdict);
      await deps.sleep(delayMs);
    }
  }
}

/** Uniform in [0, min(max, base·2^attempt)), raised to the server's Retry-After (capped). */
export function retryDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  policy: RetryPolicy,
  random: () => number,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt, 30));
  const jittered = Math.floor(random() * ceiling);
  return retryAfterMs === undefined ? jittered : Math.max(jittered, Math.min(retryAfterMs, policy.maxRetryAfterMs));
}

/** 408, 429 and 5xx other than 501/505 heal by waiting; any other status does not. */
export function isRetryableStatus(status: number): boolean {
  if (status === 408 || status === 429) return true;
  return status >= 500 && status <= 599 && status !== 501 && status !== 505;
}

/** `Retry-After: 120` or an HTTP date → milliseconds from `nowMs`. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d{1,9}(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
