/**
 * EventBridge event-pattern matching for the pattern features the templates use: exact values (strings,
 * numbers, booleans, null),
 * `{ prefix }`, nested objects and `$or`. Enough to check the rules against real events in tests; an
 * unsupported operator throws instead of guessing.
 */
export type Pattern = { [key: string]: unknown };

export function matches(pattern: Pattern, event: unknown): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    if (key === '$or') return (expected as Pattern[]).some((alternative) => matches(alternative, event));
    const value = event !== null && typeof event === 'object' ? (event as Record<string, unknown>)[key] : undefined;
    if (Array.isArray(expected)) return expected.some((matcher) => matchesValue(matcher, value));
    if (expected !== null && typeof expected === 'object')
      return value !== undefined && matches(expected as Pattern, value);
    throw new Error(`pattern field ${key}: expected an array or an object`);
  });
}

function matchesValue(matcher: unknown, value: unknown): boolean {
  if (Array.isArray(value)) return value.some((item) => matchesValue(matcher, item));
  // Exact values: strings, numbers, null and booleans ("Event patterns": values are matched exactly, as JSON).
  if (typeof matcher === 'string' || typeof matcher === 'number' || typeof matcher === 'boolean' || matcher === null)
    return value === matcher;
  if (matcher !== null && typeof matcher === 'object' && 'prefix' in matcher) {
    return typeof value === 'string' && value.startsWith(String((matcher as { prefix: unknown }).prefix));
  }
  throw new Error(`unsupported pattern matcher ${JSON.stringify(matcher)}`);
}
