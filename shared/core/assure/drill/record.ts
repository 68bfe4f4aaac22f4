import { randomUUID } from 'node:crypto';
import { DRILL_DETAIL_TYPE, DRILL_EVENT_SOURCE, DRILL_RECORD_ID_PREFIX } from '../../normalize/drill/envelope.js';
import { NORMALIZERS } from '../../normalize/index.js';
import type { RecordFormat } from '../../normalize/types.js';
import type { BreakGlassAccount } from '../../registry/index.js';

/**
 * The synthetic event a drill injects: a successful sign-in WITH MFA of the break-glass account, in the
 * account's own provider format, wrapped in the drill transport (`source: glasswatch.drill`). It is
 * marked for people too (user agent and names say "Glasswatch drill"), but only the transport makes it
 * a drill. One builder per cloud, in a table.
 */

/** The EventBridge event a drill puts on the ingest bus (and the local drill hands to the pipeline). */
export interface DrillEvent {
  version: '0';
  id: string;
  source: typeof DRILL_EVENT_SOURCE;
  'detail-type': typeof DRILL_DETAIL_TYPE;
  account?: string;
  time: string;
  region: string;
  resources: string[];
  detail: DrillDetail;
}

export interface DrillDetail {
  drillId: string;
  account: string;
  format: RecordFormat;
  record: Record<string, unknown>;
}

export interface DrillEventOptions {
  drillId: string;
  /** Event time. */
  now: Date;
  /** AWS Region the drill claims (the ingest Lambda's own Region when deployed). */
  region?: string;
}

/** "d-" and 12 hex digits: short enough for a table, unique enough for a quarter's drills. */
export function newDrillId(): string {
  return `d-${randomUUID().replaceAll('-', '').slice(0, 12)}`;
}

const USER_AGENT = (drillId: string) => `Glasswatch drill ${drillId}`;

type Builder<C extends BreakGlassAccount['cloud']> = (
  account: Extract<BreakGlassAccount, { cloud: C }>,
  options: Required<DrillEventOptions>,
) => { format: RecordFormat; record: Record<string, unknown> };

/** A CloudTrail console sign-in with MFA, for the principal the registry entry names. */
const awsRecord: Builder<'aws'> = (account, { drillId, now, region }) => {
  const identity = awsIdentity(account.match);
  return {
    format: 'aws.cloudtrail',
    record: {
      eventVersion: '1.09',
      userIdentity: identity,
      eventTime: now.toISOString(),
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      awsRegion: region,
      userAgent: USER_AGENT(drillId),
      requestParameters: null,
      responseElements: { ConsoleLogin: 'Success' },
      additionalEventData: { MFAUsed: 'Yes', MobileVersion: 'No', LoginTo: 'https://console.aws.amazon.com/' },
      eventID: `${DRILL_RECORD_ID_PREFIX}${drillId}`,
      readOnly: false,
      eventType: 'AwsConsoleSignIn',
      managementEvent: true,
      eventCategory: 'Management',
      ...(typeof identity.accountId === 'string' ? { recipientAccountId: identity.accountId } : {}),
    },
  };
};

/** A Workspace login_success with a second factor, as Cloud Logging forwards it. */
const gcpRecord: Builder<'gcp'> = (account, { drillId, now }) => ({
  format: 'gcp.log-entry',
  record: {
    insertId: `${DRILL_RECORD_ID_PREFIX}${drillId}`,
    logName: 'organizations/glasswatch-drill/logs/cloudaudit.googleapis.com%2Fdata_access',
    timestamp: now.toISOString(),
    receiveTimestamp: now.toISOString(),
    severity: 'NOTICE',
    resource: { type: 'audited_resource', labels: { service: 'login.googleapis.com' } },
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      authenticationInfo: { principalEmail: account.match.email },
      requestMetadata: { callerSuppliedUserAgent: USER_AGENT(drillId) },
      serviceName: 'login.googleapis.com',
      methodName: 'google.login.LoginService.loginSuccess',
      resourceName: 'organizations/glasswatch-drill',
      metadata: {
        '@type': 'type.googleapis.com/ccc_hosted_reporting.ActivityProto',
        event: [
          {
            eventType: 'login',
            eventName: 'login_success',
            parameter: [
              { type: 'TYPE_STRING', name: 'login_type', value: 'google_password' },
              { type: 'TYPE_STRING', name: 'login_challenge_method', multiStrValue: ['password', 'totp'] },
            ],
          },
        ],
      },
    },
  },
});

