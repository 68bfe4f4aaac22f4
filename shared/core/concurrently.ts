/** Store calls that do not depend on each other, this many at once: their round trips overlap. */
export const STORE_WRITES_AT_ONCE = 8;

/**
 * Runs `work` over `items`, at most `limit` at once, and gives the results in the items' order: store
 * writes that do not depend on each other overlap their round trips. When one fails, the others
 * already started are waited for (nothing is left writing after the caller gave up), then the first
 * error is thrown.
 *
 * @example
 * const changes = await concurrently(keys, STORE_WRITES_AT_ONCE, (key) => recordKey(key));
 */
export async function concurrently<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  const errors: unknown[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length && errors.length === 0) {
      const index = next++;
      try {
        results[index] = await work(items[index] as T, index);
      } catch (error) {
        errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (errors.length > 0) throw errors[0];
  return results;
}
