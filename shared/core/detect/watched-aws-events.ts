import { MEMBERSHIP_ACTIONS } from '../normalize/group-membership.js';
import type { ActionTable } from './action-table.js';
import { awsCredentialEventNames } from './credential-actions.js';
import { ROOT_ACCESS_CHANGES } from './root-access.js';
import { TAMPER_ACTIONS } from './tamper-actions.js';

/**
 * The AWS event names that concern a break-glass account even when no break-glass principal makes or
 * suffers the call, by event source, derived from the rule tables: what the sweeper asks CloudTrail
 * event history for, what the regional forwarder lets through, and what the CloudTrail screen
 * (ingest/cloudtrail-screen.ts) always hands to the rules.
 */

/**
 * AWS actions that stop or weaken audit logging or its delivery, by event source: the `aws` entries of
 * the audit-tamper rule's table. The EventBridge forwarding rule (infra/regional-forwarder.yaml) lists
 * the same names; tests check they agree and that each name fires the rule.
 */
export const AWS_TAMPER_EVENTS: Readonly<Record<string, readonly string[]>> = byService(TAMPER_ACTIONS);

/** sts:AssumeRoot is called by an IAM principal and opens a privileged root session of a member account. */
export const ASSUME_ROOT_EVENT = 'AssumeRoot';

/**
 * Calls made by principals that are not break-glass (so neither a Username query nor the root/IAM-user
 * forwarding patterns catch them) which still concern one: tampering, `sts:AssumeRoot`, the
 * centralized-root-access switches, and Identity Center group membership changes (emergency groups). The sweeper asks for each name; the forwarding rule lists them per
 * event source (a test compares both with this).
 */
export const AWS_WATCHED_EVENTS: Readonly<Record<string, readonly string[]>> = merge(
  AWS_TAMPER_EVENTS,
  byService(ROOT_ACCESS_CHANGES),
  { 'sts.amazonaws.com': [ASSUME_ROOT_EVENT] },
  ...MEMBERSHIP_ACTIONS.filter((a) => a.cloud === 'aws').map((a) => ({ [a.service ?? '*']: [a.action] })),
);

/** The `aws` groups of an action table as event names by event source (`*`: any source). */
export function byService(table: ActionTable): Record<string, readonly string[]> {
  return merge(...(table.aws ?? []).map((group) => ({ [group.service ?? '*']: group.actions })));
}

/** Event-name lists by source, merged, each name once. */
export function merge(...tables: Readonly<Record<string, readonly string[]>>[]): Record<string, readonly string[]> {
  const out: Record<string, string[]> = {};
  for (const table of tables) {
    for (const [service, actions] of Object.entries(table)) {
      out[service] = [...new Set([...(out[service] ?? []), ...actions])];
    }
  }
  return out;
}

/**
 * Reads and changes of the AWS credential stores (Secrets Manager, Parameter Store), by event source:
 * the `aws` entries of the credential table. The forwarding rule lists the same names (a test checks).
 */
export const AWS_CREDENTIAL_EVENTS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  awsCredentialEventNames(),
);
