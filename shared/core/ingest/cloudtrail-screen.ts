import { ROTATION_ACTION_TABLE } from '../act/aftermath/rotation-seen.js';
import { ActionSet, type ActionTable } from '../detect/action-table.js';
import { AWS_CREDENTIAL_EVENTS, AWS_WATCHED_EVENTS, byService, merge } from '../detect/watched-aws-events.js';
import type { Cloud } from '../model/audit-event.js';
import { cap, parseTime, startsWithIsoDate } from '../normalize/fields.js';
import type { RegistryMatcher } from '../registry/index.js';
import { JsonScan, NULL, OBJECT, type Shape, STRING } from './json-scan.js';
import type { ElementReader } from './json-splitter.js';

/**
 * The CloudTrail screen. Nearly every record of a trail names no break-glass identity and calls
 * nothing a rule watches whoever calls it; for those, JSON.parse, normalize and detect (most of a
 * replay's work) can only conclude "an event, no finding". The screen tells them from their text alone
 * and reads, exactly, what the pipeline keeps of them: event time, Region and account (coverage).
 *
 * A record is passed over only when all of these hold, else it takes the full path (which reports any
 * error it has):
 * - its text holds no backslash, so every string in it is what JSON.parse would make of it;
 * - no identity the registry watches occurs in it, compared case-insensitively
 *   ({@link RegistryMatcher.awsTextNeedles}: every principal the rules could resolve is built from
 *   those strings);
 * - it is valid JSON ({@link JsonScan}) and each field the normalizer reads has the type it accepts;
 * - it is not an Insights record (those are skipped and counted by kind);
 * - its event source and name are none of the calls that concern a break-glass account whoever makes
 *   them (tampering, root access, group membership, credential stores when the registry declares one —
 *   the table the forwarder and the sweeper use), nor a call that proves a rotation. (Sign-ins and
 *   every other rule need a break-glass principal: its name is in the text.)
 * JSON.parse also refuses raw control characters inside strings, which the scan does not look for
 * (CloudTrail escapes them): such a record, if it names nothing watched, counts as an event.
 */

/** What the pipeline keeps of a record passed over: its coverage key and time. */
export interface ScreenedRecord {
  timeMs: number;
  region: string | undefined;
  account: string;
}

/** The calls read in full whoever makes them: the rules that need no break-glass principal, and rotations. */
const ALWAYS_READ = new ActionSet({
  aws: tableOf(merge(AWS_WATCHED_EVENTS, byService(ROTATION_ACTION_TABLE))),
});
/** Credential-store calls: read in full when the registry declares a store (the credential rules are idle otherwise). */
const CREDENTIAL_CALLS = new ActionSet({ aws: tableOf(AWS_CREDENTIAL_EVENTS) });

/** `optString` fields: any scalar (numbers and booleans are read as text); an object or array is an error. */
const S: Shape = 'scalar';
/** The types the CloudTrail normalizer (and its actor reader) accepts, by field. */
const RECORD_SHAPE: { readonly [field: string]: Shape } = {
  eventType: S,
  eventTime: S,
  '@timestamp': S,
  eventName: S,
  eventSource: S,
  eventID: S,
  awsRegion: S,
  recipientAccountId: S,
  errorCode: S,
  errorMessage: S,
  sourceIPAddress: S,
  userAgent: S,
  requestParameters: 'object',
  responseElements: 'object',
  serviceEventDetails: 'object',
  additionalEventData: 'object',
  resources: 'array',
  userIdentity: {
    type: S,
    accountId: S,
    userName: S,
    arn: S,
    invokedBy: S,
    principalId: S,
    sessionContext: { sessionIssuer: { type: S, arn: S } },
  },
};
/** Top-level fields whose values the screen reads. */
const READ = [
  'eventTime',
  'eventName',
  'eventSource',
  'eventType',
  'eventCategory',
  'awsRegion',
  'recipientAccountId',
  'userIdentity',
  'insightDetails',
];

/** Distinct event sources, and event names per source, remembered (cleared when full). */
const CALLS_KEPT = 4096;

const screens = new WeakMap<RegistryMatcher, CloudTrailScreen | null>();

export class CloudTrailScreen implements ElementReader {
  private readonly scan = new JsonScan(RECORD_SHAPE, READ);
  private readonly calls = new Map<string, Map<string, boolean>>();
  private readonly field = Object.fromEntries(READ.map((k) => [k, this.scan.id(k)]));

  private constructor(
    private readonly needles: RegExp | undefined,
    private readonly credentials: boolean,
  ) {}

  /** The screen for this registry (built once), or undefined when its identities cannot be screened for. */
  static of(matcher: RegistryMatcher): CloudTrailScreen | undefined {
    let screen = screens.get(matcher);
    if (screen === undefined) {
      const needles = matcher.awsTextNeedles();
      // Case-insensitive search is exact for ASCII names (and the Kelvin sign, under `u`); others are not screened.
      screen = needles?.every((n) => /^[\x20-\x7e]+$/.test(n))
        ? new CloudTrailScreen(needleExpression(needles), matcher.watchesCredentials)
        : null;
      screens.set(matcher, screen);
    }
    return screen ?? undefined;
  }

