import type { Cloud, PrincipalRef } from '../model/audit-event.js';
import { iamIdentity, iamKey, splitArn, wildcardToRegExp } from './aws-identity.js';
import { type CredentialStore, sameStoreKey, storeKeys } from './credential-stores.js';
import { GroupMatcher } from './groups.js';
import type { BreakGlassAccount, DrillWindow, Registry } from './schema.js';

/**
 * "Who is this": a principal of a record resolved to its registry entry and the concrete principal
 * it is. One entry may watch many principals (`arn:aws:iam::*:root`); each is told apart by `key`.
 */
export interface Resolution {
  account: BreakGlassAccount;
  /** Stable, lower-case name of the concrete principal: `aws:111122223333:root`, an e-mail, a UPN. */
  key: string;
  /** True when the entry is a pattern, so one entry stands for several principals. */
  wildcard: boolean;
}

/** Identity types whose `userName` is a directory user, never an IAM user (Identity Center). */
const DIRECTORY_USER_TYPES: ReadonlySet<string> = new Set(['Unknown', 'IdentityCenterUser']);

/**
 * Answers "is this principal a break-glass account, and which one?" in O(1) for exact keys; wildcard
 * entries are few and tested only after the exact maps miss. Built once per registry, used on every event.
 */
export class RegistryMatcher {
  /** IAM identities by {@link iamKey}: root, users and roles, whatever their path, case and partition. */
  private readonly awsIam = new Map<string, BreakGlassAccount>();
  private readonly awsIamPatterns: { pattern: RegExp; source: string; account: BreakGlassAccount }[] = [];
  /** Other ARNs (STS sessions, federated users), compared as written. */
  private readonly awsArn = new Map<string, BreakGlassAccount>();
  private readonly awsArnPatterns: { pattern: RegExp; source: string; account: BreakGlassAccount }[] = [];
  /** userName (lower case) → accounts; several accounts may share a name in different AWS accounts. */
  private readonly awsUserName = new Map<string, BreakGlassAccount[]>();
  private readonly gcpEmail = new Map<string, BreakGlassAccount>();
  private readonly azureUpn = new Map<string, BreakGlassAccount>();
  private readonly azureObjectId = new Map<string, BreakGlassAccount>();
  private readonly byId = new Map<string, BreakGlassAccount>();
  private readonly drillsByAccount = new Map<string, DrillWindow[]>();
  /** Canonical keys of every declared credential store, with the account that owns it. */
  private readonly stores: { key: string; account: BreakGlassAccount }[] = [];

  /** Emergency groups and Conditional Access exclusion groups. */
  readonly groups: GroupMatcher;

  constructor(readonly registry: Registry) {
    this.groups = new GroupMatcher(registry);
    for (const account of registry.accounts) {
      this.byId.set(account.id, account);
      if (account.cloud === 'aws') this.addAws(account);
      else if (account.cloud === 'gcp') this.gcpEmail.set(account.match.email.toLowerCase(), account);
      else {
        const { userPrincipalName, objectId } = account.match;
        if (userPrincipalName) this.azureUpn.set(userPrincipalName.toLowerCase(), account);
        if (objectId) this.azureObjectId.set(objectId.toLowerCase(), account);
      }
    }
    for (const account of registry.accounts) {
      for (const store of declaredStores(account))
        for (const key of storeKeys(store)) this.stores.push({ key, account });
    }
    for (const drill of registry.drills) {
      this.drillsByAccount.set(drill.account, [...(this.drillsByAccount.get(drill.account) ?? []), drill]);
    }
  }

  /** The break-glass account this principal is, or undefined. Emails and UPNs compare case-insensitively. */
  match(cloud: Cloud, ref: PrincipalRef | undefined): BreakGlassAccount | undefined {
    return this.resolve(cloud, ref)?.account;
  }

