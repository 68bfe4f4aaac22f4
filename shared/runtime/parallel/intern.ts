/**
 * One copy of each repeated string in what the workers send back. Structured clone gives every
 * finding its own copies of the file name, account ids, principal ARNs, rule ids, user agents…: the
 * findings of a large replay are held until correlation, so the copies were most of their memory.
 */
export class StringInterner {
  private readonly seen = new Map<string, string>();

  /** Replaces, in place, every string inside plain objects and arrays by its first-seen equal. */
  intern<T>(value: T): T {
    return this.visit(value) as T;
  }

  private visit(value: unknown): unknown {
    if (typeof value === 'string') {
      const known = this.seen.get(value);
      if (known !== undefined) return known;
      this.seen.set(value, value);
      return value;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = this.visit(value[i]);
    } else if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) record[key] = this.visit(record[key]);
    }
    return value;
  }
}
