import { DRILL_OPENING_SUFFIX, DRILL_RECORD_ID_PREFIX } from '../../normalize/drill/envelope.js';
import type { RecordFormat } from '../../normalize/types.js';
import { splitArn } from '../../registry/aws-identity.js';
import type { CredentialStore } from '../../registry/credential-stores.js';
import type { BreakGlassAccount } from '../../registry/index.js';
import { declaredStores } from '../../registry/matcher.js';
import { vaultNamespace } from '../../registry/vault-paths.js';
import { GUID } from '../../text.js';
import type { DrillEvent, DrillEventOptions } from './record.js';

/**
 * The opening a drill injects before its sign-in, for an account whose credential store is declared,
 * so the whole chain (store read → sign-in) is drilled: a read of the first declared store in that
 * store's own audit record (CloudTrail GetSecretValue / GetParameter, Key Vault SecretGet AuditEvent,
 * Secret Manager AccessSecretVersion, Vault audit `response` entry), by the first approved reader written as that cloud's records name
 * a caller (else by the drill itself, so the page says the approval path is not declared). Same
 * transport and drill id as the sign-in; the record's id ends in `-opening`. One builder per store kind,
 * in a table: a new store kind does not compile without its drill opening.
 */

type KindOf<S> = S extends unknown ? keyof S : never;
type StoreKind = KindOf<CredentialStore>;
type StoreOf<K extends StoreKind> = Extract<CredentialStore, Record<K, unknown>>;

interface OpeningContext {
  account: BreakGlassAccount;
  drillId: string;
  /** One second before the sign-in. */
  time: string;
  region: string;
  /** `glasswatch-drill-<drill id>-opening`: the record's own id (drill/envelope.ts checks it). */
  recordId: string;
}

type OpeningBuilder<K extends StoreKind> = (
  store: StoreOf<K>,
  ctx: OpeningContext,
) => { format: RecordFormat; record: Record<string, unknown> };

const USER_AGENT = (drillId: string) => `Glasswatch drill ${drillId}`;

/** A CloudTrail read of a Secrets Manager secret or a SecureString parameter (with decryption). */
function cloudTrailRead(
  ctx: OpeningContext,
  call: { eventSource: string; eventName: string; ref: string; requestParameters: Record<string, unknown> },
): { format: RecordFormat; record: Record<string, unknown> } {
  const reader = awsReader(ctx.account);
  const accountId = splitArn(call.ref)?.account || (reader.accountId as string | undefined);
  return {
    format: 'aws.cloudtrail',
    record: {
      eventVersion: '1.09',
      userIdentity: reader,
      eventTime: ctx.time,
      eventSource: call.eventSource,
      eventName: call.eventName,
      awsRegion: ctx.region,
      userAgent: USER_AGENT(ctx.drillId),
      requestParameters: call.requestParameters,
      responseElements: null,
      eventID: ctx.recordId,
      readOnly: true,
      eventType: 'AwsApiCall',
      managementEvent: true,
      eventCategory: 'Management',
      ...(accountId ? { recipientAccountId: accountId } : {}),
    },
  };
}

const OPENINGS: { [K in StoreKind]: OpeningBuilder<K> } = {
  secretsManager: ({ secretsManager: ref }, ctx) =>
    cloudTrailRead(ctx, {
      eventSource: 'secretsmanager.amazonaws.com',
      eventName: 'GetSecretValue',
      ref,
      requestParameters: { secretId: ref },
    }),
  ssmParameter: ({ ssmParameter: ref }, ctx) =>
    cloudTrailRead(ctx, {
      eventSource: 'ssm.amazonaws.com',
      eventName: 'GetParameter',
      ref,
      requestParameters: { name: ref, withDecryption: true },
    }),
  /**
   * A Key Vault `AuditEvent` diagnostic record (https://learn.microsoft.com/azure/key-vault/general/logging).
   * Key Vault records carry no id of their own; the event id ends in the client's `correlationId`,
   * which the drill, as the client, sets to its record id. No subscription is claimed: the registry
   * does not name one.
   */
  keyVault: ({ keyVault: { vault, secret } }, ctx) => ({
    format: 'azure.diagnostic',
    record: {
      time: ctx.time,
      category: 'AuditEvent',
      operationName: 'SecretGet',
      operationVersion: '7.4',
      resultType: 'Success',
      resultSignature: 'OK',
      correlationId: ctx.recordId,
      identity: { claim: entraReaderClaims(ctx.account) },
      properties: {
        clientInfo: USER_AGENT(ctx.drillId),
        requestUri: `https://${vault}.vault.azure.net/secrets/${secret}?api-version=7.4`,
        httpStatusCode: 200,
        id: `https://${vault}.vault.azure.net/secrets/${secret}/${ctx.drillId.replace(/[^a-z0-9]/g, '')}`,
      },
    },
  }),
  /** A Secret Manager `AccessSecretVersion` Data Access entry (https://cloud.google.com/secret-manager/docs/audit-logging). */
  gcpSecret: ({ gcpSecret: secret }, ctx) => {
    const project = secret.split('/')[1] as string;
    const method = 'google.cloud.secretmanager.v1.SecretManagerService.AccessSecretVersion';
    const version = `${secret}/versions/latest`;
    return {
      format: 'gcp.log-entry',
      record: {
        insertId: ctx.recordId,
        logName: `projects/${project}/logs/cloudaudit.googleapis.com%2Fdata_access`,
        timestamp: ctx.time,
        receiveTimestamp: ctx.time,
        severity: 'INFO',
        resource: {
          type: 'audited_resource',
          labels: { service: 'secretmanager.googleapis.com', method, project_id: project },
        },
        protoPayload: {
          '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
          authenticationInfo: { principalEmail: googleReader(ctx.account) },
          requestMetadata: { callerSuppliedUserAgent: USER_AGENT(ctx.drillId) },
          serviceName: 'secretmanager.googleapis.com',
          methodName: method,
          authorizationInfo: [{ resource: version, permission: 'secretmanager.versions.access', granted: true }],
          resourceName: version,
        },
      },
    };
  },
  /**
   * A Vault audit device `response` entry for a read of the KV path
   * (https://developer.hashicorp.com/vault/docs/audit/schema); the request id is the drill's record id.
   */
  vault: ({ vault: store }, ctx) => ({
    format: 'vault.audit',
    record: {
      time: ctx.time,
      type: 'response',
      auth: vaultReader(ctx.account),
      request: {
        id: ctx.recordId,
        operation: 'read',
        path: store.path,
        namespace: store.namespace === undefined ? { id: 'root' } : { path: `${vaultNamespace(store.namespace)}/` },
        ...(store.mount ? { mount_point: `${store.mount.replace(/\/+$/, '')}/` } : {}),
      },
      response: { mount_type: 'kv' },
    },
  }),
};