  /** The coverage of a record no rule can fire on, or undefined when it must be read in full. */
  pass(text: string): ScreenedRecord | undefined {
    return this.read(text, 0) === text.length ? (this.verdict ?? undefined) : undefined;
  }

  // As the splitter's ElementReader: one scan finds where a log file's record ends and screens it.
  /** The screen's word on the record last read: its coverage, or null (read it in full). */
  verdict: ScreenedRecord | null = null;
  /** Line feeds between the tokens of the record last read. */
  newlines = 0;
  /** The text the caches below are positions in: the next backslash and the next watched name from a point. */
  private text = '';
  /** Where the last read started: the caches hold only for reads at or after it. */
  private readFrom = 0;
  private backslashAt = -1;
  private needleAt = -1;

  /**
   * Reads the record that starts at `from` (its `{`) in `text`: where it ends (its {@link verdict} and
   * {@link newlines} then set); -2 when `text` ends inside it; -1 when the scan cannot tell (invalid, or
   * escapes in it: the splitter walks it and the pipeline parses it).
   */
  read(text: string, from: number): number {
    this.verdict = null;
    const end = this.scan.objectAt(text, from);
    if (end < 0) return end;
    this.newlines = this.scan.newlines;
    // Strings compare by content: the same text read again from an earlier point (a segment scanned
    // twice, a repeated record) must not trust positions found past that point.
    if (text !== this.text || from < this.readFrom) {
      this.text = text;
      this.backslashAt = -1;
      this.needleAt = -1;
    }
    this.readFrom = from;
    // The next backslash or watched name is looked up again only once the records pass it.
    if (this.backslashAt < from) this.backslashAt = positionOrEnd(text.indexOf('\\', from));
    if (this.backslashAt < end) return -1;
    if (this.needles !== undefined) {
      if (this.needleAt < from) {
        this.needles.lastIndex = from;
        this.needleAt = positionOrEnd(this.needles.exec(text)?.index ?? -1);
      }
      if (this.needleAt < end) return end;
    }
    this.verdict = this.judge(text) ?? null;
    return end;
  }

  /** The fields of the record just scanned, as the normalizer would read them, when no rule can fire on it. */
  private judge(text: string): ScreenedRecord | undefined {
    const { scan, field } = this;
    if (scan.kind(field.userIdentity as number) !== OBJECT || scan.kind(field.insightDetails as number) !== 0)
      return undefined;
    const eventType = this.string(text, 'eventType');
    const category = this.string(text, 'eventCategory');
    if (eventType === null || eventType === 'AwsCloudTrailInsight' || category === null || category === 'Insight')
      return undefined;
    const service = this.string(text, 'eventSource');
    const action = this.string(text, 'eventName');
    if (!service || !action) return undefined;
    if (this.readInFull(service, action)) return undefined;
    const time = this.string(text, 'eventTime');
    const timeMs = time && startsWithIsoDate(time) ? parseTime(time) : undefined;
    const account = this.string(text, 'recipientAccountId');
    const region = this.string(text, 'awsRegion');
    if (timeMs === undefined || !account || region === null) return undefined;
    return { timeMs, region: region ? cap(region) : undefined, account: cap(account) };
  }

  /** Whether a call is one of those always read, remembered per spelling (a trail repeats a few thousand calls). */
  private readInFull(service: string, action: string): boolean {
    let actions = this.calls.get(service);
    if (actions === undefined) {
      if (this.calls.size >= CALLS_KEPT) this.calls.clear();
      actions = new Map();
      this.calls.set(service, actions);
    }
    let known = actions.get(action);
    if (known === undefined) {
      const call = { cloud: 'aws' as const, service, action };
      known = ALWAYS_READ.has(call) || (this.credentials && CREDENTIAL_CALLS.has(call));
      if (actions.size >= CALLS_KEPT) actions.clear();
      actions.set(action, known);
    }
    return known;
  }

  /**
   * A top-level field as the normalizer's `optString` reads it: the string, or undefined when absent or
   * null; null (take the full path) when it is a number or boolean, which the screen does not convert.
   */
  private string(text: string, name: string): string | undefined | null {
    const id = this.field[name] as number;
    const kind = this.scan.kind(id);
    if (kind === 0 || kind === NULL) return undefined;
    return kind === STRING ? text.slice(this.scan.start(id), this.scan.end(id)) : null;
  }
}

/** Event names by source as action-table groups (`*`: any source). */
function tableOf(names: Readonly<Record<string, readonly string[]>>): ActionTable[Cloud] {
  return Object.entries(names).map(([service, actions]) => (service === '*' ? { actions } : { service, actions }));
}

function needleExpression(needles: readonly string[]): RegExp | undefined {
  if (needles.length === 0) return undefined;
  return new RegExp(needles.map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'), 'giu');
}

function positionOrEnd(index: number): number {
  return index === -1 ? Number.POSITIVE_INFINITY : index;
}
