/**
 * The one shape every provider's audit record is normalized to.
 * Field names follow OCSF where OCSF has one (actor, src_endpoint → src, category/class → category,
 * status → outcome); everything provider-specific stays in `raw`.
 */

/**
 * The platform a record came from. `vault` is HashiCorp Vault (file audit device): not a cloud a
 * break-glass account lives in, but a store its credential may be kept in. Its records only feed the
 * credential rules, whose findings land on the owning account (and take that account's cloud).
 */
export type Cloud = 'aws' | 'gcp' | 'azure' | 'vault';

/** Which log a record came from; the heartbeat (issue 6) and the ticket links key on this. */
export type SourceKind =
  | 'aws.cloudtrail'
  | 'gcp.audit'
  | 'gcp.workspace-login'
  | 'azure.signin'
  | 'azure.audit'
  | 'azure.activity'
  | 'azure.keyvault'
  | 'vault.audit';

/** OCSF class, reduced: Authentication (3002) or API Activity (6003). */
export type EventCategory = 'authentication' | 'api';

export type Outcome = 'success' | 'failure' | 'unknown';

/**
 * The identifiers a principal can be recognised by. Every field is optional because every provider
 * fills a different subset; the registry matcher decides which ones count for which cloud.
 */
export interface PrincipalRef {
  /** AWS: IAM ARN (root, user, assumed role). */
  arn?: string;
  /**
   * AWS: the IAM role a session belongs to (`sessionContext.sessionIssuer.arn`, or the role an
   * `AssumeRole*` call opened a session of). A registry entry naming the role matches every session.
   */
  roleArn?: string;
  /** AWS: the role session name (who assumed the role, by convention), shown beside the role. */
  sessionName?: string;
  /** AWS: IAM user or IAM Identity Center user name. */
  userName?: string;
  /** AWS account id of the principal. */
  accountId?: string;
  /** GCP / Workspace: the principal's email. */
  email?: string;
  /** Entra: user principal name. */
  upn?: string;
  /** Entra: object id (GUID). */
  objectId?: string;
  /** HashiCorp Vault: the identity entity id (`auth.entity_id`); absent for root and entity-less tokens. */
  entityId?: string;
}

export interface Actor extends PrincipalRef {
  /** The provider's own word for the principal type: Root, IAMUser, Unknown, AssumedRole, User, ServicePrincipal… */
  type: string;
  /** Best human-readable name, for pages and tickets. Untrusted text. */
  display: string;
  /** AWS `userIdentity.invokedBy`: the service that acted for the principal, when one did. */
  invokedBy?: string;
  /**
   * The principal that acted through this one: GCP `authenticationInfo.serviceAccountDelegationInfo`'s
   * first party (a person impersonating a service account). A registry entry naming it matches the event.
   */
  delegatedBy?: PrincipalRef;
  /**
   * HashiCorp Vault: `auth.display_name` (`userpass-alice`, `oidc-alice@example.com`) and the token's
   * policies (`policies`, `token_policies`, `identity_policies`), which the approval path may name.
   */
  vault?: { displayName?: string; policies: string[] };
}

export interface SourceEndpoint {
  ip?: string;
  userAgent?: string;
  /** "City, Region, CC" when the provider tells (Entra does; CloudTrail does not). */
  geo?: string;
}

/**
 * How strong an authentication provably was: `phishing-resistant` (passkey, FIDO2 security key, Windows
 * Hello for Business, certificate), `mfa` (a second factor that can be phished: push, TOTP, SMS),
 * `single-factor` (a password alone). Absent when the record cannot tell.
 */
export type AuthStrength = 'single-factor' | 'mfa' | 'phishing-resistant';

export const AUTH_STRENGTH_ORDER: Readonly<Record<AuthStrength, number>> = {
  'single-factor': 0,
  mfa: 1,
  'phishing-resistant': 2,
};

export interface MfaInfo {
  /** true: a second factor was used; false: provably not; undefined: the record cannot tell (e.g. federated). */
  used: boolean | undefined;
  /** The strength the methods prove, when the record tells; never guessed. */
  strength?: AuthStrength;
  /** Provider words for the factors seen (`TOTP`, `google_authenticator`, `Mobile app notification`…). */
  methods: string[];
}

/**
 * A transport whose sender the platform authenticates, so the wrapper's own fields can be believed:
 * `eventbridge` — an EventBridge event handed over by an EventBridge rule (its `source` is set by the
 * caller of PutEvents, `aws.*` is reserved by AWS, and IAM decides who may put `glasswatch.drill`);
 * `in-process` — built by the `glasswatch drill` command itself. Files, S3 objects, Pub/Sub and Log
 * Analytics rows are never trusted transports: anyone who can write a log line controls their content.
 */
export type TrustedTransport = 'eventbridge' | 'in-process';

/**
 * Marks a synthetic drill record (issue 6). Set only by the drill envelope, and only for documents that
 * arrived over a {@link TrustedTransport}; never read from a record's fields (user agent, parameters…),
 * so a real sign-in cannot be dressed up as a drill.
 */
export interface DrillMarker {
  drillId: string;
  /** Registry id of the account the drill exercises; the marker counts only for that account. */
  account: string;
}

/** Where a record was read from, so an error or a ticket can point back at it. */
export interface EventOrigin {
  /** File path, S3 URI, Pub/Sub subscription, Log Analytics workspace… */
  location: string;
  /** 1-based line for line-oriented input. */
  line?: number;
  /** 0-based index of the record inside its container (`Records[i]`, `records[i]`, array index). */
  index?: number;
  /** Set by the runtime that received the document, never from its content. */
  trustedTransport?: TrustedTransport;
  /** Set by the drill envelope only (see {@link DrillMarker}). */
  drill?: DrillMarker;
}