/**
 * The token of the first approved reader that is a Vault entity id (a UUID), else one carrying the first
 * approved reader as a policy (readers match entity ids, display names or policies), else the drill's own.
 */
function vaultReader(account: BreakGlassAccount): Record<string, unknown> {
  const readers = account.credential?.approvedReaders ?? [];
  const entity = readers.find((r) => GUID.test(r));
  const policies = ['default', ...(entity === undefined && readers[0] !== undefined ? [readers[0]] : [])];
  return { display_name: 'glasswatch-drill', policies, ...(entity ? { entity_id: entity.toLowerCase() } : {}) };
}

/**
 * The drill's opening of the account's first declared store, or undefined when none is declared.
 *
 * @example
 * const opening = drillOpeningEvent(account, signIn, { drillId, now });
 * if (opening) await inject(opening);
 */
export function drillOpeningEvent(
  account: BreakGlassAccount,
  signIn: DrillEvent,
  options: DrillEventOptions,
): DrillEvent | undefined {
  const store = declaredStores(account)[0];
  if (store === undefined) return undefined;
  const ctx: OpeningContext = {
    account,
    drillId: options.drillId,
    time: new Date(options.now.getTime() - 1000).toISOString(),
    region: signIn.region,
    recordId: `${DRILL_RECORD_ID_PREFIX}${options.drillId}${DRILL_OPENING_SUFFIX}`,
  };
  const kind = Object.keys(store)[0] as StoreKind;
  const build = OPENINGS[kind] as OpeningBuilder<StoreKind>;
  const { format, record } = build(store as never, ctx);
  return { ...signIn, time: ctx.time, detail: { ...signIn.detail, format, record } };
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
  const accountId = account.cloud === 'aws' ? splitArn(account.match.arn ?? '')?.account || undefined : undefined;
  return {
    type: 'AssumedRole',
    arn: `arn:aws:sts::${accountId ?? '000000000000'}:assumed-role/GlasswatchDrill/glasswatch-drill`,
    ...(accountId ? { accountId } : {}),
  };
}

const OBJECT_ID_CLAIM = 'http://schemas.microsoft.com/identity/claims/objectidentifier';
const UPN_CLAIM = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn';

/**
 * The token claims of the first approved reader that is an Entra object id or UPN; else a user named
 * for the drill (`glasswatch-drill@<the account's domain>`), on no approval list.
 */
function entraReaderClaims(account: BreakGlassAccount): Record<string, string> {
  for (const reader of account.credential?.approvedReaders ?? []) {
    if (GUID.test(reader)) return { [OBJECT_ID_CLAIM]: reader.toLowerCase(), name: 'Glasswatch drill' };
    if (/^[^@\s:/]+@[^@\s:/]+$/.test(reader)) return { [UPN_CLAIM]: reader, name: 'Glasswatch drill' };
  }
  const domain = account.cloud === 'azure' ? account.match.userPrincipalName?.split('@')[1] : undefined;
  return { [UPN_CLAIM]: `glasswatch-drill@${domain ?? 'drill.invalid'}`, name: 'Glasswatch drill' };
}

/** The first approved reader that is a Google principal (`user:`/`serviceAccount:` or a bare e-mail). */
function googleReader(account: BreakGlassAccount): string {
  for (const reader of account.credential?.approvedReaders ?? []) {
    const email = reader.replace(/^(user|serviceAccount):/, '');
    if (/^[^@\s:/]+@[^@\s:/]+$/.test(email)) return email;
  }
  const domain = account.cloud === 'gcp' ? account.match.email.split('@')[1] : undefined;
  return `glasswatch-drill@${domain ?? 'drill.invalid'}`;
}
