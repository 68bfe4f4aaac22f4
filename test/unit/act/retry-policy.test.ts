import { describe, expect, it } from 'vitest';
import { retrySchema } from '../../../shared/core/act/config-schema.js';
import { backoffDelay, isRetryableStatus, parseRetryAfter, retryDelay } from '../../../shared/core/act/retry-policy.js';

const policy = retrySchema.parse({ baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 });

describe('retry policy', () => {
  it.each([408, 429, 500, 502, 503, 504])('retries %i', (status) => expect(isRetryableStatus(status)).toBe(true));
  it.each([400, 401, 403, 404, 409, 410, 422, 501])('never retries %i', (status) =>
    expect(isRetryableStatus(status)).toBe(false),
  );

  it('backs off exponentially with full jitter, capped', () => {
    expect(backoffDelay(0, policy, () => 0.999)).toBe(99);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(400);
    expect(backoffDelay(10, policy, () => 0.999)).toBe(999);
    expect(backoffDelay(2, policy, () => 0)).toBe(0);
  });

  it('waits at least the Retry-After, bounded by maxRetryAfterMs', () => {
    expect(retryDelay(0, 2_000, policy, () => 0.5)).toBe(2_000);
    expect(retryDelay(0, 60_000, policy, () => 0.5)).toBe(5_000);
    expect(retryDelay(5, 10, policy, () => 0.9)).toBe(900);
  });

  it('parses Retry-After seconds and HTTP dates', () => {
    const now = Date.parse('2015-10-21T07:27:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
