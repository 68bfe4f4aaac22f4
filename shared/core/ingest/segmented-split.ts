import { Buffer } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import { type Container, type ElementReader, type JsonChunk, JsonSplitter } from './json-splitter.js';
import { findOpening } from './json-tokens.js';
import { chunksOf, pushBytes, SegmentReading, type SegmentScan } from './record-segments.js';

/** Reads segments on other threads (`scanSegment` there), in any order. */
export interface SegmentScanner {
  /**
   * The segment's scan to come; or undefined, unless `mustTake`, when the other threads are loading or
   * already have enough to do (it is then read here, between this thread's other work).
   */
  scan(bytes: Uint8Array, mustTake: boolean): Promise<SegmentScan> | undefined;
}

export interface SegmentSizes {
  /** A segment is cut at the first record start past this many bytes. */
  segmentBytes: number;
  /** Segments read ahead of the one applied next. */
  ahead: number;
}

/**
 * Segments of ~1 MiB: handing one to a thread is noise, and the threads stay busy with memory flat
 * (four read ahead).
 */
const SIZES: SegmentSizes = { segmentBytes: 1 << 20, ahead: 4 };

/** A CloudTrail record is at most a few hundred KiB: past this much beyond the segment size, read in order. */
const RECORD_ROOM = 256 << 10;
/** Segment buffers kept for reuse (a few: each buffer comes back when its scan is applied). */
const SPARE = 2;

interface Segment {
  scanning: Promise<SegmentScan>;
  scan?: SegmentScan;
}

/**
 * The CloudTrail log-file reader for more than one thread: the same chunks in the same order as one
 * JsonSplitter over the whole text (the pipeline cannot tell them apart), while the file's records are
 * split and screened on other threads. The inflated bytes are cut into segments at guessed record
 * starts; each segment is read on another thread, or here while none has loaded or they have enough to
 * do; the scans are applied in file order, each one's indexes and lines counted on from the file's
 * splitter. A guess is proven by the segment before it ending between two records; when it does not,
 * that segment and every one after it are read again, in order, by the file's splitter. Anything but a
 * `{"Records":[…]}` file goes through that splitter alone, as do the file's head and tail.
 */
export class SegmentedSplit {
  private readonly splitter: JsonSplitter;
  private readonly decoder = new StringDecoder('utf8');
  /** The bytes gathered since the last cut, in a buffer of its own (it moves to the thread reading it). */
  private gathered: Buffer;
  private filled = 0;
  /** Segment buffers back from their scans, reused: a fresh buffer for every segment made V8 collect often. */
  private readonly spare: ArrayBuffer[] = [];
  private readonly segments: Segment[] = [];
  /** Whether the file's splitter stands at the start of the next segment (every cut so far proven). */
  private cutting = false;
  /** Whether a segment is being read on this thread (one at a time, between its other work). */
  private readingHere = false;

  constructor(
    private readonly onChunk: (chunk: JsonChunk, container: Container) => void,
    private readonly reader: ElementReader,
    private readonly scanner: SegmentScanner,
    private readonly sizes: SegmentSizes = SIZES,
  ) {
    this.splitter = new JsonSplitter((chunk) => {
      onChunk(chunk, this.splitter.container ?? 'document');
    }, reader);
    this.gathered = this.buffer();
  }

  /**
   * What opens the first record of a `{"Records":[…]}` file, once its splitter has read it: what a cut
   * looks for (null: nothing usable; plain ASCII, so the same in bytes).
   */
  private get opening(): string | null | undefined {
    return this.splitter.container === 'Records' ? this.splitter.recordOpening : undefined;
  }

  /** More of the inflated file. */
  async push(piece: Buffer): Promise<void> {
    for (let at = 0; at < piece.length; ) {
      if (!this.opening && !this.cutting) {
        // The head of the file (until its first record is read), or a file that cannot be cut: in order.
        pushBytes(this.splitter, this.decoder, piece.subarray(at));
        return;
      }
      const copied = piece.copy(this.gathered, this.filled, at);
      this.filled += copied;
      at += copied;
      while (this.filled >= this.sizes.segmentBytes && (await this.cut()));
      if (this.filled === this.gathered.length) {
        // No record start in all of it (one huge record, or a wrong guess of how records open): in order.
        await this.inOrder(this.gathered.subarray(0, this.filled));
        this.filled = 0;
      }
    }
  }

