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
