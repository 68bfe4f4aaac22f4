/**
 * Splits a stream of JSON text into top-level records without holding the whole file:
 * - `{"Records":[…]}` (CloudTrail S3 log file) and `{"records":[…]}` (Event Hub batch): each element;
 * - `[…]`: each element;
 * - JSON lines: each line;
 * - anything else: the whole text as one document (pretty-printed single events).
 *
 * A 50 MB gzipped CloudTrail file inflates past V8's largest string, so a container file is never
 * parsed in one piece: the splitter finds element boundaries by scanning structure only (strings are
 * skipped with indexOf, which is native) and hands each element's text to JSON.parse.
 */

import type { ScreenedRecord } from './cloudtrail-screen.js';
import { type Container, containerOf } from './json-container.js';
import { detached, findOpening, findStringEnd, recordOpeningText } from './json-tokens.js';

export type { Container } from './json-container.js';

/** One element's text and where it sat: 1-based line, 0-based index inside its container. */
export interface JsonChunk {
  text: string;
  line: number;
  index: number;
  /** The CloudTrail screen's word on a log-file record it read: its coverage, or null (read it in full). */
  screened?: ScreenedRecord | null;
}

/**
 * Reads a whole element of a `{"Records":[…]}` file in one scan and judges it (the CloudTrail screen),
 * instead of the splitter's structural walk: `read` returns where the element ends, -2 when the text
 * ends inside it, -1 to let the walk do it.
 */
export interface ElementReader {
  read(text: string, from: number): number;
  readonly verdict: ScreenedRecord | null;
  /** Line feeds outside strings in the element just read. */
  readonly newlines: number;
}

export class JsonSplitter {
  private buffer = '';
  private mode: Container | undefined;
  /** Scan position inside `buffer` for container modes. */
  private pos = 0;
  private depth = 0;
  private elementStart = -1;
  private index = 0;
  private line = 1;
  private finishedArray = false;
  /** After the container's array: true once the enclosing object's `}` has been passed. */
  private closedObject = false;
  /** Depth inside the enclosing object after its array (other keys' values). */
  private tailDepth = 0;
  /** What opens the container's first object element (null: nothing usable): see {@link push}. */
  private opening: string | null | undefined;

  constructor(
    private readonly onChunk: (chunk: JsonChunk) => void,
    private readonly reader?: ElementReader,
  ) {}

  get container(): Container | undefined {
    return this.mode;
  }

  /** What opens the container's first object element, once it is read (null: nothing usable). */
  get recordOpening(): string | null | undefined {
    return this.opening;
  }

  /**
   * A splitter that starts between two elements of a `{"Records":[…]}` array: for a segment of a log
   * file cut at an element's `{` (`SegmentedSplit`), its indexes and lines counted from 0 and 1.
   */
  static insideRecords(onChunk: (chunk: JsonChunk) => void, reader?: ElementReader): JsonSplitter {
    const splitter = new JsonSplitter(onChunk, reader);
    splitter.mode = 'Records';
    return splitter;
  }

  /**
   * Whether the text so far ends between two elements of a `{"Records":[…]}` array: every element read,
   * nothing but commas and whitespace after the last. A segment cut there can be read by a splitter of
   * its own ({@link insideRecords}) and gives what this one would.
   */
  get betweenRecords(): boolean {
    return (
      this.mode === 'Records' &&
      !this.finishedArray &&
      this.depth === 0 &&
      this.elementStart === -1 &&
      this.buffer.slice(this.pos).trim() === ''
    );
  }

  /** Where the next element is counted: its index in the container and the line the text is at. */
  get position(): { index: number; line: number } {
    return { index: this.index, line: this.line };
  }

  /** Counts a segment another splitter read ({@link insideRecords}), between two elements only. */
  skip(elements: number, lineFeeds: number): void {
    if (!this.betweenRecords) throw new Error('JsonSplitter.skip: not between two records');
    this.index += elements;
    this.line += lineFeeds;
  }

  /**
   * More text. An element left unfinished by the text before is joined to this text's head only, up to
   * where the next record opens: the rest is read as it came, not copied into one joined string.
   */
  push(text: string): void {
    const head = this.buffer === '' || !this.opening ? -1 : findOpening(text, 0, this.opening);
    if (head > 0) {
      this.take(text.slice(0, head));
      this.take(text.slice(head));
    } else this.take(text);
  }

  private take(text: string): void {
    this.buffer += text;
    if (this.mode === undefined && !this.decideMode(false)) return;
    this.drain(false);
  }

  end(): void {
    if (this.mode === undefined) this.decideMode(true);
    this.drain(true);
  }

  /** Needs enough text to tell a container from a single document or lines. */
  private decideMode(final: boolean): boolean {
    const decided = containerOf(this.buffer, final);
    if (decided) [this.mode, this.pos] = [decided.mode, decided.pos];
    return decided !== undefined;
  }

  private drain(final: boolean): void {
    if (this.mode === 'lines') this.drainLines(final);
    else if (this.mode === 'document') {
      if (final) this.emitDocument();
    } else if (this.mode !== undefined) {
      this.drainContainer(final);
      if (this.finishedArray) this.drainAfterContainer(final);
    }
  }