  /** The registry entry and the concrete principal this principal is, or undefined. */
  resolve(cloud: Cloud, ref: PrincipalRef | undefined): Resolution | undefined {
    if (!ref) return undefined;
    if (cloud === 'aws') return this.resolveAws(ref);
    if (cloud === 'gcp') {
      const email = ref.email?.toLowerCase();
      const account = email ? this.gcpEmail.get(email) : undefined;
      return account && email ? { account, key: email, wildcard: false } : undefined;
    }
    // Vault tokens are never a break-glass account: Vault records only feed the credential rules.
    if (cloud !== 'azure') return undefined;
    const upn = ref.upn?.toLowerCase();
    const objectId = ref.objectId?.toLowerCase();
    const account =
      (upn ? this.azureUpn.get(upn) : undefined) ?? (objectId ? this.azureObjectId.get(objectId) : undefined);
    return account ? { account, key: upn ?? objectId ?? account.id, wildcard: false } : undefined;
  }

  /** The break-glass account whose credential store one of these canonical keys names, with the key. */
  credentialOwner(keys: readonly string[]): { account: BreakGlassAccount; key: string } | undefined {
    if (this.stores.length === 0) return undefined;
    for (const seen of keys) {
      const found = this.stores.find((s) => sameStoreKey(s.key, seen));
      if (found) return { account: found.account, key: found.key };
    }
    return undefined;
  }

  /** True when any account declares a credential store (the credential rules are idle otherwise). */
  get watchesCredentials(): boolean {
    return this.stores.length > 0;
  }

  account(id: string): BreakGlassAccount | undefined {
    return this.byId.get(id);
  }

  /** The declared drill window covering `timeMs` for this account, if any. */
  drillAt(accountId: string, timeMs: number): DrillWindow | undefined {
    return this.drillsByAccount
      .get(accountId)
      ?.find((d) => Date.parse(d.start) <= timeMs && timeMs <= Date.parse(d.end));
  }

  /** `credential.openingWindowHours` of an account that declares where its credential is kept. */
  openingWindowMs(accountId: string): number | undefined {
    const account = this.byId.get(accountId);
    if (!account || !this.stores.some((s) => s.account === account)) return undefined;
    return (account.credential?.openingWindowHours ?? 12) * 3_600_000;
  }

  sessionGapMs(accountId: string | null): number {
    const minutes =
      (accountId ? this.byId.get(accountId)?.sessionGapMinutes : undefined) ?? this.registry.defaults.sessionGapMinutes;
    return minutes * 60_000;
  }

  /**
   * Lower-case strings of which every AWS record this matcher resolves to a break-glass account contains
   * at least one, case-insensitively, in its JSON text (when the text holds no escapes): the name of
   * each IAM user or role (`root` for root users: their ARNs end in `:root` and their identity type is
   * `Root`), each other ARN, each user name, and for a pattern its longest literal run. Undefined when
   * an entry has no literal to look for (`arn:aws:iam::*:role/*`): then every record must be read.
   */
  awsTextNeedles(): string[] | undefined {
    const needles = new Set<string>();
    const wanted = [
      ...[...this.awsIam.keys()].map(needleOfIamKey),
      ...this.awsIamPatterns.map(({ source }) => needleOfIamKey(source)),
      ...this.awsArn.keys(),
      ...this.awsArnPatterns.map(({ source }) => longestLiteral(source)),
      ...this.awsUserName.keys(),
    ];
    for (const needle of wanted) {
      // Too short to tell records apart (or nothing literal): every record is read instead.
      if (needle === undefined || needle.length < 3) return undefined;
      needles.add(needle.toLowerCase());
    }
    return [...needles];
  }

  private addAws(account: Extract<BreakGlassAccount, { cloud: 'aws' }>): void {
    const { arn, userName } = account.match;
    if (arn) {
      const identity = splitArn(arn)?.service === 'iam' ? iamIdentity(arn) : undefined;
      if (identity) {
        const key = iamKey(identity);
        if (key.includes('*')) this.awsIamPatterns.push({ pattern: wildcardToRegExp(key, 'i'), source: key, account });
        else this.awsIam.set(key, account);
      } else if (arn.includes('*')) this.awsArnPatterns.push({ pattern: wildcardToRegExp(arn), source: arn, account });
      else this.awsArn.set(arn, account);
    }
    if (userName) {
      const key = userName.toLowerCase();
      this.awsUserName.set(key, [...(this.awsUserName.get(key) ?? []), account]);
    }
  }

