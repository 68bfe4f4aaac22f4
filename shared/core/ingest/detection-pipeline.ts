import { detect } from '../detect/engine.js';
import type { AuditEvent, EventOrigin, SourceKind } from '../model/audit-event.js';
import type { Finding } from '../model/finding.js';
import { normalize, openDocument } from '../normalize/index.js';
import { type SkipKind, Skipped } from '../normalize/skips.js';
import type { RawRecord, RecordFormat } from '../normalize/types.js';
import type { RegistryMatcher } from '../registry/index.js';
import { CloudTrailScreen } from './cloudtrail-screen.js';
import { JsonSyntaxError } from './errors.js';
import type { Container, JsonChunk } from './json-splitter.js';

/** Records inside these containers are known to be of one format: no envelope sniffing per record. */
const CONTAINER_FORMATS: Partial<Record<Container, RecordFormat>> = {
  Records: 'aws.cloudtrail',
  records: 'azure.diagnostic',
};

export interface PipelineCounts {
  /** Top-level JSON values read (lines, array elements, documents). */
  documents: number;
  /** Provider records inside them. */
  records: number;
  /** Records normalized to audit events. */
  events: number;
  findings: number;
  /**
   * Well-formed records (or EventBridge events) of a kind not read: Insights, other categories or
   * tables, other detail-types. Counted per kind in {@link DetectionPipeline.skipped}; never errors.
   */
  skipped: number;
  /** Records or documents that failed (each reported through `onError`). */
  errors: number;
}

/** A fresh set of counts (every ingest path sums into one of these). */
export function emptyCounts(): PipelineCounts {
  return { documents: 0, records: 0, events: 0, findings: 0, skipped: 0, errors: 0 };
}

/**
 * The newest (and oldest) event time read from one source kind in one cloud account / project /
 * subscription and Region: what the heartbeat (issue 6) and the report's coverage record.
 */
export interface SourceLastSeen {
  source: SourceKind;
  /** The event's Region; undefined when the provider names none (Entra, Workspace). */
  region: string | undefined;
  /** The cloud account, project, subscription or tenant the events happened in, when the record names it. */
  scope?: string | undefined;
  timeMs: number;
  /** The oldest event time of the same key (defaults to `timeMs`). */
  firstMs?: number;
}

/** The key of `DetectionPipeline.lastSeen`: one span per source kind, Region and scope. */
export function lastSeenKey(seen: Pick<SourceLastSeen, 'source' | 'region' | 'scope'>): string {
  return `${seen.source} ${seen.region ?? ''} ${seen.scope ?? ''}`;
}

export interface PipelineSink {
  onFinding(finding: Finding): void;
  /** A record, line or rule that failed; everything else goes on. */
  onError(error: Error): void;
  /** A well-formed record of a kind not read (counted by the pipeline already). */
  onSkip?(skip: Skipped): void;
  /**
   * Every normalized event, matched or not (e.g. to spot the log record that proves a rotation). Records
   * the CloudTrail screen passes over are not normalized: none is a call that proves a rotation.
   */
  onEvent?(event: AuditEvent): void;
}

/**
 * ingest → normalize → detect for one source at a time, isolating every failure to the record it
 * belongs to. Stateless per event, so findings can be collected from many files and sorted by event
 * time before correlation.
 */
export class DetectionPipeline {
  readonly counts: PipelineCounts = emptyCounts();
  /** Skipped records per kind (their sum is `counts.skipped`). */
  readonly skipped = new Map<SkipKind, number>();
  /**
   * Newest event time per source kind, scope and Region, over every normalized event (matched or not): a
   * source that keeps delivering is alive. Synthetic drill records do not count, or a drill would hide a
   * dead source.
   */
  readonly lastSeen = new Map<string, SourceLastSeen>();
  private lastSpan: SourceLastSeen | undefined;

  /**
   * Passes over CloudTrail records no rule can fire on (undefined: every record is read in full); as an
   * ElementReader, hand it to the splitter so one scan both splits and screens a log file.
   */
  readonly screen: CloudTrailScreen | undefined;

  constructor(
    private readonly matcher: RegistryMatcher,
    private readonly sink: PipelineSink,
    options: { screen?: boolean } = {},
  ) {
    this.screen = options.screen === false ? undefined : CloudTrailScreen.of(matcher);
  }

  /** One top-level chunk of text from a splitter, with its container kind and source location. */
  chunk(chunk: JsonChunk, container: Container, location: string): void {
    this.counts.documents++;
    if (container === 'Records' && this.screen) {
      const screened = chunk.screened === undefined ? this.screen.pass(chunk.text) : chunk.screened;
      if (screened) {
        this.counts.records++;
        this.counts.events++;
        this.seen('aws.cloudtrail', screened.region, screened.account, screened.timeMs);
        return;
      }
    }
    const origin: EventOrigin =
      container === 'lines'
        ? { location, line: chunk.line }
        : container === 'document'
          ? { location }
          : { location, index: chunk.index };
    let value: unknown;
    try {
      value = JSON.parse(chunk.text);
    } catch (error) {
      this.fail(new JsonSyntaxError(origin, (error as Error).message, { cause: error }));
      return;
    }
    const format = CONTAINER_FORMATS[container];
    if (format) this.record({ format, value, origin });
    else this.document(value, origin);
  }

  /** A parsed top-level document of unknown transport (a line, an array element, an EventBridge event…). */
  document(value: unknown, origin: EventOrigin): void {
    let records: RawRecord[] | Skipped;
    try {
      records = openDocument(value, origin);
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    if (records instanceof Skipped) this.skip(records);
    else for (const record of records) this.record(record);
  }

  record(record: RawRecord): void {
    this.counts.records++;
    let event: ReturnType<typeof normalize>;
    try {
      event = normalize(record);
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    if (event instanceof Skipped) {
      this.skip(event);
      return;
    }
    this.counts.events++;
    if (event.origin.drill === undefined) this.seen(event.source, event.region, event.account, event.timeMs);
    this.sink.onEvent?.(event);
    const { findings, errors } = detect(event, this.matcher);
    for (const error of errors) this.fail(error);
    for (const finding of findings) {
      this.counts.findings++;
      this.sink.onFinding(finding);
    }
  }

  private seen(source: SourceKind, region: string | undefined, scope: string | undefined, timeMs: number): void {
    // A log file is one account and Region: the span of the record before is nearly always this one's.
    const before = this.lastSpan;
    let last =
      before !== undefined && before.source === source && before.region === region && before.scope === scope
        ? before
        : undefined;
    if (last === undefined) {
      const key = lastSeenKey({ source, region, scope });
      last = this.lastSeen.get(key);
      if (last === undefined) {
        last = { source, region, scope, timeMs, firstMs: timeMs };
        this.lastSeen.set(key, last);
      }
      this.lastSpan = last;
    }
    if (last.timeMs < timeMs) last.timeMs = timeMs;
    else if ((last.firstMs ?? last.timeMs) > timeMs) last.firstMs = timeMs;
  }

  private skip(skip: Skipped): void {
    this.counts.skipped++;
    this.skipped.set(skip.kind, (this.skipped.get(skip.kind) ?? 0) + 1);
    this.sink.onSkip?.(skip);
  }

  private fail(error: Error): void {
    this.counts.errors++;
    this.sink.onError(error);
  }
}
