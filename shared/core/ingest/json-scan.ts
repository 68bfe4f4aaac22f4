import { endOfNumber, isSpace, LITERALS } from './json-tokens.js';

/**
 * A validating scan of one JSON object that builds nothing: it accepts exactly the texts JSON.parse
 * accepts (RFC 8259 grammar), checks the types of the fields a {@link Shape} names, and records where
 * the top-level fields it is asked for sit in the text. Strings are taken as closed by the next quote,
 * so it is only used on texts without backslashes; it does not look for the raw control characters
 * JSON forbids inside strings. What the CloudTrail screen uses instead of JSON.parse, in one pass.
 */

/** `scalar`: string, number, boolean or null; `object` / `array`: that or null; a record: an object (or null) whose fields have these shapes. */
export type Shape = 'scalar' | 'object' | 'array' | { readonly [field: string]: Shape };

/** The kind of a value found (or {@link ABSENT}). */
export const ABSENT = 0;
export const STRING = 1;
export const NUMBER = 2;
export const BOOLEAN = 3;
export const NULL = 4;
export const OBJECT = 5;
export const ARRAY = 6;

/*
 * The compiled shape's nodes are classes, not object literals: with literals, the s3-log-files handler's
 * second object in a warm Lambda container went through thousands of deoptimizations of the key lookup
 * ("insufficient type feedback", V8 13.6, Node 24) and took 1.8x the time (bench lambda-s3, warm).
 */
class CompiledField {
  constructor(
    readonly name: string,
    readonly shape: Shape,
    readonly record: CompiledRecord | undefined,
    readonly top: number,
  ) {}
}

/** The fields of one name length, by the character at `at`: the position that tells them apart best. */
class FieldBucket {
  constructor(
    readonly at: number,
    readonly byChar: (CompiledField[] | undefined)[],
  ) {}
}

/**
 * A record shape compiled for lookups without slicing keys: fields by name length, then by the character
 * at the position that tells the names of that length apart best (most keys of a record are in no shape:
 * one character rejects them).
 */
class CompiledRecord {
  readonly byLength: (FieldBucket | undefined)[] = [];
}

const MAX_DEPTH = 64;

// What the scan expects next.
const VALUE = 0;
const VALUE_OR_CLOSE = 1; // after [
const KEY = 2; // after , in an object
const KEY_OR_CLOSE = 3; // after {
const COLON = 4;
const COMMA_OR_CLOSE = 5;

export class JsonScan {
  private readonly root: CompiledRecord;
  /** Wanted top-level fields: kind, and where the value (a string's content) starts and ends. */
  private readonly kinds: Uint8Array;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly ids = new Map<string, number>();
  /** Per depth: 1 object, 2 array; and the record shape of each open object (if any). */
  private readonly containers = new Uint8Array(MAX_DEPTH + 1);
  private readonly records: (CompiledRecord | undefined)[] = new Array(MAX_DEPTH + 1).fill(undefined);

  constructor(shape: { readonly [field: string]: Shape }, wanted: readonly string[]) {
    for (const [i, name] of wanted.entries()) this.ids.set(name, i);
    this.kinds = new Uint8Array(wanted.length);
    this.starts = new Int32Array(wanted.length);
    this.ends = new Int32Array(wanted.length);
    const top: { [field: string]: Shape } = { ...shape };
    for (const name of wanted) top[name] ??= 'any' as Shape;
    this.root = this.compile(top, true);
  }

  /** The index of a wanted top-level field, for {@link kind}, {@link start}, {@link end}. */
  id(name: string): number {
    const id = this.ids.get(name);
    if (id === undefined) throw new Error(`JsonScan: ${name} was not asked for`);
    return id;
  }

  kind(id: number): number {
    return this.kinds[id] as number;
  }

  start(id: number): number {
    return this.starts[id] as number;
  }

  end(id: number): number {
    return this.ends[id] as number;
  }

  /** Line feeds between the tokens of the object last read by {@link objectAt}. */
  newlines = 0;

  /**
   * True when `text` is one valid JSON object whose fields fit the shape (deeper than 64 levels: false);
   * then {@link kind}/{@link start}/{@link end} tell where each wanted top-level field is (the last one
   * of a duplicated key, as in JSON.parse).
   */
  read(text: string): boolean {
    let from = 0;
    while (isSpace(text.charCodeAt(from))) from++;
    let end = this.objectAt(text, from);
    if (end < 0) return false;
    while (isSpace(text.charCodeAt(end))) end++;
    return end === text.length;
  }

