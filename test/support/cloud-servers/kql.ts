/**
 * The Kusto Query Language, as much of it as a local Log Analytics query API needs to answer the
 * queries Glasswatch generates (shared/core/ingest/filters/kql.ts) the way the service does
 * (learn.microsoft.com/kusto/query): a tabular source (a table name, or `union`, `datatable` and
 * parenthesized queries: kql-tabular.ts), then `| where`, `| extend Name = expr, …`,
 * `| project-away Col, …`, `| order by Col asc|desc`, `| take N`; expressions with `and` / `or`,
 * parentheses, `==` `!=` `=~` `<` `<=` `>` `>=`, `in (…)`, `in~ (…)` (case-insensitive), `contains`
 * (case-insensitive substring), the functions `ingestion_time()`, `tolower()`, `tostring()`,
 * `strcat()`, `column_ifexists()`, literals `@"verbatim"`, `"escaped"`, numbers and `datetime(…)`. Anything else throws a
 * {@link KqlError}: the server answers 400 and the test says what it cannot read, instead of answering
 * something the service would not. A column that the table does not have is an error too, as in Kusto.
 */

import { tabularSource } from './kql-tabular.js';

export class KqlError extends Error {
  override readonly name = 'KqlError';
}

/** A row while a query runs: column → value, plus the time it was ingested (hidden, read by `ingestion_time()`). */
export interface KqlRow {
  values: Map<string, unknown>;
  ingestedMs: number;
}

export type KqlType = 'string' | 'datetime' | 'dynamic' | 'long' | 'real' | 'bool';

export interface KqlTable {
  columns: Map<string, KqlType>;
  rows: KqlRow[];
}

export type Token = { kind: 'word' | 'string' | 'number' | 'datetime' | 'symbol'; text: string };
type Expr =
  | { kind: 'column'; name: string }
  | { kind: 'literal'; value: unknown }
  | { kind: 'call'; name: string; args: Expr[] }
  | { kind: 'binary'; op: string; left: Expr; right: Expr }
  | { kind: 'in'; op: 'in' | 'in~'; left: Expr; items: Expr[] };

const SYMBOLS = ['==', '!=', '=~', '>=', '<=', '(', ')', '[', ']', ',', '|', '=', '<', '>', ':'];

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const rest = text.slice(at);
    const space = /^\s+/.exec(rest);
    if (space) {
      at += space[0].length;
      continue;
    }
    const verbatim = /^@"((?:[^"]|"")*)"/.exec(rest);
    const escaped = /^"((?:[^"\\]|\\.)*)"/.exec(rest);
    const date = /^datetime\(([^)]*)\)/.exec(rest);
    const word = /^[A-Za-z_][A-Za-z0-9_]*(?:-away|~)?/.exec(rest);
    const number = /^\d+(?:\.\d+)?/.exec(rest);
    const symbol = SYMBOLS.find((s) => rest.startsWith(s));
    let token: Token;
    if (verbatim) token = { kind: 'string', text: (verbatim[1] as string).replaceAll('""', '"') };
    else if (escaped) token = { kind: 'string', text: (escaped[1] as string).replace(/\\(.)/g, '$1') };
    else if (date) token = { kind: 'datetime', text: date[1] as string };
    else if (word) token = { kind: 'word', text: word[0] };
    else if (number) token = { kind: 'number', text: number[0] };
    else if (symbol) token = { kind: 'symbol', text: symbol };
    else throw new KqlError(`unsupported character at offset ${at}: ${JSON.stringify(rest.slice(0, 20))}`);
    const length = (verbatim ?? escaped ?? date ?? word ?? number)?.[0].length ?? symbol?.length ?? 1;
    tokens.push(token);
    at += length;
  }
  return tokens;
}

