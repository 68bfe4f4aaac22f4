import type { SkipKind } from '../skips.js';

/**
 * Every EventBridge detail-type AWS documents for CloudTrail, and the events `aws.signin` sends itself:
 * how each is read, with the page that documents it. The EventBridge envelope reads this table, and the
 * forwarding rule in `infra/regional-forwarder.yaml` is checked against it by
 * `test/unit/infra/event-patterns.test.ts` (every `read` entry is forwarded for break-glass principals).
 *
 * - `read: 'cloudtrail'`: `detail` is one CloudTrail record, normalized like a log-file record.
 * - `skip`: well-formed and not an audit record of a principal: counted under the kind, never an error.
 */
export interface DetailTypeEntry {
  readonly detailType: string;
  readonly read: 'cloudtrail' | { readonly skip: SkipKind };
  /** Only this source sends it (`aws.signin`); undefined: any `aws.*` service. */
  readonly source?: string;
  readonly doc: string;
}

const CLOUDTRAIL_EVENTS = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html';

export const DETAIL_TYPES: readonly DetailTypeEntry[] = [
  { detailType: 'AWS API Call via CloudTrail', read: 'cloudtrail', doc: CLOUDTRAIL_EVENTS },
  // Real events and older guides spell it "Sign In"; the current EventBridge user guide "Signin".
  { detailType: 'AWS Console Sign In via CloudTrail', read: 'cloudtrail', doc: CLOUDTRAIL_EVENTS },
  { detailType: 'AWS Console Signin via CloudTrail', read: 'cloudtrail', doc: CLOUDTRAIL_EVENTS },
  // Console actions that are not API calls (eventType AwsConsoleAction), e.g. a root session's console work.
  { detailType: 'AWS Console Action via CloudTrail', read: 'cloudtrail', doc: CLOUDTRAIL_EVENTS },
  { detailType: 'AWS Service Event via CloudTrail', read: 'cloudtrail', doc: CLOUDTRAIL_EVENTS },
  // VPC endpoint network activity (eventType AwsVpceEvent): a principal's call through an endpoint.
  {
    detailType: 'AWS Network Activity Event via CloudTrail',
    read: 'cloudtrail',
    doc: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-network-events-with-cloudtrail.html',
  },
  {
    detailType: 'AWS Insight via CloudTrail',
    read: { skip: 'aws.insight' },
    doc: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-insights-events.html',
  },
  // Decision (issue 11): AWS documents this detail-type but no detail schema. Reading a principal out of
  // an undocumented shape would be a guess, and a wrong guess either pages the wrong account or hides the
  // right one; so it is skipped with a count (visible in the RecordsSkipped metric) and not forwarded.
  // The sign-in attempts it is about arrive as ConsoleLogin records, which are read.
  {
    detailType: 'Sign-in Anomaly Alert',
    source: 'aws.signin',
    read: { skip: 'aws.signin-anomaly-alert' },
    doc: 'https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-signin.html',
  },
];

/** The detail-types whose `detail` is a CloudTrail record: what the forwarders must send for break-glass principals. */
export const CLOUDTRAIL_DETAIL_TYPES: readonly string[] = DETAIL_TYPES.filter((e) => e.read === 'cloudtrail').map(
  (e) => e.detailType,
);

const BY_DETAIL_TYPE: ReadonlyMap<string, DetailTypeEntry> = new Map(DETAIL_TYPES.map((e) => [e.detailType, e]));

/** The entry for a detail-type, or undefined for one this table does not know (skipped as `aws.other-event`). */
export function detailTypeEntry(detailType: string): DetailTypeEntry | undefined {
  return BY_DETAIL_TYPE.get(detailType);
}
