import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { defaultThreads } from '../../../shared/runtime/replay-ingest.js';
import type { LogSource } from '../../../shared/runtime/replay-sources.js';

const source = (bytes: number): LogSource => ({ location: 'f', bytes, read: async () => {} });

describe('defaultThreads', () => {
  it('every core for large inputs (segments or records go to workers), one for small ones', () => {
    expect(defaultThreads([source(200 << 20)])).toBe(availableParallelism());
    expect(defaultThreads([source(3 << 20), source(2 << 20)])).toBe(availableParallelism());
    expect(defaultThreads([source(1 << 20)])).toBe(1);
  });
});