export class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(): Token | undefined {
    return this.tokens[this.at];
  }

  next(): Token {
    const token = this.tokens[this.at++];
    if (!token) throw new KqlError('unexpected end of query');
    return token;
  }

  accept(text: string): boolean {
    if (this.peek()?.text !== text || this.peek()?.kind === 'string') return false;
    this.at++;
    return true;
  }

  expect(text: string): void {
    const token = this.next();
    if (token.text !== text) throw new KqlError(`expected ${text}, got ${token.text}`);
  }

  word(): string {
    const token = this.next();
    if (token.kind !== 'word') throw new KqlError(`expected a name, got ${token.text}`);
    return token.text;
  }

  or(): Expr {
    let left = this.and();
    while (this.accept('or')) left = { kind: 'binary', op: 'or', left, right: this.and() };
    return left;
  }

  private and(): Expr {
    let left = this.comparison();
    while (this.accept('and')) left = { kind: 'binary', op: 'and', left, right: this.comparison() };
    return left;
  }

  private comparison(): Expr {
    const left = this.primary();
    const op = this.peek();
    if (op?.text === 'in' || op?.text === 'in~') {
      this.next();
      this.expect('(');
      const items = [this.primary()];
      while (this.accept(',')) items.push(this.primary());
      this.expect(')');
      return { kind: 'in', op: op.text, left, items };
    }
    if (op && ['==', '!=', '=~', '<', '<=', '>', '>=', 'contains'].includes(op.text) && op.kind !== 'string') {
      this.next();
      return { kind: 'binary', op: op.text, left, right: this.primary() };
    }
    return left;
  }

  primary(): Expr {
    const token = this.next();
    if (token.kind === 'string') return { kind: 'literal', value: token.text };
    if (token.kind === 'number') return { kind: 'literal', value: Number(token.text) };
    if (token.kind === 'datetime') {
      const ms = Date.parse(token.text);
      if (Number.isNaN(ms)) throw new KqlError(`invalid datetime(${token.text})`);
      return { kind: 'literal', value: new Date(ms) };
    }
    if (token.text === '(') {
      const inner = this.or();
      this.expect(')');
      return inner;
    }
    if (token.kind !== 'word') throw new KqlError(`unexpected ${token.text}`);
    if (!this.accept('(')) return { kind: 'column', name: token.text };
    if (!FUNCTIONS.has(token.text)) throw new KqlError(`unsupported function ${token.text}()`);
    const args: Expr[] = [];
    if (!this.accept(')')) {
      do args.push(this.or());
      while (this.accept(','));
      this.expect(')');
    }
    return { kind: 'call', name: token.text, args };
  }
}

const FUNCTIONS = new Set(['ingestion_time', 'tolower', 'tostring', 'strcat', 'column_ifexists']);

/** Kusto's `tostring`: null → "", dynamic → compact JSON, datetime → ISO 8601. */
function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function comparable(value: unknown): number | string {
  return value instanceof Date ? value.getTime() : typeof value === 'number' ? value : text(value);
}

function evaluate(expr: Expr, row: KqlRow): unknown {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'column':
      return row.values.get(expr.name) ?? null;
    case 'call': {
      const args = expr.args.map((arg) => evaluate(arg, row));
      // Rows that were never ingested (a datatable's) have no ingestion time.
      if (expr.name === 'ingestion_time') return Number.isNaN(row.ingestedMs) ? null : new Date(row.ingestedMs);
      if (expr.name === 'tolower') return text(args[0]).toLowerCase();
      if (expr.name === 'tostring') return text(args[0]);
      return args.map(text).join('');
    }
    case 'in': {
      const value = text(evaluate(expr.left, row));
      const fold = (s: string) => (expr.op === 'in~' ? s.toLowerCase() : s);
      return expr.items.some((item) => fold(text(evaluate(item, row))) === fold(value));
    }
    case 'binary': {
      if (expr.op === 'and') return evaluate(expr.left, row) === true && evaluate(expr.right, row) === true;
      if (expr.op === 'or') return evaluate(expr.left, row) === true || evaluate(expr.right, row) === true;
      const left = evaluate(expr.left, row);
      const right = evaluate(expr.right, row);
      if (expr.op === 'contains') return text(left).toLowerCase().includes(text(right).toLowerCase());
      if (expr.op === '=~') return text(left).toLowerCase() === text(right).toLowerCase();
      const [a, b] = [comparable(left), comparable(right)];
      if (expr.op === '==') return a === b;
      if (expr.op === '!=') return a !== b;
      if (expr.op === '<') return a < b;
      if (expr.op === '<=') return a <= b;
      if (expr.op === '>') return a > b;
      return a >= b;
    }
  }
}

function typeOf(expr: Expr, columns: Map<string, KqlType>): KqlType {
  if (expr.kind === 'call') return expr.name === 'ingestion_time' ? 'datetime' : 'string';
  if (expr.kind === 'column') return columns.get(expr.name) ?? 'string';
  if (expr.kind === 'literal') return expr.value instanceof Date ? 'datetime' : 'string';
  return 'bool';
}

