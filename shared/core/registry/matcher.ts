import type { Cloud, PrincipalRef } from '../model/audit-event.js';
import type { BreakGlassAccount, DrillWindow, Registry } from './schema.js';

/**
 * Answers "is this principal a break-glass account?" in O(1) for exact keys; wildcard ARNs are few
 * and tested only after the exact maps miss. Built once per registry, used on every event.
 */
export class RegistryMatcher {
  private readonly awsArn = new Map<string, BreakGlassAccount>();
  private readonly awsArnPatterns: { pattern: RegExp; account: BreakGlassAccount }[] = [];
  /** userName (lower case) → accounts; several accounts may share a name in different AWS accounts. */
  private readonly awsUserName = new Map<string, BreakGlassAccount[]>();
  private readonly gcpEmail = new Map<string, BreakGlassAccount>();
  private readonly azureUpn = new Map<string, BreakGlassAccount>();
  private readonly azureObjectId = new Map<string, BreakGlassAccount>();
  private readonly byId = new Map<string, BreakGlassAccount>();
  private readonly drillsByAccount = new Map<string, DrillWindow[]>();

  constructor(readonly registry: Registry) {
    for (const account of registry.accounts) {
      this.byId.set(account.id, account);
      if (account.cloud === 'aws') {
        const { arn, userName } = account.match;
        if (arn?.includes('*')) this.awsArnPatterns.push({ pattern: wildcardToRegExp(arn), account });
        else if (arn) this.awsArn.set(arn, account);
        if (userName) {
          const key = userName.toLowerCase();
          this.awsUserName.set(key, [...(this.awsUserName.get(key) ?? []), account]);
        }
      } else if (account.cloud === 'gcp') {
        this.gcpEmail.set(account.match.email.toLowerCase(), account);
      } else {
        const { userPrincipalName, objectId } = account.match;
        if (userPrincipalName) this.azureUpn.set(userPrincipalName.toLowerCase(), account);
        if (objectId) this.azureObjectId.set(objectId.toLowerCase(), account);
      }
    }
    for (const drill of registry.drills) {
      this.drillsByAccount.set(drill.account, [...(this.drillsByAccount.get(drill.account) ?? []), drill]);
    }
  }

  /** The break-glass account this principal is, or undefined. Emails and UPNs compare case-insensitively. */
  match(cloud: Cloud, ref: PrincipalRef | undefined): BreakGlassAccount | undefined {
    if (!ref) return undefined;
    if (cloud === 'aws') return this.matchAws(ref);
    if (cloud === 'gcp') return ref.email ? this.gcpEmail.get(ref.email.toLowerCase()) : undefined;
    return (
      (ref.upn ? this.azureUpn.get(ref.upn.toLowerCase()) : undefined) ??
      (ref.objectId ? this.azureObjectId.get(ref.objectId.toLowerCase()) : undefined)
    );
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

  sessionGapMs(accountId: string | null): number {
    const minutes =
      (accountId ? this.byId.get(accountId)?.sessionGapMinutes : undefined) ?? this.registry.defaults.sessionGapMinutes;
    return minutes * 60_000;
  }

  private matchAws(ref: PrincipalRef): BreakGlassAccount | undefined {
    if (ref.arn) {
      const exact = this.awsArn.get(ref.arn);
      if (exact) return exact;
      for (const { pattern, account } of this.awsArnPatterns) if (pattern.test(ref.arn)) return account;
    }
    const userName = ref.userName ?? userNameFromArn(ref.arn);
    if (userName) {
      const candidates = this.awsUserName.get(userName.toLowerCase());
      if (candidates) {
        const accountId = ref.accountId ?? accountFromArn(ref.arn);
        return candidates.find((c) => c.cloud === 'aws' && (!c.match.accountId || c.match.accountId === accountId));
      }
    }
    return undefined;
  }
}

/** `arn:aws:iam::123456789012:user/path/Name` → `Name` (IAM user ARNs only). */
function userNameFromArn(arn: string | undefined): string | undefined {
  const marker = arn?.indexOf(':user/') ?? -1;
  if (!arn || marker === -1 || !arn.startsWith('arn:aws')) return undefined;
  return arn.slice(arn.lastIndexOf('/') + 1) || undefined;
}

function accountFromArn(arn: string | undefined): string | undefined {
  return arn?.split(':')[4] || undefined;
}

/** `*` matches any run of characters inside one ARN; everything else is literal. */
function wildcardToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`);
}