  /**
   * What follows a container's array: the rest of its object, then possibly more documents — JSON lines
   * of `{"records":[…]}` batches (Event Hub captures, concatenated exports). Those are read as a new
   * stream, never dropped.
   */
  private drainAfterContainer(final: boolean): void {
    const buf = this.buffer;
    let i = this.pos;
    while (i < buf.length && !this.closedObject) {
      const c = buf.charCodeAt(i);
      if (c === 0x22 /* " */) {
        const close = findStringEnd(buf, i + 1);
        if (close === -1) break;
        i = close + 1;
        continue;
      }
      if (c === 0x7b || c === 0x5b) this.tailDepth++;
      else if (c === 0x7d || c === 0x5d) {
        if (this.tailDepth === 0) this.closedObject = true;
        else this.tailDepth--;
      } else if (c === 0x0a) this.line++;
      i++;
    }
    this.buffer = buf.slice(i);
    this.pos = 0;
    if (!this.closedObject) return;
    // Whitespace between documents: counted as lines, then dropped.
    const gap = /^\s*/.exec(this.buffer)?.[0] ?? '';
    this.line += gap.split('\n').length - 1;
    this.buffer = this.buffer.slice(gap.length);
    if (this.buffer === '') return;
    // Another document follows: start over on the rest, line numbers continuing.
    this.mode = undefined;
    this.finishedArray = false;
    this.closedObject = false;
    this.tailDepth = 0;
    this.depth = 0;
    this.elementStart = -1;
    if (this.decideMode(final)) this.drain(final);
  }

  private drainLines(final: boolean): void {
    let start = 0;
    for (;;) {
      const newline = this.buffer.indexOf('\n', start);
      if (newline === -1) break;
      this.emitLine(this.buffer.slice(start, newline));
      start = newline + 1;
    }
    this.buffer = detached(this.buffer.slice(start));
    if (final && this.buffer.length > 0) {
      this.emitLine(this.buffer);
      this.buffer = '';
    }
  }

  private emitLine(raw: string): void {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim() !== '') this.onChunk({ text, line: this.line, index: this.index++ });
    this.line++;
  }

  private emitDocument(): void {
    if (this.buffer.trim() !== '') this.onChunk({ text: this.buffer, line: 1, index: 0 });
    this.buffer = '';
  }

  /** Walks structure between strings; emits each depth-0 element of the container array. */
  private drainContainer(final: boolean): void {
    const buf = this.buffer;
    let i = this.pos;
    const n = buf.length;
    while (i < n && !this.finishedArray) {
      const c = buf.charCodeAt(i);
      if (c === 0x22 /* " */) {
        const close = findStringEnd(buf, i + 1);
        if (close === -1) break; // string continues in the next chunk
        if (this.elementStart === -1) this.elementStart = i;
        i = close + 1;
        continue;
      }
      if (c === 0x7b /* { */ && this.depth === 0 && this.reader !== undefined && this.mode === 'Records') {
        const end = this.reader.read(buf, i);
        if (end === -2 && !final) break; // the record continues in the next piece: read it again then
        if (end >= 0) {
          if (this.opening === undefined) this.opening = recordOpeningText(buf.slice(i, end)) ?? null;
          this.line += this.reader.newlines;
          this.onChunk({
            text: buf.slice(i, end),
            line: this.line,
            index: this.index++,
            screened: this.reader.verdict,
          });
          i = end;
          continue;
        }
      }
      if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
        if (this.depth === 0) this.elementStart = i;
        this.depth++;
      } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
        if (this.depth === 0) {
          if (c === 0x5d) this.flushScalar(buf, i);
          this.finishedArray = true;
          i++;
          break;
        }
        this.depth--;
        if (this.depth === 0) {
          this.emitElement(buf, this.elementStart, i + 1);
          this.elementStart = -1;
        }
      } else if (c === 0x2c /* , */ && this.depth === 0) {
        this.flushScalar(buf, i);
      } else if (c === 0x0a /* \n */) {
        this.line++;
      } else if (this.depth === 0 && this.elementStart === -1 && c > 0x20) {
        this.elementStart = i; // a scalar element (number, true, null): kept so it is reported, not lost
      }
      i++;
    }
    // Keep only the unfinished element; everything before it has been emitted.
    const keepFrom = this.elementStart === -1 ? i : Math.min(this.elementStart, i);
    this.buffer = detached(buf.slice(keepFrom));
    this.pos = i - keepFrom;
    if (this.elementStart !== -1) this.elementStart -= keepFrom;
    if (final && !this.finishedArray && this.buffer.trim() !== '') {
      this.onChunk({ text: this.buffer, line: this.line, index: this.index++ }); // truncated file: JSON.parse reports it
      this.buffer = '';
    }
  }

  private flushScalar(buf: string, end: number): void {
    if (this.depth === 0 && this.elementStart !== -1) {
      this.emitElement(buf, this.elementStart, end);
      this.elementStart = -1;
    }
  }

  private emitElement(buf: string, start: number, end: number): void {
    const text = buf.slice(start, end).trim();
    if (this.opening === undefined && text.startsWith('{')) this.opening = recordOpeningText(text) ?? null;
    if (text !== '') this.onChunk({ text, line: this.line, index: this.index++ });
  }
}