/**
 * `column_ifexists(name, default)` is the column when the table has it, else the default: decided
 * from the schema before the expression runs, as Kusto does.
 */
function bind(expr: Expr, columns: Map<string, KqlType>): Expr {
  if (expr.kind === 'call' && expr.name === 'column_ifexists') {
    const [name, fallback] = expr.args;
    if (expr.args.length !== 2 || name?.kind !== 'literal' || typeof name.value !== 'string' || !fallback)
      throw new KqlError('column_ifexists(): expected a column name (string literal) and a default');
    return columns.has(name.value) ? { kind: 'column', name: name.value } : bind(fallback, columns);
  }
  if (expr.kind === 'call') return { ...expr, args: expr.args.map((a) => bind(a, columns)) };
  if (expr.kind === 'binary') return { ...expr, left: bind(expr.left, columns), right: bind(expr.right, columns) };
  if (expr.kind === 'in')
    return { ...expr, left: bind(expr.left, columns), items: expr.items.map((i) => bind(i, columns)) };
  return expr;
}

/** Every column an expression names must exist, as Kusto resolves names before running anything. */
function resolve(expr: Expr, columns: Map<string, KqlType>): void {
  if (expr.kind === 'column' && !columns.has(expr.name))
    throw new KqlError(`Failed to resolve scalar expression named '${expr.name}'`);
  if (expr.kind === 'call') for (const arg of expr.args) resolve(arg, columns);
  if (expr.kind === 'binary') for (const side of [expr.left, expr.right]) resolve(side, columns);
  if (expr.kind === 'in') for (const item of [expr.left, ...expr.items]) resolve(item, columns);
}

/** Runs a query on the workspace's tables; the result keeps the column order of the table, extended. */
export function runKql(query: string, tables: ReadonlyMap<string, KqlTable>): KqlTable {
  return runTokens(tokenize(query), tables);
}

function runTokens(tokens: Token[], tables: ReadonlyMap<string, KqlTable>): KqlTable {
  const [source, ...operators] = splitPipes(tokens);
  const table = tabularSource(source ?? [], tables, runTokens);
  let columns = new Map(table.columns);
  let rows = table.rows.map((row) => ({ values: new Map(row.values), ingestedMs: row.ingestedMs }));
  for (const tokens of operators) {
    const parser = new Parser(tokens);
    const operator = parser.word();
    if (operator === 'where') {
      const predicate = bind(parser.or(), columns);
      resolve(predicate, columns);
      rows = rows.filter((row) => evaluate(predicate, row) === true);
    } else if (operator === 'extend') {
      do {
        const column = parser.word();
        parser.expect('=');
        const expr = bind(parser.or(), columns);
        resolve(expr, columns);
        columns = new Map([...columns, [column, typeOf(expr, columns)]]);
        for (const row of rows) row.values.set(column, evaluate(expr, row));
      } while (parser.accept(','));
    } else if (operator === 'project-away') {
      do {
        const column = parser.word();
        if (!columns.delete(column)) throw new KqlError(`project-away: no column '${column}'`);
        for (const row of rows) row.values.delete(column);
      } while (parser.accept(','));
    } else if (operator === 'order' || operator === 'sort') {
      parser.expect('by');
      const column = parser.word();
      resolve({ kind: 'column', name: column }, columns);
      let direction = -1; // Kusto sorts descending unless told `asc`
      if (parser.accept('asc')) direction = 1;
      else parser.accept('desc');
      const key = (row: KqlRow) => comparable(row.values.get(column));
      rows.sort((x, y) => direction * (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
    } else if (operator === 'take' || operator === 'limit') {
      const count = parser.next();
      if (count.kind !== 'number') throw new KqlError(`take: expected a number, got ${count.text}`);
      rows = rows.slice(0, Number(count.text));
    } else {
      throw new KqlError(`unsupported tabular operator '${operator}'`);
    }
    const rest = parser.peek();
    if (rest) throw new KqlError(`${operator}: unexpected ${rest.text}`);
  }
  return { columns, rows };
}

export function splitPipes(tokens: Token[]): Token[][] {
  const stages: Token[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === 'symbol' && token.text === '(') depth++;
    if (token.kind === 'symbol' && token.text === ')') depth--;
    if (token.kind === 'symbol' && token.text === '|' && depth === 0) stages.push([]);
    else stages.at(-1)?.push(token);
  }
  return stages;
}
