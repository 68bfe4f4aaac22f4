import type { Registry } from '../../registry/index.js';

/**
 * What the pull queries and the push sink must let through, read from the registry: the break-glass
 * principals per cloud, plus the audit-tampering operations (which fire for anyone, so they are not
 * narrowed to principals). Values keep the registry entry they came from, so a value that cannot be
 * quoted is reported against its entry.
 */

/** One identifier to watch and the registry entry it came from (`accounts[2] (id entra-ea1) field match.userPrincipalName`). */
export interface Watched {
  value: string;
  where: string;
}

export interface WatchList {
  /** Google principals (lower case, sorted, distinct). */
  gcpEmails: Watched[];
  /** Entra user principal names (lower case: compared with tolower() in KQL). */
  azureUpns: Watched[];
  /** Entra object ids (lower case). */
  azureObjectIds: Watched[];
}

/**
 * Cloud Logging methods that stop or weaken audit delivery, matched as the last segment of
 * `protoPayload.methodName` (`google.logging.v2.ConfigServiceV2.DeleteSink`). Kept equal to the GCP part
 * of the audit-tamper rule's table; a unit test feeds each one through that rule.
 */
export const GCP_TAMPER_METHODS: readonly string[] = [
  'DeleteSink',
  'UpdateSink',
  'CreateExclusion',
  'UpdateExclusion',
  'DeleteBucket',
  'DeleteLog',
];

/** The service those methods belong to. */
export const GCP_LOGGING_SERVICE = 'logging.googleapis.com';

/**
 * Activity log operations that cut the diagnostic-settings stream. `MICROSOFT.AADIAM` is Entra's own
 * diagnostic setting (tenant-level Activity log, reaches a workspace only through a tenant-level setting).
 */
export const AZURE_TAMPER_OPERATIONS: readonly string[] = [
  'MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/DELETE',
  'MICROSOFT.AADIAM/DIAGNOSTICSETTINGS/DELETE',
];

/** Role-assignment operations whose request body names the principal gaining or losing a role. */
export const AZURE_ROLE_ASSIGNMENT_OPERATIONS: readonly string[] = [
  'MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE',
  'MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/DELETE',
];

export function watchList(registry: Registry): WatchList {
  const gcp = new Map<string, string>();
  const upns = new Map<string, string>();
  const objectIds = new Map<string, string>();
  registry.accounts.forEach((account, i) => {
    const at = (field: string) => `accounts[${i}] (id ${account.id}) field match.${field}`;
    if (account.cloud === 'gcp') addOnce(gcp, account.match.email, at('email'));
    if (account.cloud === 'azure') {
      if (account.match.userPrincipalName) addOnce(upns, account.match.userPrincipalName, at('userPrincipalName'));
      if (account.match.objectId) addOnce(objectIds, account.match.objectId, at('objectId'));
    }
  });
  return { gcpEmails: sorted(gcp), azureUpns: sorted(upns), azureObjectIds: sorted(objectIds) };
}

function addOnce(into: Map<string, string>, value: string, where: string): void {
  const key = value.toLowerCase();
  if (!into.has(key)) into.set(key, where);
}

function sorted(values: Map<string, string>): Watched[] {
  return [...values.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([value, where]) => ({ value, where }));
}
