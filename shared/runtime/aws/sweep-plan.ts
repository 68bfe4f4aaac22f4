import type { LookupQuery } from '../../adapters/aws/cloudtrail-lookup.js';
import { TAMPER_ACTIONS } from '../../core/detect/tamper-actions.js';
import type { Registry } from '../../core/registry/index.js';

/**
 * What the sweeper asks CloudTrail event history, derived from the registry: one query per lookup
 * attribute value, because LookupEvents takes one attribute per call.
 */

/**
 * AWS actions that stop or weaken audit logging or its delivery, by event source: the `aws` entries of
 * the audit-tamper rule's table. The EventBridge forwarding rule (infra/regional-forwarder.yaml) lists
 * the same names; tests check they agree and that each name fires the rule.
 */
export const AWS_TAMPER_EVENTS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  (TAMPER_ACTIONS.aws ?? []).map((group) => [group.service ?? '*', group.actions]),
);

/** sts:AssumeRoot is called by an IAM principal and yields a root session of a member account. */
export const ASSUME_ROOT_EVENT = 'AssumeRoot';

export interface SweepPlan {
  queries: LookupQuery[];
  /** Registry entries event history cannot be searched for (patterns, role sessions), with why. */
  unsearchable: string[];
}

/** The IAM name event history files a principal's records under: `root`, or the IAM user's name. */
function usernameOf(arn: string): string | undefined {
  const resource = arn.split(':').slice(5).join(':');
  if (resource === 'root') return 'root';
  if (resource.startsWith('user/') && !resource.includes('*')) return resource.slice(resource.lastIndexOf('/') + 1);
  return undefined;
}

/**
 * Username queries for every AWS break-glass account (root → `root`), EventName queries for every
 * tamper action and for AssumeRoot. Duplicates are merged.
 *
 * @example
 * sweepPlan(registry).queries; // [{ attribute: 'Username', value: 'root' }, { attribute: 'EventName', value: 'StopLogging' }, …]
 */
export function sweepPlan(registry: Registry): SweepPlan {
  const usernames = new Set<string>();
  const unsearchable: string[] = [];
  for (const account of registry.accounts) {
    if (account.cloud !== 'aws') continue;
    const { arn, userName } = account.match;
    const name = userName ?? (arn ? usernameOf(arn) : undefined);
    if (name) usernames.add(name);
    else
      unsearchable.push(
        `${account.id}: event history cannot be searched by ${arn ?? 'this match'}; the S3 and EventBridge paths still cover it`,
      );
  }
  const eventNames = [...Object.values(AWS_TAMPER_EVENTS).flat(), ASSUME_ROOT_EVENT];
  return {
    queries: [
      ...[...usernames].sort().map((value): LookupQuery => ({ attribute: 'Username', value })),
      ...eventNames.map((value): LookupQuery => ({ attribute: 'EventName', value })),
    ],
    unsearchable,
  };
}