  /** The end of the file: every segment applied, then the rest read by the file's splitter. */
  async end(): Promise<void> {
    await this.readGathered();
    this.splitter.push(this.decoder.end());
    this.splitter.end();
  }

  /**
   * The stream failed (a truncated gzip, a read error): every record whole in what arrived is read, as
   * one splitter fed piece by piece would have read it, before the failure is reported.
   */
  async abort(): Promise<void> {
    await this.readGathered();
  }

  private async readGathered(): Promise<void> {
    await this.inOrder(this.gathered.subarray(0, this.filled));
    this.filled = 0;
  }

  /** Cuts a segment off the gathered bytes at the first record start past the segment size, if there is one. */
  private async cut(): Promise<boolean> {
    const gathered = this.gathered;
    const at = findOpening(gathered.subarray(0, this.filled), this.sizes.segmentBytes, this.opening as string);
    if (at === -1) return false;
    this.gathered = this.buffer();
    this.filled = gathered.copy(this.gathered, 0, at, this.filled);
    const segment = new Uint8Array(gathered.buffer, gathered.byteOffset, at);
    if (this.cutting) {
      await this.queue(segment);
    } else {
      // Read here, in order; if the file's splitter then stands between two records, the cut is proven
      // and the segments from there on are read anywhere.
      await this.inOrder(segment);
      this.cutting = this.splitter.betweenRecords;
      this.recycle(segment);
    }
    return true;
  }

  /** Bytes read by the file's splitter, after every segment before them. */
  private async inOrder(bytes: Uint8Array): Promise<void> {
    await this.drain(0);
    this.cutting = false;
    pushBytes(this.splitter, this.decoder, bytes);
  }

  private async queue(bytes: Uint8Array): Promise<void> {
    // One segment at a time is read here: more would hold back the cutting that feeds the other threads.
    const scanning = this.scanner.scan(bytes, this.readingHere) ?? this.readHere(bytes);
    const segment: Segment = { scanning };
    scanning.then(
      (scan) => {
        segment.scan = scan;
      },
      () => {}, // awaited in order by drain()
    );
    this.segments.push(segment);
    await this.drain(this.sizes.ahead);
  }

  /** Applies the scans in file order until at most `ahead` segments are left unapplied. */
  private async drain(ahead: number): Promise<void> {
    for (;;) {
      const next = this.segments[0];
      if (!next) return;
      if (!next.scan) {
        if (this.segments.length <= ahead) return;
        next.scan = await next.scanning;
      }
      this.segments.shift();
      this.apply(next.scan);
    }
  }

  private apply(scan: SegmentScan): void {
    if (this.cutting && scan.betweenRecords) {
      for (const chunk of chunksOf(scan, this.splitter.position)) this.onChunk(chunk, 'Records');
      this.splitter.skip(scan.records, scan.lineFeeds);
    } else {
      // A wrong guess: this segment, and every one after it (their scans thrown away), read in order.
      this.cutting = false;
      pushBytes(this.splitter, this.decoder, scan.bytes);
    }
    this.recycle(scan.bytes);
  }

  /**
   * Reads a segment on this thread a piece at a time, yielding to its events between pieces (setImmediate):
   * inflating and cutting go on meanwhile, so the other threads are not left without segments.
   */
  private readHere(bytes: Uint8Array): Promise<SegmentScan> {
    this.readingHere = true;
    const reading = new SegmentReading(bytes, this.reader);
    return new Promise<SegmentScan>((resolve, reject) => {
      const step = () => {
        try {
          if (!reading.step()) return void setImmediate(step);
          this.readingHere = false;
          resolve(reading.result());
        } catch (error) {
          this.readingHere = false;
          reject(error);
        }
      };
      setImmediate(step);
    });
  }

  /** A buffer of its own (not a slice of Node's shared pool): it can be moved to another thread. */
  private buffer(): Buffer {
    // Room past the segment size for the rest of the record there (a record past it is read in order).
    const size = this.sizes.segmentBytes + RECORD_ROOM;
    const spare = this.spare.pop();
    return Buffer.from(spare ?? new ArrayBuffer(size));
  }

  private recycle(bytes: Uint8Array): void {
    if (this.spare.length < SPARE) this.spare.push(bytes.buffer as ArrayBuffer);
  }
}
