import { describe, expect, it } from 'vitest';
import {
  isRetryableStatus,
  parseRetryAfter,
  retryDelay,
  SourceUnavailableError,
  withRetries,
} from '../../../../shared/core/ingest/cursor/index.js';

const policy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 };

describe('withRetries', () => {
  it('retries retryable failures, waiting at least the Retry-After, and returns the first success', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withRetries(
      'src page 1',
      async () => {
        calls++;
        if (calls < 3) throw new Error('throttled');
        return 'ok';
      },
      () => ({ retryable: true, retryAfterMs: 2_000, describe: 'src 429' }),
      policy,
      { sleep: async (ms) => void waits.push(ms), random: () => 0.5 },
    );
    expect(result).toBe('ok');
    expect(waits).toEqual([2_000, 2_000]);
  });

  it('gives up after the last attempt with an error naming what, how often and why', async () => {
    const failing = withRetries(
      'src page 2',
      async () => {
        throw new Error('boom');
      },
      () => ({ retryable: true, describe: 'src 503: boom' }),
      policy,
      { sleep: async () => {}, random: () => 0 },
    );
    await expect(failing).rejects.toThrow(SourceUnavailableError);
    await expect(failing).rejects.toThrow('src page 2: gave up after 4 attempt(s): src 503: boom');
  });

  it('does not retry what waiting will not heal', async () => {
    let calls = 0;
    await expect(
      withRetries(
        'src',
        async () => {
          calls++;
          throw new Error('denied');
        },
        () => ({ retryable: false, describe: 'src 403' }),
        policy,
        { sleep: async () => {}, random: () => 0 },
      ),
    ).rejects.toThrow('after 1 attempt(s): src 403');
    expect(calls).toBe(1);
  });
});

describe('retry helpers', () => {
  it('backs off exponentially with jitter under the cap, and caps a long Retry-After', () => {
    expect(retryDelay(0, undefined, policy, () => 0.999)).toBe(99);
    expect(retryDelay(5, undefined, policy, () => 0.999)).toBe(999);
    expect(retryDelay(0, 60_000, policy, () => 0)).toBe(5_000);
  });

  it('knows which statuses heal by waiting', () => {
    expect([408, 429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 501, 505].some(isRetryableStatus)).toBe(false);
  });

  it('reads Retry-After in seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-18T14:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2_000);
    expect(parseRetryAfter('Wed, 18 Nov 2026 14:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});
