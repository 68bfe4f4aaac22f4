import { isCompleteJson } from './json-tokens.js';

/** What a splitter reads: a `{"Records":[…]}` or `{"records":[…]}` file, an array, JSON lines, or one document. */
export type Container = 'Records' | 'records' | 'array' | 'lines' | 'document';

/** The head of a container file: `{` then a quoted key then `:` then `[`. */
const CONTAINER_HEAD = /^\s*\{\s*"(Records|records)"\s*:\s*\[/;
/** All of a text that may still grow into {@link CONTAINER_HEAD} (a pretty-printed file's first piece can end inside it). */
const CONTAINER_HEAD_START = /^\s*\{\s*(?:"(?:[Rr](?:e(?:c(?:o(?:r(?:d(?:s(?:"\s*(?::\s*)?)?)?)?)?)?)?)?)?)?$/;

/**
 * What the text that starts a stream is: its container and where the first element may start; or
 * undefined while more text is needed to tell (unless `final`: the stream has ended).
 */
export function containerOf(text: string, final: boolean): { mode: Container; pos: number } | undefined {
  const head = text.trimStart();
  if (head.length === 0) return final ? { mode: 'lines', pos: 0 } : undefined;
  const container = CONTAINER_HEAD.exec(text);
  if (container) return { mode: container[1] as 'Records' | 'records', pos: container[0].length };
  if (head[0] === '[') return { mode: 'array', pos: text.indexOf('[') + 1 };
  if (!final && CONTAINER_HEAD_START.test(text)) return undefined;
  // `{` could be a pretty-printed single document or the first of many JSON lines; the first line
  // decides: a complete JSON value on line 1 means lines.
  const newline = text.indexOf('\n');
  if (newline === -1 && !final && text.length < 1 << 20) return undefined;
  const firstLine = newline === -1 ? text : text.slice(0, newline);
  return { mode: isCompleteJson(firstLine) ? 'lines' : 'document', pos: 0 };
}
