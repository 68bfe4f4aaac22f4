import { describe, expect, it } from 'vitest';
import { concurrently } from '../../../shared/core/concurrently.js';

/** A promise the test settles by hand, to see what runs at once. */
function deferred() {
  let settle: (fail?: Error) => void = () => {};
  const promise = new Promise<void>((resolve, reject) => {
    settle = (fail) => (fail ? reject(fail) : resolve());
  });
  return { promise, settle };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('concurrently', () => {
  it('runs at most `limit` at once and gives the results in the items’ order, whatever order they finish in', async () => {
    const gates = Array.from({ length: 5 }, deferred);
    const started: number[] = [];
    const run = concurrently([0, 1, 2, 3, 4], 2, async (item, index) => {
      started.push(item);
      await gates[index]?.promise;
      return `r${item}`;
    });
    await tick();
    expect(started).toEqual([0, 1]);
    gates[1]?.settle();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    for (const gate of [4, 3, 2, 0]) gates[gate]?.settle();
    expect(await run).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
  });

  it('starts nothing new after a failure, waits for the started ones, then throws the first error', async () => {
    const gates = Array.from({ length: 4 }, deferred);
    const started: number[] = [];
    const finished: number[] = [];
    const run = concurrently([0, 1, 2, 3], 2, async (item) => {
      started.push(item);
      await gates[item]?.promise;
      finished.push(item);
    });
    const outcome = run.then(
      () => 'resolved',
      (error: Error) => error.message,
    );
    await tick();
    gates[0]?.settle(new Error('store down'));
    await tick();
    let settled = false;
    void outcome.then(() => {
      settled = true;
    });
    await tick();
    expect(settled).toBe(false); // item 1 is still writing
    gates[1]?.settle();
    expect(await outcome).toBe('store down');
    expect(started).toEqual([0, 1]);
    expect(finished).toEqual([1]);
  });

  it('does nothing for no items', async () => {
    expect(await concurrently([], 8, async () => 1)).toEqual([]);
  });
});
