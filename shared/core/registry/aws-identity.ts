/**
 * The identities an AWS registry `arn` names, reduced to one comparable key per IAM identity:
 * `<account>:root`, `<account>:user/<name>`, `<account>:role/<name>` (names lower-case, paths dropped).
 * IAM user and role names are unique per account whatever their path and case
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html), so `user/ops/Name`
 * and `user/Name` are the same user, and a record that names a user only by `userName` in its account
 * is the same user as the registry's ARN. The partition (`aws`, `aws-us-gov`, `aws-cn`, …) is not part
 * of the key: an account id belongs to one partition.
 */

export type IamKind = 'root' | 'user' | 'role';

export interface IamIdentity {
  partition: string;
  account: string;
  kind: IamKind;
  /** User or role name as written (no path); empty for root. */
  name: string;
}

/** `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`; the resource may itself hold colons. */
export function splitArn(
  arn: string,
): { partition: string; service: string; region: string; account: string; resource: string } | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || !parts[1]?.startsWith('aws')) return undefined;
  return {
    partition: parts[1],
    service: parts[2] ?? '',
    region: parts[3] ?? '',
    account: parts[4] ?? '',
    resource: parts.slice(5).join(':'),
  };
}

/**
 * Identities of the ARNs seen lately (frozen: shared by every caller). A log names few principals many
 * times, and matching asks for the actor's identity several times per record (its ARN, its user name,
 * its account): 250k records parsed ~1M ARNs. Bounded: ARNs up to 256 characters (IAM
 * names stay far below), 4,096 of them, cleared when full.
 */
const IDENTITIES = new Map<string, Readonly<IamIdentity> | null>();
const IDENTITIES_KEPT = 4096;
const CACHED_ARN_LENGTH = 256;

/**
 * The IAM identity an ARN names: root, an IAM user, an IAM role, or the role of an STS
 * `assumed-role/Role/Session` ARN. Undefined for anything else (federated users, services).
 */
export function iamIdentity(arn: string | undefined): IamIdentity | undefined {
  if (arn === undefined) return undefined;
  if (arn.length > CACHED_ARN_LENGTH) return parseIdentity(arn);
  const known = IDENTITIES.get(arn);
  if (known !== undefined) return known ?? undefined;
  const identity = parseIdentity(arn);
  if (IDENTITIES.size >= IDENTITIES_KEPT) IDENTITIES.clear();
  IDENTITIES.set(arn, identity ? Object.freeze(identity) : null);
  return identity;
}

function parseIdentity(arn: string): IamIdentity | undefined {
  const parsed = splitArn(arn);
  if (!parsed || parsed.account === '') return undefined;
  const { partition, service, account, resource } = parsed;
  if (service === 'iam' && resource === 'root') return { partition, account, kind: 'root', name: '' };
  if (service === 'iam' && (resource.startsWith('user/') || resource.startsWith('role/'))) {
    const name = resource.slice(resource.lastIndexOf('/') + 1);
    return name === '' ? undefined : { partition, account, kind: resource.startsWith('user/') ? 'user' : 'role', name };
  }
  if (service === 'sts' && resource.startsWith('assumed-role/')) {
    const role = resource.split('/')[1];
    return role ? { partition, account, kind: 'role', name: role } : undefined;
  }
  return undefined;
}

/** The comparable key of an IAM identity: `111122223333:user/breakglass`. */
export function iamKey(identity: Pick<IamIdentity, 'account' | 'kind' | 'name'>): string {
  return identity.kind === 'root'
    ? `${identity.account}:root`
    : `${identity.account}:${identity.kind}/${identity.name.toLowerCase()}`;
}

/** The session name of an `assumed-role/Role/Session` ARN. */
export function sessionNameOf(arn: string | undefined): string | undefined {
  const parsed = arn === undefined ? undefined : splitArn(arn);
  if (parsed?.service !== 'sts' || !parsed.resource.startsWith('assumed-role/')) return undefined;
  return parsed.resource.split('/').slice(2).join('/') || undefined;
}

/** `*` matches any run of characters; everything else is literal. */
export function wildcardToRegExp(pattern: string, flags = ''): RegExp {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, flags);
}
