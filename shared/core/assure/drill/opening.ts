import { DRILL_OPENING_SUFFIX, DRILL_RECORD_ID_PREFIX } from '../../normalize/drill/envelope.js';
import type { RecordFormat } from '../../normalize/types.js';
import type { BreakGlassAccount } from '../../registry/index.js';
import { declaredStores } from '../../registry/matcher.js';
import type { DrillEvent, DrillEventOptions } from './record.js';

/**
 * The opening a drill injects before its sign-in, for an account whose credential store is declared,
 * so the whole chain (store read → sign-in) is drilled: a read of the first declared store in that
 * store's own record format, by the first approved reader when one is declared (else by the drill
 * itself, so the page says the approval path is not declared). Same transport and drill id as the
 * sign-in; the record id ends in `-opening`. Stores whose read is not an AWS CloudTrail record are not
 * drilled yet (the drill reads the sign-in alone for them).
 */
export function drillOpeningEvent(
  account: BreakGlassAccount,
  signIn: DrillEvent,
  options: DrillEventOptions,
): DrillEvent | undefined {
  const store = declaredStores(account)[0];
  if (store === undefined) return undefined;
  const time = new Date(options.now.getTime() - 1000).toISOString();
  const eventID = `${DRILL_RECORD_ID_PREFIX}${options.drillId}${DRILL_OPENING_SUFFIX}`;
  let record: Record<string, unknown> | undefined;
  const format: RecordFormat = 'aws.cloudtrail';
  if ('secretsManager' in store || 'ssmParameter' in store) {
    const sm = 'secretsManager' in store;
    const ref = sm ? store.secretsManager : store.ssmParameter;
    const owner = /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/.exec(ref)?.[1];
    const reader = awsReader(account);
    const accountId = owner ?? (reader.accountId as string | undefined);
    record = {
      eventVersion: '1.09',
      userIdentity: reader,
      eventTime: time,
      eventSource: sm ? 'secretsmanager.amazonaws.com' : 'ssm.amazonaws.com',
      eventName: sm ? 'GetSecretValue' : 'GetParameter',
      awsRegion: signIn.region,
      userAgent: `Glasswatch drill ${options.drillId}`,
      requestParameters: sm ? { secretId: ref } : { name: ref, withDecryption: true },
      responseElements: null,
      eventID,
      readOnly: true,
      eventType: 'AwsApiCall',
      managementEvent: true,
      eventCategory: 'Management',
      ...(accountId ? { recipientAccountId: accountId } : {}),
    };
  }
  if (record === undefined) return undefined;
  return { ...signIn, time, detail: { ...signIn.detail, format, record } };
}

/** The first approved reader that is an IAM role or user ARN, as CloudTrail names its caller. */
function awsReader(account: BreakGlassAccount): Record<string, unknown> {
  for (const reader of account.credential?.approvedReaders ?? []) {
    const m = /^arn:(aws[a-z-]*):iam::(\d{12}):(role|user)\/(?:.*\/)?([^/]+)$/.exec(reader);
    if (!m) continue;
    const [, partition, accountId, kind, name] = m;
    if (kind === 'user') return { type: 'IAMUser', arn: reader, accountId, userName: name };
    return {
      type: 'AssumedRole',
      arn: `arn:${partition}:sts::${accountId}:assumed-role/${name}/glasswatch-drill`,
      accountId,
      sessionContext: { sessionIssuer: { type: 'Role', arn: reader, accountId, userName: name } },
    };
  }
  const accountId =
    account.cloud === 'aws' ? /^arn:[^:]+:iam::(\d{12}):/.exec(account.match.arn ?? '')?.[1] : undefined;
  return {
    type: 'AssumedRole',
    arn: `arn:aws:sts::${accountId ?? '000000000000'}:assumed-role/GlasswatchDrill/glasswatch-drill`,
    ...(accountId ? { accountId } : {}),
  };
}