  /**
   * Reads the object that starts at `from` (its `{`): the index just past its `}` when it is valid JSON
   * whose fields fit the shape; -2 when `text` ends inside it (more text may complete it); -1 otherwise.
   */
  objectAt(text: string, from: number): number {
    this.kinds.fill(ABSENT);
    this.newlines = 0;
    if (text.charCodeAt(from) !== 0x7b) return -1;
    const n = text.length;
    let i = from;
    let depth = 0;
    let expect = VALUE;
    // The field whose value comes next, when its shape is checked or its place recorded.
    let field: CompiledField | undefined;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        if (c === 0x0a) this.newlines++;
        i++;
        continue;
      }
      let kind = 0;
      const start = i;
      switch (expect) {
        case VALUE:
        case VALUE_OR_CLOSE:
          if (c === 0x22) {
            const close = text.indexOf('"', i + 1);
            if (close === -1) return -2;
            i = close + 1;
            kind = STRING;
          } else if (c === 0x7b || c === 0x5b) {
            if (depth === MAX_DEPTH) return -1;
            if (field !== undefined && !fits(field.shape, c === 0x7b ? OBJECT : ARRAY)) return -1;
            if (field?.top !== undefined && field.top >= 0) this.kinds[field.top] = c === 0x7b ? OBJECT : ARRAY;
            depth++;
            this.containers[depth] = c === 0x7b ? 1 : 2;
            this.records[depth] = depth === 1 ? this.root : c === 0x7b ? field?.record : undefined;
            expect = c === 0x7b ? KEY_OR_CLOSE : VALUE_OR_CLOSE;
            field = undefined;
            i++;
            continue;
          } else if (c === 0x5d && expect === VALUE_OR_CLOSE) {
            i++;
            depth--;
            expect = COMMA_OR_CLOSE;
            continue;
          } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
            const end = endOfNumber(text, i);
            // A number at the end of the text may go on in the next piece.
            if (end === n || (end === -1 && /^[-+.\deE]*$/.test(text.slice(i)))) return -2;
            if (end === -1) return -1;
            i = end;
            kind = NUMBER;
          } else if (text.startsWith('true', i) || text.startsWith('null', i)) {
            i += 4;
            kind = c === 0x6e ? NULL : BOOLEAN;
          } else if (text.startsWith('false', i)) {
            i += 5;
            kind = BOOLEAN;
          } else return n - i < 5 && LITERALS.some((word) => word.startsWith(text.slice(i))) ? -2 : -1;
          if (field !== undefined) {
            if (!this.settle(field, kind, kind === STRING ? start + 1 : start, kind === STRING ? i - 1 : i)) return -1;
            field = undefined;
          }
          expect = COMMA_OR_CLOSE;
          continue;
        case KEY:
        case KEY_OR_CLOSE: {
          if (c === 0x7d && expect === KEY_OR_CLOSE) {
            i++;
            depth--;
            if (depth === 0) return i;
            expect = COMMA_OR_CLOSE;
            continue;
          }
          if (c !== 0x22) return -1;
          const close = text.indexOf('"', i + 1);
          if (close === -1) return -2;
          const record = this.records[depth];
          field = record === undefined ? undefined : lookup(record, text, i + 1, close - i - 1);
          i = close + 1;
          // Compact JSON (CloudTrail's): `"key":"value",` read in one turn, the next key's quote next.
          if (text.charCodeAt(i) !== 0x3a) {
            expect = COLON;
            continue;
          }
          i++;
          if (text.charCodeAt(i) !== 0x22) {
            expect = VALUE;
            continue;
          }
          const end = text.indexOf('"', i + 1);
          if (end === -1) return -2;
          if (field !== undefined) {
            if (!this.settle(field, STRING, i + 1, end)) return -1;
            field = undefined;
          }
          i = end + 1;
          if (text.charCodeAt(i) === 0x2c && text.charCodeAt(i + 1) === 0x22) {
            i++;
            expect = KEY;
          } else expect = COMMA_OR_CLOSE;
          continue;
        }
        case COLON:
          if (c !== 0x3a) return -1;
          i++;
          expect = VALUE;
          continue;
        default: // COMMA_OR_CLOSE
          i++;
          if (c === 0x2c) expect = this.containers[depth] === 1 ? KEY : VALUE;
          else if (c === (this.containers[depth] === 1 ? 0x7d : 0x5d)) {
            depth--;
            if (depth === 0) return i;
          } else return -1;
          continue;
      }
    }
    return -2;
  }

  /** A field's value read: false when the shape refuses its kind, else recorded when wanted. */
  private settle(field: CompiledField, kind: number, start: number, end: number): boolean {
    if (!fits(field.shape, kind)) return false;
    if (field.top >= 0) {
      this.kinds[field.top] = kind;
      this.starts[field.top] = start;
      this.ends[field.top] = end;
    }
    return true;
  }

  private compile(shape: { readonly [field: string]: Shape }, top: boolean): CompiledRecord {
    const byLength = new Map<number, CompiledField[]>();
    for (const [name, fieldShape] of Object.entries(shape)) {
      byLength.set(name.length, [
        ...(byLength.get(name.length) ?? []),
        new CompiledField(
          name,
          fieldShape,
          typeof fieldShape === 'object' ? this.compile(fieldShape, false) : undefined,
          top ? (this.ids.get(name) ?? -1) : -1,
        ),
      ]);
    }
    const compiled = new CompiledRecord();
    for (const [length, fields] of byLength) {
      const distinct = (at: number) => new Set(fields.map((f) => f.name.charCodeAt(at))).size;
      let at = 0;
      for (let i = 1; i < length; i++) if (distinct(i) > distinct(at)) at = i;
      const byChar: (CompiledField[] | undefined)[] = [];
      for (const field of fields) {
        const c = field.name.charCodeAt(at);
        byChar[c] = [...(byChar[c] ?? []), field];
      }
      compiled.byLength[length] = new FieldBucket(at, byChar);
    }
    return compiled;
  }
}

/** The field named by `text[from, from + length)`, without slicing it. */
function lookup(record: CompiledRecord, text: string, from: number, length: number): CompiledField | undefined {
  const bucket = record.byLength[length];
  if (bucket === undefined) return undefined;
  const fields = bucket.byChar[text.charCodeAt(from + bucket.at)];
  if (fields === undefined) return undefined;
  for (const field of fields) if (text.startsWith(field.name, from)) return field;
  return undefined;
}

function fits(shape: Shape | 'any', kind: number): boolean {
  if (kind === NULL || shape === 'any') return true;
  if (shape === 'scalar') return kind !== OBJECT && kind !== ARRAY;
  if (shape === 'array') return kind === ARRAY;
  return kind === OBJECT;
}
