import { describe, expect, it } from 'vitest';
import { StringInterner } from '../../../../shared/runtime/parallel/intern.js';

describe('StringInterner', () => {
  it('keeps every value of nested objects and arrays as it was, in place', () => {
    const interner = new StringInterner();
    const finding = () => ({
      ruleId: 'aws.root-sign-in',
      account: null,
      event: {
        timeMs: 1,
        providerGenerated: false,
        resources: ['arn:a', 'arn:b'],
        mfa: { used: undefined, methods: [] },
      },
      link: { kind: 'joins', alias: 'AKIA' },
    });
    const first = finding();
    const second = finding();
    expect(interner.intern(first)).toBe(first);
    expect(interner.intern(second)).toBe(second);
    expect(interner.intern([first, second, 'x', 3])).toEqual([finding(), finding(), 'x', 3]);
    expect(interner.intern('text')).toBe('text');
  });
});
