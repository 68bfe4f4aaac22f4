import type { Registry } from '../../registry/index.js';
import { FilterBuildError } from './errors.js';
import { loggingString, loggingTime } from './quote.js';
import { GCP_TAMPER_CLAUSES, GCP_TAMPER_GROUPS, type Watched, watchList } from './watch-list.js';

/**
 * Registry → Cloud Logging query (the sink filter of the push path, and the base of the pull filter).
 * Query language: https://cloud.google.com/logging/docs/view/logging-query-language
 */

/** entries.list and sink filters are limited to 20,000 characters. */
export const CLOUD_LOGGING_FILTER_MAX = 20_000;

/** What a pull reads: entries Cloud Logging received in [fromMs, toMs), whose event time is after eventFromMs. */
export interface ReceiveWindow {
  fromMs: number;
  toMs: number;
  eventFromMs: number;
}

/**
 * The sink filter: Cloud Audit Log entries (Google Cloud and Workspace, which Cloud Logging files as
 * `cloudaudit.googleapis.com` logs) where
 * - a break-glass account is the caller (API calls, and Workspace login events: their caller is the user),
 *   or the first party of a service account's delegation chain (the account impersonating it),
 * - an IAM policy change adds or removes a break-glass account (`policyDelta.bindingDeltas[].member`),
 * - a Workspace event names a break-glass account in a parameter (`USER_EMAIL`, `affected_email_address`),
 * - anyone calls a method of the tamper table (sinks, exclusions, log buckets, log deletion, the Pub/Sub
 *   topic and subscription, the push function),
 * - anyone changes an audit config (SetIamPolicy with `auditConfigDeltas`, the table's own clause),
 * - anyone reads or changes a Secret Manager secret that holds a break-glass credential.
 * With no GCP account in the registry only the last two remain (tampering concerns every project).
 *
 * @example
 * const filter = cloudLoggingFilter(registry);
 * // gcloud logging sinks create glasswatch pubsub.googleapis.com/projects/p/topics/t --log-filter="$filter"
 */
export function cloudLoggingFilter(registry: Registry): string {
  const { gcpEmails: emails, gcpSecrets } = watchList(registry);
  const clauses: string[] = [];
  if (emails.length > 0) {
    clauses.push(
      `protoPayload.authenticationInfo.principalEmail=${anyOf(emails)}`,
      `protoPayload.authenticationInfo.principalSubject=${anyOf(emails, 'user:')}`,
      `protoPayload.authenticationInfo.serviceAccountDelegationInfo.firstPartyPrincipal.principalEmail=${anyOf(emails)}`,
      `protoPayload.serviceData.policyDelta.bindingDeltas.member=${anyOf(emails, 'user:')}`,
      `protoPayload.metadata.event.parameter.value=${anyOf(emails)}`,
    );
  }
  for (const group of GCP_TAMPER_GROUPS) {
    const methods = `protoPayload.methodName:(${group.methods.map((m) => loggingString(m, 'tamper-actions gcp')).join(' OR ')})`;
    clauses.push(
      group.service
        ? `(protoPayload.serviceName=${loggingString(group.service, 'tamper-actions gcp')} AND ${methods})`
        : methods,
    );
  }
  clauses.push(...GCP_TAMPER_CLAUSES);
  // Reads and changes of a Secret Manager secret that holds a break-glass credential, by anyone
  // (AccessSecretVersion is a Data Access log: Data Access logging must be on for Secret Manager).
  if (gcpSecrets.length > 0) {
    const names = gcpSecrets.map((s) => loggingString(s.value, s.where)).join(' OR ');
    clauses.push(`(protoPayload.serviceName="secretmanager.googleapis.com" AND protoPayload.resourceName:(${names}))`);
  }
  const filter = `logName:"cloudaudit.googleapis.com"\nAND (\n  ${clauses.join('\n  OR ')}\n)`;
  return checkLength(filter, 'GCP sink filter');
}

/**
 * The pull filter for one poll: the sink filter, restricted to entries received in the window.
 * `receiveTimestamp` is the cursor; the `timestamp` bound is there for speed (timestamp is indexed,
 * receiveTimestamp is not) and because `Logging#getEntries` would otherwise add its own
 * `timestamp >= <24 h ago>`, silently dropping Workspace entries that arrive a day late.
 */
export function cloudLoggingPollFilter(baseFilter: string, window: ReceiveWindow): string {
  const filter =
    `(${baseFilter})\nAND receiveTimestamp>=${loggingTime(window.fromMs)} AND receiveTimestamp<${loggingTime(window.toMs)}` +
    `\nAND timestamp>=${loggingTime(window.eventFromMs)}`;
  return checkLength(filter, 'GCP pull filter');
}

/** `("a@x" OR "b@x")`, each value quoted; `prefix` is added inside the literal (`user:`). */
function anyOf(values: readonly Watched[], prefix = ''): string {
  return `(${values.map((v) => loggingString(`${prefix}${v.value}`, v.where)).join(' OR ')})`;
}

function checkLength(filter: string, target: string): string {
  if (filter.length > CLOUD_LOGGING_FILTER_MAX) {
    throw new FilterBuildError(
      target,
      `${filter.length} characters, over Cloud Logging's ${CLOUD_LOGGING_FILTER_MAX}: split the registry's GCP accounts across two sinks`,
    );
  }
  return filter;
}