/**
 * AWS centralized root access (IAM User Guide, "Track privileged tasks in AWS CloudTrail"): the
 * management or delegated-administrator account calls `sts:AssumeRoot` (`issued`), and the member
 * account logs what the short-term root session did as `userIdentity.type: Root` with
 * `sessionContext.assumedRoot: "true"` (`used`). The issued access key links the two.
 */
export interface RootSession {
  phase: 'issued' | 'used';
  /** issued: `responseElements.credentials.accessKeyId`; used: `userIdentity.accessKeyId`. */
  accessKeyId?: string;
  /** The member account whose root the session is. */
  memberAccount?: string;
  /** issued only: the task policy name (`S3UnlockBucketPolicy`), from `requestParameters.taskPolicyArn.arn`. */
  taskPolicy?: string;
}

/** A group as a record names it: Entra object id or Identity Center group id, Google group e-mail. */
export interface GroupRef {
  id?: string;
  email?: string;
  /** Display name, for pages. Untrusted text. */
  name?: string;
}

export interface GroupMembership {
  change: 'add' | 'remove';
  group: GroupRef;
  /** Who joined or left, when the record says. */
  member?: PrincipalRef;
}

/** Users and groups a Conditional Access policy excludes (object ids, lower case). */
export interface Exclusions {
  users: string[];
  groups: string[];
}

/** Whom a Conditional Access policy applies to (`includeUsers` "All" or object ids, `includeRoles` template ids; lower case). */
export interface Inclusions {
  all: boolean;
  users: string[];
  roles: string[];
}

export interface ConditionalAccessChange {
  /** Policy display name. Untrusted text. */
  policy?: string;
  /** Empty for a policy just added ("Add conditional access policy"). */
  before: Exclusions;
  after: Exclusions;
  /** The policy was added, not updated. */
  created?: true;
  /** Whom it applies to, before (absent for an added policy) and after. */
  included?: { before?: Inclusions; after: Inclusions };
  /** Whether it is enforced (`state` "enabled"; report-only and disabled are not), before and after; a policy that does not say counts as enforced. */
  enforced?: { before?: boolean; after: boolean };
}

/** One modified property of an Entra audit target, as written (values are JSON text: `"[false]"`, `"\"Global Administrator\""`). */
export interface ModifiedProperty {
  name: string;
  old?: string;
  new?: string;
}

/** One entry of an Entra audit record's `targetResources`, the same in every spelling. Untrusted text. */
export interface DirectoryTarget {
  /** "User", "Role", "Group", "Request", "Other"… */
  type: string;
  id?: string;
  name?: string;
  upn?: string;
  modified: ModifiedProperty[];
}

/**
 * What an Entra AuditLogs record says beyond its activity name: its targets with their modified
 * properties (Log Analytics `TargetResources`, diagnostic `properties.targetResources`, Graph
 * `targetResources`) and its `resultReason` ("User registered Mobile Phone SMS").
 */
export interface DirectoryRecord {
  targets: DirectoryTarget[];
  resultReason?: string;
}

export interface AuditEvent {
  /** Stable dedup key, `${cloud}:${nativeId}`: the same record delivered by two paths has the same id. */
  id: string;
  /** Provider's id: CloudTrail eventID, LogEntry insertId, Entra/Activity record id. */
  nativeId: string;
  cloud: Cloud;
  source: SourceKind;
  /** Event time, ISO 8601 UTC. */
  time: string;
  /** Event time in epoch milliseconds (kept beside `time` so sorting never re-parses). */
  timeMs: number;
  /** When the provider received/ingested the record, if it says (GCP receiveTimestamp, Azure ingestion). */
  receivedTime?: string;
  category: EventCategory;
  /** eventSource / serviceName / Entra category ("signin.amazonaws.com", "logging.googleapis.com", "SignInLogs"). */
  service: string;
  /** eventName / methodName / operationName. */
  action: string;
  outcome: Outcome;
  /** Provider's error text or code on failure. Untrusted text. */
  failureReason?: string;
  /**
   * True when the provider itself generated the record and no person was acting (AWS `AwsServiceEvent`
   * outside sign-in, `invokedBy` an AWS service). Rules about a person's activity skip these.
   */
  providerGenerated: boolean;
  actor: Actor;
  /**
   * Authentication events only, when the session obtained is not the actor's own (the actor signed in
   * as someone else).
   */
  authenticatedAs?: PrincipalRef;
  /** AWS centralized root access: an `sts:AssumeRoot` call, or a record of the privileged root session it opened. */
  rootSession?: RootSession;
  /** A member added to or removed from a group (Entra, Google Workspace, IAM Identity Center). */
  membership?: GroupMembership;
  /** An Entra Conditional Access policy's user exclusions before and after an update. */
  conditionalAccess?: ConditionalAccessChange;
  /** Entra AuditLogs only: the targets' modified properties and the result reason. */
  directory?: DirectoryRecord;
  /** Principals the action was done to (the user whose password/keys/MFA/roles changed). */
  targets: PrincipalRef[];
  /** Resource names or ids the action touched. Untrusted text. */
  resources: string[];
  /** Only on `authentication` events. */
  mfa?: MfaInfo;
  /** Cloud account / project / subscription / tenant the event happened in. */
  account?: string;
  region?: string;
  src: SourceEndpoint;
  origin: EventOrigin;
  /** The record as the provider wrote it. Never rendered as markup. */
  raw: unknown;
}
