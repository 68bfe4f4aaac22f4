import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseRegistry, RegistryMatcher } from '../../../shared/core/registry/index.js';
import { defaultThreads } from '../../../shared/runtime/replay-ingest.js';
import type { LogSource } from '../../../shared/runtime/replay-sources.js';

const source = (bytes: number): LogSource => ({ location: 'f', bytes, read: async () => {} });
const matcher = (arn: string) =>
  new RegistryMatcher(parseRegistry(`accounts: [{ id: a, cloud: aws, match: { arn: "${arn}" } }]`, 'r.yaml'));

describe('defaultThreads', () => {
  it('one thread when the CloudTrail screen is on: splitting and screening is the work', () => {
    expect(defaultThreads([source(200 << 20)], matcher('arn:aws:iam::111122223333:root'))).toBe(1);
  });

  it('every core for large inputs when the screen is off (every record parsed), one for small ones', () => {
    const unscreenable = matcher('arn:aws:iam::*:role/*');
    expect(defaultThreads([source(200 << 20)], unscreenable)).toBe(availableParallelism());
    expect(defaultThreads([source(1 << 20)], unscreenable)).toBe(1);
  });
});
