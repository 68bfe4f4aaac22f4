/**
 * The Cloud Logging query language, as much of it as a local `entries.list` needs to answer the way
 * the service does ("Logging query language", cloud.google.com/logging/docs/view/logging-query-language):
 * `AND` / `OR` / `NOT` (and juxtaposition as AND), parentheses, comparisons `=`, `!=`, `:` (has),
 * `>=`, `>`, `<=`, `<` on dotted field paths, a parenthesised list of values joined by OR or AND,
 * `:*` (the field exists), quoted or bare values. A repeated field matches when any element does;
 * `:` compares case-insensitively as a substring, `=` exactly; timestamps compare as instants (nanosecond
 * precision). An operator outside this subset throws: the test then says what the server cannot read,
 * instead of answering something the service would not.
 */

type Value = { kind: 'any' } | { kind: 'value'; text: string } | { kind: 'list'; op: 'OR' | 'AND'; items: Value[] };
type Node =
  | { kind: 'and'; items: Node[] }
  | { kind: 'or'; items: Node[] }
  | { kind: 'not'; item: Node }
  | { kind: 'compare'; field: string; op: string; value: Value };

const OPERATORS = ['>=', '<=', '!=', '=', ':', '>', '<'];

class Tokens {
  private at = 0;
  constructor(private readonly text: string) {}

  private skip(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at] as string)) this.at++;
  }

  peek(): string | undefined {
    this.skip();
    if (this.at >= this.text.length) return undefined;
    const rest = this.text.slice(this.at);
    if (rest[0] === '(' || rest[0] === ')') return rest[0];
    if (rest[0] === '"') return '"';
    const op = OPERATORS.find((o) => rest.startsWith(o));
    if (op) return op;
    return /^[^\s()"=!:<>]+/.exec(rest)?.[0];
  }

  next(): string {
    const token = this.peek();
    if (token === undefined) throw new Error(`logging filter: unexpected end of ${JSON.stringify(this.text)}`);
    if (token === '"') return this.quoted();
    this.at += token.length;
    return token;
  }

  /** A quoted string with backslash escapes, returned with a leading quote to tell it from words. */
  private quoted(): string {
    let out = '';
    this.at++;
    while (this.at < this.text.length && this.text[this.at] !== '"') {
      if (this.text[this.at] === '\\') this.at++;
      out += this.text[this.at];
      this.at++;
    }
    if (this.text[this.at] !== '"') throw new Error('logging filter: unterminated string');
    this.at++;
    return `"${out}`;
  }

  expect(token: string): void {
    const got = this.next();
    if (got !== token) throw new Error(`logging filter: expected ${token}, got ${got}`);
  }
}

function parseOr(tokens: Tokens): Node {
  const items = [parseAnd(tokens)];
  while (tokens.peek() === 'OR') {
    tokens.next();
    items.push(parseAnd(tokens));
  }
  return items.length === 1 ? (items[0] as Node) : { kind: 'or', items };
}

function parseAnd(tokens: Tokens): Node {
  const items = [parseNot(tokens)];
  for (let token = tokens.peek(); token !== undefined && token !== ')' && token !== 'OR'; token = tokens.peek()) {
    if (token === 'AND') tokens.next();
    items.push(parseNot(tokens));
  }
  return items.length === 1 ? (items[0] as Node) : { kind: 'and', items };
}

function parseNot(tokens: Tokens): Node {
  if (tokens.peek() === 'NOT') {
    tokens.next();
    return { kind: 'not', item: parsePrimary(tokens) };
  }
  return parsePrimary(tokens);
}

function parsePrimary(tokens: Tokens): Node {
  if (tokens.peek() === '(') {
    tokens.next();
    const inner = parseOr(tokens);
    tokens.expect(')');
    return inner;
  }
  const field = tokens.next();
  if (field.startsWith('"') || OPERATORS.includes(field))
    throw new Error(`logging filter: expected a field, got ${field}`);
  const op = tokens.next();
  if (!OPERATORS.includes(op)) throw new Error(`logging filter: unsupported operator after ${field}: ${op}`);
  return { kind: 'compare', field, op, value: parseValue(tokens) };
}

