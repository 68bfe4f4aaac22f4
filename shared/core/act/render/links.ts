import type { IncidentEvent } from '../../model/incident.js';
import { GUID } from '../../text.js';
import { sanitizeText } from './sanitize.js';

/**
 * Where a reviewer finds the raw record behind a timeline row, without a console search: a console URL
 * and/or a query. Built only from ids that pass a strict format check and are URL-encoded; an id that
 * does not look like its provider's ids is reported as such and never put in a URL.
 */
export interface RawEventQuery {
  /** "CloudTrail event history", "Cloud Logging", "Log Analytics (KQL)". */
  label: string;
  /** A URL or a query, trusted (built from validated parts). */
  text: string;
}

const AWS_REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const GCP_INSERT_ID = /^[A-Za-z0-9_.-]{1,256}$/;
const GCP_PROJECT = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

/** Entra/Azure service (category) → Log Analytics table and id column. */
const AZURE_TABLES: Readonly<Record<string, { table: string; column: string }>> = {
  signinlogs: { table: 'SigninLogs', column: 'Id' },
  noninteractiveusersigninlogs: { table: 'AADNonInteractiveUserSignInLogs', column: 'Id' },
  serviceprincipalsigninlogs: { table: 'AADServicePrincipalSignInLogs', column: 'Id' },
  managedidentitysigninlogs: { table: 'AADManagedIdentitySignInLogs', column: 'Id' },
  auditlogs: { table: 'AuditLogs', column: 'Id' },
};
const AZURE_ACTIVITY = { table: 'AzureActivity', column: 'EventDataId' };

/** The native id: AuditEvent ids are `${cloud}:${nativeId}`. */
export function nativeIdOf(event: IncidentEvent): string {
  const colon = event.id.indexOf(':');
  return colon >= 0 ? event.id.slice(colon + 1) : event.id;
}

type QueryBuilder = (id: string, event: IncidentEvent) => RawEventQuery[] | undefined;

const BUILDERS: Readonly<Record<IncidentEvent['cloud'], QueryBuilder>> = {
  aws: (id, event) => {
    if (!GUID.test(id)) return undefined;
    const region = event.region && AWS_REGION.test(event.region) ? event.region : undefined;
    const queries: RawEventQuery[] = [];
    if (region) {
      queries.push({
        label: 'CloudTrail event history',
        text: `https://${region}.console.aws.amazon.com/cloudtrailv2/home?region=${region}#/events/${encodeURIComponent(id)}`,
      });
    }
    queries.push({
      label: 'AWS CLI',
      text: `aws cloudtrail lookup-events${region ? ` --region ${region}` : ''} --lookup-attributes AttributeKey=EventId,AttributeValue=${id}`,
    });
    return queries;
  },
  gcp: (id, event) => {
    if (!GCP_INSERT_ID.test(id)) return undefined;
    const filter = `insertId="${id}"`;
    const project = event.where && GCP_PROJECT.test(event.where) ? event.where : undefined;
    const queries: RawEventQuery[] = [];
    if (project) {
      queries.push({
        label: 'Cloud Logging',
        text: `https://console.cloud.google.com/logs/query;query=${encodeURIComponent(filter)}?project=${project}`,
      });
    }
    queries.push({ label: 'Logging query', text: filter });
    return queries;
  },
  azure: (id, event) => {
    if (!GUID.test(id)) return undefined;
    const { table, column } = AZURE_TABLES[event.service.toLowerCase()] ?? AZURE_ACTIVITY;
    return [{ label: 'Log Analytics (KQL)', text: `${table} | where ${column} == "${id.toLowerCase()}"` }];
  },
  // Vault audit device files: the response entry of the request id (a UUID Vault generates).
  vault: (id) => {
    if (!GUID.test(id)) return undefined;
    return [
      {
        label: 'Vault audit log (jq)',
        text: `jq -c 'select(.type == "response" and .request.id == "${id}")' audit.log`,
      },
    ];
  },
};

/** Queries for one event, or a single line saying why there is none (the origin is still shown). */
export function rawEventQueries(event: IncidentEvent): RawEventQuery[] {
  const built = BUILDERS[event.cloud](nativeIdOf(event), event);
  if (built) return built;
  return [
    {
      label: 'Raw event',
      text: `id not in the provider's format, so no query is built; read from ${sanitizeText(event.origin, 200)}`,
    },
  ];
}
