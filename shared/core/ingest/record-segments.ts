import { Buffer } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import type { ScreenedRecord } from './cloudtrail-screen.js';
import { type ElementReader, type JsonChunk, JsonSplitter } from './json-splitter.js';
import { detached, findOpening, OPENING_MAX, recordOpeningText } from './json-tokens.js';

/**
 * A segment of a `{"Records":[…]}` log file: consecutive records, cut at one record's `{`, read by a
 * splitter of its own ({@link JsonSplitter.insideRecords}) on any thread. What it read travels as plain
 * data (structured clone, typed arrays): per record its line, the screen's word and, unless the screen
 * passed it over, its text. Indexes and lines count from the segment's start; `SegmentedSplit` adds
 * where the segment sits in the file once every segment before it is known.
 */
export interface SegmentScan {
  /** Records read. */
  records: number;
  /** Line feeds between the segment's tokens (the file's line count moves by this much). */
  lineFeeds: number;
  /**
   * Whether the segment ends between two records: then the next segment's cut is a record's start, as
   * its reader assumed. Else the cut was not (a `{"eventVersion":` inside a record) and the segments
   * from here on are read again in order.
   */
  betweenRecords: boolean;
  /** Per record: the line its text ends on (1 = the segment's first line). */
  lines: Int32Array;
  /** Per record: {@link SCREENED}, {@link READ_IN_FULL} or {@link UNJUDGED}. */
  kinds: Uint8Array;
  /** Per record: its text, or '' when the screen passed it over. */
  texts: string[];
  /** Per screened record: its coverage (a string table keeps each Region and account once). */
  timeMs: Float64Array;
  regions: Int32Array;
  accounts: Int32Array;
  strings: string[];
  /** The segment's bytes, handed back: a segment whose cut was wrong is read again from them. */
  bytes: Uint8Array;
}

/** The screen passed the record over (its coverage is in the scan). */
const SCREENED = 0;
/** The screen read it and wants it read in full (`screened: null`). */
const READ_IN_FULL = 1;
/** The splitter walked it without the screen (escapes, invalid): the pipeline screens it again. */
const UNJUDGED = 2;

/**
 * Text is decoded and split in pieces of 64 KiB: each piece costs a call, a UTF-8 decode and a splitter
 * step; a piece past V8's 128 KiB regular-object limit would be a large object, which only a full
 * collection frees (256 KiB pieces took 20 % longer than 64 KiB on the bench file, 1 MiB ones twice as long).
 */
export const TEXT_PIECE = 64 << 10;
/** How far past its start a segment's piece may reach for the next record's opening. */
const PIECE_REACH = TEXT_PIECE + (TEXT_PIECE >> 1);

/** Decodes UTF-8 bytes into a splitter, in {@link TEXT_PIECE}s (a character split between calls is kept for the next). */
export function pushBytes(splitter: JsonSplitter, decoder: StringDecoder, bytes: Uint8Array): void {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at < buffer.length; at += TEXT_PIECE) {
    splitter.push(decoder.write(buffer.subarray(at, at + TEXT_PIECE)));
  }
}

/** Reads one segment (whole records, cut at a record's `{`) with the CloudTrail screen as its reader. */
export function scanSegment(bytes: Uint8Array, reader: ElementReader): SegmentScan {
  const reading = new SegmentReading(bytes, reader);
  while (!reading.step());
  return reading.result();
}

/** A segment read a {@link TEXT_PIECE} at a time: on a thread with other work, between its events. */
export class SegmentReading {
  private readonly lines: number[] = [];
  private readonly kinds: number[] = [];
  private readonly texts: string[] = [];
  private readonly timeMs: number[] = [];
  private readonly regions: number[] = [];
  private readonly accounts: number[] = [];
  private readonly strings: string[] = [];
  private readonly ids = new Map<string, number>();
  private readonly splitter: JsonSplitter;
  private readonly decoder = new StringDecoder('utf8');
  private readonly buffer: Buffer;
  /** The bytes that open the segment's first record (it was cut there): where a piece may end. */
  private readonly opening: Buffer | undefined;
  private at = 0;

  constructor(
    private readonly bytes: Uint8Array,
    reader: ElementReader,
  ) {
    this.buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.opening = recordOpening(this.buffer.toString('latin1', 0, OPENING_MAX));
    this.splitter = JsonSplitter.insideRecords((chunk) => this.record(chunk), reader);
  }

  /**
   * Reads the next piece; true once the whole segment is read. A piece ends where the next record
   * opens, when that is near: the splitter then keeps nothing of it, and the next piece is read as
   * decoded instead of joined to a rest (a copy of every piece, and as much young garbage).
   */
  step(): boolean {
    const { buffer, at } = this;
    if (at < buffer.length) {
      let end = at + TEXT_PIECE;
      if (this.opening && end < buffer.length) {
        // Not past half a piece more: a longer piece would be one of V8's large objects.
        const next = findOpening(buffer.subarray(0, at + PIECE_REACH), end, this.opening);
        if (next !== -1) end = next;
      }
      this.splitter.push(this.decoder.write(buffer.subarray(at, end)));
      this.at = end;
    }
    return this.at >= buffer.length;
  }

  result(): SegmentScan {
    return {
      records: this.lines.length,
      lineFeeds: this.splitter.position.line - 1,
      betweenRecords: this.splitter.betweenRecords,
      lines: Int32Array.from(this.lines),
      kinds: Uint8Array.from(this.kinds),
      texts: this.texts,
      timeMs: Float64Array.from(this.timeMs),
      regions: Int32Array.from(this.regions),
      accounts: Int32Array.from(this.accounts),
      strings: this.strings,
      bytes: this.bytes,
    };
  }

  private record(chunk: JsonChunk): void {
    this.lines.push(chunk.line);
    const verdict = chunk.screened;
    if (verdict) {
      this.kinds.push(SCREENED);
      this.texts.push('');
      this.timeMs.push(verdict.timeMs);
      this.regions.push(verdict.region === undefined ? -1 : this.idOf(verdict.region));
      this.accounts.push(this.idOf(verdict.account));
    } else {
      this.kinds.push(verdict === null ? READ_IN_FULL : UNJUDGED);
      // Held until the scan is applied: not the 64 KiB piece it was cut from.
      this.texts.push(detached(chunk.text));
      this.timeMs.push(0);
      this.regions.push(-1);
      this.accounts.push(-1);
    }
  }

  private idOf(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.strings.push(value) - 1;
      this.ids.set(value, id);
    }
    return id;
  }
}

/** The records of a scan as the file's splitter would have handed them, counted from `at`. */
export function* chunksOf(scan: SegmentScan, at: { index: number; line: number }): Generator<JsonChunk> {
  for (let i = 0; i < scan.records; i++) {
    const chunk: JsonChunk = {
      text: scan.texts[i] as string,
      line: at.line + (scan.lines[i] as number) - 1,
      index: at.index + i,
    };
    const kind = scan.kinds[i];
    if (kind === SCREENED) {
      const region = scan.regions[i] as number;
      const screened: ScreenedRecord = {
        timeMs: scan.timeMs[i] as number,
        region: region === -1 ? undefined : scan.strings[region],
        account: scan.strings[scan.accounts[i] as number] as string,
      };
      chunk.screened = screened;
    } else if (kind === READ_IN_FULL) chunk.screened = null;
    yield chunk;
  }
}

/** The bytes that open a record ({@link recordOpeningText}), for cuts searched in bytes. */
export function recordOpening(text: string): Buffer | undefined {
  const opening = recordOpeningText(text);
  return opening === undefined ? undefined : Buffer.from(opening, 'latin1');
}