function parseValue(tokens: Tokens): Value {
  if (tokens.peek() === '(') {
    tokens.next();
    const items = [parseValue(tokens)];
    let op: 'OR' | 'AND' = 'OR';
    while (tokens.peek() === 'OR' || tokens.peek() === 'AND') {
      op = tokens.next() as 'OR' | 'AND';
      items.push(parseValue(tokens));
    }
    tokens.expect(')');
    return { kind: 'list', op, items };
  }
  const token = tokens.next();
  if (token === '*') return { kind: 'any' };
  return { kind: 'value', text: token.startsWith('"') ? token.slice(1) : token };
}

/** Every value at a dotted path; arrays fan out (a repeated field matches when any element does). */
function valuesAt(entry: unknown, path: string): unknown[] {
  let current: unknown[] = [entry];
  for (const key of path.split('.')) {
    const next: unknown[] = [];
    for (const value of current.flatMap((v) => (Array.isArray(v) ? v : [v]))) {
      if (value !== null && typeof value === 'object' && Object.hasOwn(value, key))
        next.push((value as Record<string, unknown>)[key]);
    }
    current = next;
  }
  return current.flatMap((v) => (Array.isArray(v) ? v : [v])).filter((v) => v !== undefined && v !== null);
}

/** RFC 3339 with up to nanoseconds → nanoseconds since the epoch, for timestamp comparisons. */
function instantNs(text: string): bigint | undefined {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!match) return undefined;
  const seconds = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(seconds)) return undefined;
  return BigInt(seconds) * 1_000_000n + BigInt((match[2] ?? '').padEnd(9, '0'));
}

function compareLeaf(actual: unknown, op: string, expected: string, field: string): boolean {
  const text = typeof actual === 'string' ? actual : JSON.stringify(actual);
  if (op === ':') return text.toLowerCase().includes(expected.toLowerCase());
  if (op === '=') return text === expected;
  if (op === '!=') return text !== expected;
  const isTime = /(^|\.)(timestamp|receiveTimestamp)$/.test(field);
  const a = isTime ? instantNs(text) : undefined;
  const b = isTime ? instantNs(expected) : undefined;
  const order = a !== undefined && b !== undefined ? (a < b ? -1 : a > b ? 1 : 0) : text.localeCompare(expected);
  if (op === '>=') return order >= 0;
  if (op === '>') return order > 0;
  if (op === '<=') return order <= 0;
  return order < 0;
}

function matchesValue(values: unknown[], op: string, value: Value, field: string): boolean {
  if (value.kind === 'any') return values.length > 0;
  if (value.kind === 'list') {
    const results = value.items.map((item) => matchesValue(values, op, item, field));
    return value.op === 'OR' ? results.some(Boolean) : results.every(Boolean);
  }
  if (op === '!=') return values.every((v) => compareLeaf(v, op, value.text, field));
  return values.some((v) => compareLeaf(v, op, value.text, field));
}

function evaluate(node: Node, entry: unknown): boolean {
  if (node.kind === 'and' || node.kind === 'or')
    return node.kind === 'and'
      ? node.items.every((item) => evaluate(item, entry))
      : node.items.some((item) => evaluate(item, entry));
  if (node.kind === 'not') return !evaluate(node.item, entry);
  return matchesValue(valuesAt(entry, node.field), node.op, node.value, node.field);
}

/** Compiles a filter once; the result tells whether a LogEntry (as JSON) matches. */
export function compileLoggingFilter(filter: string): (entry: unknown) => boolean {
  const tokens = new Tokens(filter);
  const tree = tokens.peek() === undefined ? ({ kind: 'and', items: [] } as Node) : parseOr(tokens);
  if (tokens.peek() !== undefined) throw new Error(`logging filter: unexpected ${tokens.peek()} in ${filter}`);
  return (entry) => evaluate(tree, entry);
}
