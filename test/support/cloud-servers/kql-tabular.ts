import { KqlError, type KqlRow, type KqlTable, type KqlType, Parser, type Token } from './kql.js';

/**
 * The tabular expressions a query may start with, as Kusto documents them:
 * - a table name;
 * - `datatable(Name: type, …) [value, …]` (learn.microsoft.com/kusto/query/datatable-operator): a
 *   literal table, its values row by row; its rows have no ingestion time (`ingestion_time()` is null);
 * - `( query )`: any query in parentheses;
 * - `union [kind=outer|inner] [isfuzzy=true|false] T, …` (learn.microsoft.com/kusto/query/union-operator):
 *   the rows of every operand. `outer` (the default) has every column of every operand, null where an
 *   operand lacks it; a name the operands give different types is split into `Name_type` columns;
 *   `inner` keeps only the columns all operands share. An operand table the workspace does not have is
 *   an error, unless `isfuzzy=true`, which skips it (at least one operand must resolve).
 * Anything else (`withsource=`, wildcards) is a {@link KqlError}.
 */

type Run = (tokens: Token[], tables: ReadonlyMap<string, KqlTable>) => KqlTable;

const TYPES: Readonly<Record<string, KqlType>> = {
  string: 'string',
  datetime: 'datetime',
  dynamic: 'dynamic',
  long: 'long',
  int: 'long',
  real: 'real',
  double: 'real',
  bool: 'bool',
  boolean: 'bool',
};

export function tabularSource(tokens: Token[], tables: ReadonlyMap<string, KqlTable>, run: Run): KqlTable {
  const [first] = tokens;
  if (first?.kind === 'word' && first.text === 'union') return union(tokens.slice(1), tables, run);
  const table = operand(tokens, tables, run);
  if (!table) throw new KqlError(`Failed to resolve table expression named '${first?.text ?? '(none)'}'`);
  return table;
}

/** A table name, a datatable or a parenthesized query; undefined for a table the workspace lacks. */
function operand(tokens: Token[], tables: ReadonlyMap<string, KqlTable>, run: Run): KqlTable | undefined {
  const [first] = tokens;
  const last = tokens.at(-1);
  if (tokens.length === 1 && first?.kind === 'word') return tables.get(first.text);
  if (first?.kind === 'word' && first.text === 'datatable') return datatable(tokens.slice(1));
  if (first?.kind === 'symbol' && first.text === '(' && last?.kind === 'symbol' && last.text === ')' && closes(tokens))
    return run(tokens.slice(1, -1), tables);
  const shown = tokens
    .map((t) => t.text)
    .join(' ')
    .slice(0, 60);
  throw new KqlError(`unsupported tabular expression: ${shown}`);
}

/** True when the opening parenthesis is closed by the last token (not `(a) | (b)`-like). */
function closes(tokens: Token[]): boolean {
  let depth = 0;
  for (const [i, token] of tokens.entries()) {
    if (token.kind !== 'symbol') continue;
    if (token.text === '(') depth++;
    if (token.text === ')' && --depth === 0) return i === tokens.length - 1;
  }
  return false;
}

function datatable(tokens: Token[]): KqlTable {
  const parser = new Parser(tokens);
  parser.expect('(');
  const columns = new Map<string, KqlType>();
  do {
    const name = parser.word();
    parser.expect(':');
    const typeName = parser.word();
    const type = TYPES[typeName];
    if (!type) throw new KqlError(`datatable: unsupported type ${typeName}`);
    columns.set(name, type);
  } while (parser.accept(','));
  parser.expect(')');
  parser.expect('[');
  const values: unknown[] = [];
  if (!parser.accept(']')) {
    do values.push(literal(parser));
    while (parser.accept(','));
    parser.expect(']');
  }
  if (parser.peek()) throw new KqlError(`datatable: unexpected ${parser.peek()?.text}`);
  const names = [...columns.keys()];
  if (values.length % names.length !== 0)
    throw new KqlError(`datatable: ${values.length} values do not fill rows of ${names.length} columns`);
  const rows: KqlRow[] = [];
  for (let at = 0; at < values.length; at += names.length) {
    rows.push({ values: new Map(names.map((n, i) => [n, values[at + i]])), ingestedMs: Number.NaN });
  }
  return { columns, rows };
}

function literal(parser: Parser): unknown {
  const token = parser.peek();
  if (token?.kind === 'word' && (token.text === 'true' || token.text === 'false')) {
    parser.next();
    return token.text === 'true';
  }
  const expr = parser.primary();
  if (expr.kind !== 'literal') throw new KqlError('datatable: values must be literals');
  return expr.value;
}

function union(tokens: Token[], tables: ReadonlyMap<string, KqlTable>, run: Run): KqlTable {
  let at = 0;
  let kind = 'outer';
  let fuzzy = false;
  while (tokens[at]?.kind === 'word' && tokens[at + 1]?.text === '=') {
    const name = tokens[at]?.text;
    const value = tokens[at + 2]?.text;
    if (name === 'kind' && (value === 'outer' || value === 'inner')) kind = value;
    else if (name === 'isfuzzy' && (value === 'true' || value === 'false')) fuzzy = value === 'true';
    else throw new KqlError(`union: unsupported parameter ${name}=${value}`);
    at += 3;
  }
  const inputs: KqlTable[] = [];
  for (const part of splitCommas(tokens.slice(at))) {
    const table = operand(part, tables, run);
    if (table) inputs.push(table);
    else if (!fuzzy) throw new KqlError(`Failed to resolve table expression named '${part[0]?.text}'`);
  }
  if (inputs.length === 0) throw new KqlError('union: no operand could be resolved');
  return merge(inputs, kind === 'inner');
}

/** The operands' columns by name; a name with several types becomes one `Name_type` column per type. */
function merge(inputs: readonly KqlTable[], inner: boolean): KqlTable {
  const types = new Map<string, Set<KqlType>>();
  for (const input of inputs) {
    for (const [name, type] of input.columns) types.set(name, (types.get(name) ?? new Set()).add(type));
  }
  const outName = (name: string, type: KqlType) => ((types.get(name)?.size ?? 0) > 1 ? `${name}_${type}` : name);
  const columns = new Map<string, KqlType>();
  for (const input of inputs) for (const [name, type] of input.columns) columns.set(outName(name, type), type);
  if (inner) {
    for (const name of [...columns.keys()]) {
      const everywhere = inputs.every((input) => [...input.columns].some(([n, t]) => outName(n, t) === name));
      if (!everywhere) columns.delete(name);
    }
  }
  const rows = inputs.flatMap((input) =>
    input.rows.map((row): KqlRow => {
      // Cells an operand does not define are null.
      const values = new Map<string, unknown>([...columns.keys()].map((name) => [name, null]));
      for (const [name, type] of input.columns) {
        const out = outName(name, type);
        if (columns.has(out)) values.set(out, row.values.get(name) ?? null);
      }
      return { values, ingestedMs: row.ingestedMs };
    }),
  );
  return { columns, rows };
}

function splitCommas(tokens: Token[]): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === 'symbol' && (token.text === '(' || token.text === '[')) depth++;
    if (token.kind === 'symbol' && (token.text === ')' || token.text === ']')) depth--;
    if (token.kind === 'symbol' && token.text === ',' && depth === 0) parts.push([]);
    else parts.at(-1)?.push(token);
  }
  return parts;
}