/** An Entra interactive sign-in that required MFA, as a Log Analytics SigninLogs row. */
const azureRecord: Builder<'azure'> = (account, { drillId, now }) => ({
  format: 'azure.log-analytics',
  record: {
    Type: 'SigninLogs',
    Id: `${DRILL_RECORD_ID_PREFIX}${drillId}`,
    TimeGenerated: now.toISOString(),
    CreatedDateTime: now.toISOString(),
    OperationName: 'Sign-in activity',
    Category: 'SignInLogs',
    ...(account.match.userPrincipalName ? { UserPrincipalName: account.match.userPrincipalName } : {}),
    ...(account.match.objectId ? { UserId: account.match.objectId } : {}),
    UserDisplayName: `Glasswatch drill (${account.id})`,
    AppDisplayName: 'Glasswatch drill',
    ResultType: '0',
    AuthenticationRequirement: 'multiFactorAuthentication',
    UserAgent: USER_AGENT(drillId),
  },
});

const BUILDERS: { [C in BreakGlassAccount['cloud']]: Builder<C> } = {
  aws: awsRecord,
  gcp: gcpRecord,
  azure: azureRecord,
};

/**
 * The drill event for one registry account.
 *
 * @example
 * const event = drillEvent(matcher.account('aws-prod-root'), { drillId: newDrillId(), now: new Date() });
 * pipeline.document(event, { location: `drill:${event.detail.drillId}`, trustedTransport: 'in-process' });
 */
export function drillEvent(account: BreakGlassAccount, options: DrillEventOptions): DrillEvent {
  const full = { region: 'us-east-1', ...options };
  const build = BUILDERS[account.cloud] as Builder<typeof account.cloud>;
  const { format, record } = build(account as never, full);
  return {
    version: '0',
    id: randomUUID(),
    source: DRILL_EVENT_SOURCE,
    'detail-type': DRILL_DETAIL_TYPE,
    time: options.now.toISOString(),
    region: full.region,
    resources: [],
    detail: { drillId: options.drillId, account: account.id, format, record },
  };
}

/**
 * The audit-event id the drill record normalizes to (each provider builds ids its own way): what the
 * drill looks for in the incident store.
 */
export function drillEventId(event: DrillEvent): string {
  const { format, record } = event.detail;
  // The drill builds its own records; they are never of a kind that is skipped.
  return NORMALIZERS[format](record, { location: `drill:${event.detail.drillId}` }).id;
}

/** `aws:glasswatch-drill-…`, `gcp:<log>|<time>|glasswatch-drill-…`, `azure:glasswatch-drill-…`. */
const SYNTHETIC_ID = new RegExp(`(^[a-z]+:|\\|)${DRILL_RECORD_ID_PREFIX}`);

/** True for the id of a synthetic drill event (compliance never counts them as use or as MFA seen). */
export function isSyntheticDrillEventId(eventId: string): boolean {
  return SYNTHETIC_ID.test(eventId);
}

type AwsMatch = Extract<BreakGlassAccount, { cloud: 'aws' }>['match'];

/**
 * `userIdentity` for the registry's match: root, IAM user or role session by ARN (a wildcard stands for
 * "glasswatch-drill"), or an IAM user by name (and account, when given).
 */
function awsIdentity(match: AwsMatch): Record<string, unknown> {
  if (match.arn === undefined) {
    const accountId = match.accountId;
    return {
      type: 'IAMUser',
      userName: match.userName,
      ...(accountId ? { accountId, arn: `arn:aws:iam::${accountId}:user/${match.userName}` } : {}),
    };
  }
  const arn = match.arn.replaceAll('*', 'glasswatch-drill');
  const accountId = arn.split(':')[4] || undefined;
  const resource = arn.split(':').slice(5).join(':');
  const type = resource === 'root' ? 'Root' : resource.startsWith('user/') ? 'IAMUser' : 'AssumedRole';
  const identity: Record<string, unknown> = { type, arn, ...(accountId ? { accountId } : {}) };
  if (type === 'IAMUser') identity.userName = resource.slice(resource.lastIndexOf('/') + 1);
  if (type === 'Root' && accountId) identity.principalId = accountId;
  return identity;
}
