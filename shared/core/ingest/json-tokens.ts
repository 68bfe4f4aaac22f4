/** JSON's tokens as the splitter and the validating scan (json-scan.ts) read them: numbers, literals, whitespace, strings. */

/** The literals a value may be, and what a text cut inside one is a prefix of. */
export const LITERALS = ['true', 'false', 'null'];

/** `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` from `i`: where it ends, or -1. */
export function endOfNumber(text: string, from: number): number {
  let i = from;
  if (text.charCodeAt(i) === 0x2d) i++;
  if (text.charCodeAt(i) === 0x30) i++;
  else {
    const digits = i;
    i = endOfDigits(text, i);
    if (i === digits) return -1;
  }
  if (text.charCodeAt(i) === 0x2e) {
    const digits = ++i;
    i = endOfDigits(text, i);
    if (i === digits) return -1;
  }
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    i++;
    const sign = text.charCodeAt(i);
    if (sign === 0x2b || sign === 0x2d) i++;
    const digits = i;
    i = endOfDigits(text, i);
    if (i === digits) return -1;
  }
  return i;
}

function endOfDigits(text: string, from: number): number {
  let i = from;
  let c = text.charCodeAt(i);
  while (c >= 0x30 && c <= 0x39) c = text.charCodeAt(++i);
  return i;
}

export function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Index of the closing quote of a string whose body starts at `from`, or -1 if not in this text. */
export function findStringEnd(text: string, from: number): number {
  let i = from;
  for (;;) {
    const q = text.indexOf('"', i);
    if (q === -1) return -1;
    let backslashes = 0;
    for (let j = q - 1; j >= from && text.charCodeAt(j) === 0x5c; j--) backslashes++;
    if (backslashes % 2 === 0) return q;
    i = q + 1;
  }
}

/** Whether the text is one whole JSON value. */
export function isCompleteJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * `text` in a string of its own. V8 keeps a slice of 13 or more characters as a view of the string it
 * was cut from: a record's text, or the unread rest of a 64 KiB piece, would hold the whole piece, and a
 * piece held past two young-generation collections moves to the old generation, which only a full
 * collection frees (bench replay: ~40 MB of pieces a run, and the full collections with them).
 */
export function detached(text: string): string {
  // A concatenation is a cons string; slicing one flattens it into a new string, then views that.
  return text.length < 13 ? text : ` ${text}`.slice(1);
}

/** The longest opening {@link recordOpeningText} takes, in characters (ASCII: bytes too). */
export const OPENING_MAX = 65;

/**
 * What opens a record, from its text: `{` up to its first key's colon (`{"eventVersion":`), when short
 * and plain ASCII (searched in bytes as in text); else undefined. Where a reader guesses records start.
 */
export function recordOpeningText(text: string): string | undefined {
  const colon = text.indexOf(':');
  if (!text.startsWith('{') || colon < 3 || colon >= OPENING_MAX) return undefined;
  const opening = text.slice(0, colon + 1);
  return /^\{\s*"[\x20-\x21\x23-\x5b\x5d-\x7e]+"\s*:$/.test(opening) ? opening : undefined;
}

/**
 * Where `opening` next follows a comma (whitespace between), at or after `from`, in text or in its
 * bytes; -1 when nowhere. A guess at a record's start: inside a record the same text can open a nested
 * object, which only reading the text before tells.
 */
export function findOpening(text: string | Buffer, from: number, opening: string | Buffer): number {
  const codeAt = typeof text === 'string' ? (i: number) => text.charCodeAt(i) : (i: number) => text[i] as number;
  for (let at = from; ; ) {
    const found = text.indexOf(opening as string, at);
    if (found === -1) return -1;
    let before = found - 1;
    while (before >= 0 && isSpace(codeAt(before))) before--;
    if (before >= 0 && codeAt(before) === 0x2c /* , */) return found;
    at = found + 1;
  }
}