  private resolveAws(ref: PrincipalRef): Resolution | undefined {
    for (const key of iamKeysOf(ref)) {
      const exact = this.awsIam.get(key);
      if (exact) return { account: exact, key: `aws:${key}`, wildcard: false };
      for (const { pattern, account } of this.awsIamPatterns) {
        if (pattern.test(key)) return { account, key: `aws:${key}`, wildcard: true };
      }
    }
    if (ref.arn) {
      const exact = this.awsArn.get(ref.arn);
      if (exact) return { account: exact, key: `aws:${ref.arn.toLowerCase()}`, wildcard: false };
      for (const { pattern, account } of this.awsArnPatterns) {
        if (pattern.test(ref.arn)) return { account, key: `aws:${ref.arn.toLowerCase()}`, wildcard: true };
      }
    }
    const userName = ref.userName ?? userNameOf(ref.arn);
    if (!userName) return undefined;
    const accountId = ref.accountId ?? splitArn(ref.arn ?? '')?.account;
    const account = this.awsUserName
      .get(userName.toLowerCase())
      ?.find((c) => c.cloud === 'aws' && (!c.match.accountId || c.match.accountId === accountId));
    if (!account) return undefined;
    return { account, key: `aws:${accountId ?? '*'}:name/${userName.toLowerCase()}`, wildcard: false };
  }
}

/**
 * Every IAM identity key a principal reference names: its ARN (root, user, a role session's role), its
 * session issuer role, and a bare `userName` in its account, which is an IAM user unless the reference
 * is an Identity Center actor.
 */
function iamKeysOf(ref: PrincipalRef): string[] {
  const keys: string[] = [];
  for (const arn of [ref.arn, ref.roleArn]) {
    const identity = iamIdentity(arn);
    if (identity) keys.push(iamKey(identity));
  }
  const type = (ref as { type?: unknown }).type;
  const accountId = ref.accountId ?? splitArn(ref.arn ?? '')?.account;
  if (ref.userName && accountId && !(typeof type === 'string' && DIRECTORY_USER_TYPES.has(type))) {
    keys.push(iamKey({ account: accountId, kind: 'user', name: ref.userName }));
  }
  return keys;
}

/**
 * What a record resolving to this IAM key must contain: the user or role name (a pattern: its longest
 * literal run, else the account's), `root` for root. Undefined when nothing literal is left.
 */
function needleOfIamKey(key: string): string | undefined {
  const colon = key.indexOf(':');
  const resource = key.slice(colon + 1);
  if (resource === 'root') return 'root';
  const name = longestLiteral(resource.slice(resource.indexOf('/') + 1));
  return name ?? longestLiteral(key.slice(0, colon));
}

/** The longest run without `*`, or undefined when shorter than 3 characters (it would match everywhere). */
function longestLiteral(pattern: string): string | undefined {
  const longest = pattern.split('*').reduce((a, b) => (b.length > a.length ? b : a), '');
  return longest.length >= 3 ? longest : undefined;
}

/** `arn:aws:iam::123456789012:user/path/Name` → `Name` (IAM user ARNs only). */
function userNameOf(arn: string | undefined): string | undefined {
  const identity = iamIdentity(arn);
  return identity?.kind === 'user' ? identity.name : undefined;
}

/** The stores an account declares, with `rotation.secretId` as one more Secrets Manager store. */
export function declaredStores(account: BreakGlassAccount): CredentialStore[] {
  const stores = [...(account.credential?.stores ?? [])];
  const secretId = account.rotation?.secretId;
  if (secretId && !stores.some((s) => 'secretsManager' in s && s.secretsManager === secretId))
    stores.push({ secretsManager: secretId });
  return stores;
}
