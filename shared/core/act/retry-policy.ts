import type { RetryConfig } from './config-schema.js';

/**
 * When to try again and how long to wait. A small policy of our own rather than p-retry: p-retry
 * computes its own delay and cannot wait a server-chosen `Retry-After` per attempt, and it sleeps on
 * the real clock, where tests need an injected one.
 */

/** What one attempt at one action came to. Drivers return this; they do not throw for vendor answers. */
export type AttemptResult =
  | { ok: true; ref?: Record<string, string> }
  | {
      ok: false;
      /** 408, 429, 5xx, timeouts and network errors: yes. Any other 4xx (400, 401, 403, 404, 422…): never. */
      retryable: boolean;
      status?: number;
      /** From the vendor's `Retry-After`, already converted to milliseconds. */
      retryAfterMs?: number;
      /** Vendor, status and a redacted body excerpt: "jira 400: summary: …". Never a credential. */
      error: string;
    };

/** 5xx that will not heal by waiting: 501 Not Implemented, 505 HTTP Version Not Supported. */
const PERMANENT_5XX = new Set([501, 505]);

/** Retry 408 Request Timeout, 429 Too Many Requests and server errors; never another 4xx. */
export function isRetryableStatus(status: number): boolean {
  if (status === 408 || status === 429) return true;
  return status >= 500 && status <= 599 && !PERMANENT_5XX.has(status);
}

/** Exponential backoff with full jitter: uniform in [0, min(max, base·2^attempt)). `attempt` is 0-based. */
export function backoffDelay(attempt: number, policy: RetryConfig, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/** The wait before the next attempt: never shorter than the vendor's Retry-After (capped at maxRetryAfterMs). */
export function retryDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  policy: RetryConfig,
  random: () => number,
): number {
  const jittered = backoffDelay(attempt, policy, random);
  if (retryAfterMs === undefined) return jittered;
  return Math.max(jittered, Math.min(retryAfterMs, policy.maxRetryAfterMs));
}

/** `Retry-After: 120` or `Retry-After: Wed, 21 Oct 2015 07:28:00 GMT` → milliseconds from `nowMs`. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d{1,9}$/.test(trimmed)) return Number(trimmed) * 1000;
  if (/^\d+\.\d+$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
