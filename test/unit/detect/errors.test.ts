import { describe, expect, it } from 'vitest';
import { RuleError, RuleSetError } from '../../../shared/core/detect/errors.js';

describe('RuleError', () => {
  it('names where, which rule and which event, and chains the cause', () => {
    const cause = new RangeError('bad index');
    const error = new RuleError('activity', 'aws:abc', { location: 'logs/a.json', line: 3 }, { cause });
    expect(error.name).toBe('RuleError');
    expect(error.message).toBe('logs/a.json:3: rule activity failed on event aws:abc: RangeError: bad index');
    expect(error.cause).toBe(cause);
  });

  it('caps a hostile event id and cause text', () => {
    const error = new RuleError('r', 'x'.repeat(10_000), { location: 'f' }, { cause: new Error('y'.repeat(10_000)) });
    expect(error.message.length).toBeLessThan(800);
  });
});

describe('RuleSetError', () => {
  it('lists every problem', () => {
    const error = new RuleSetError(['one', 'two']);
    expect(error.message).toBe('invalid rule set:\n  - one\n  - two');
    expect(error.problems).toEqual(['one', 'two']);
  });
});
