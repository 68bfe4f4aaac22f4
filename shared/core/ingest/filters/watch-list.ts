import { TAMPER_ACTIONS, TAMPER_ENTRIES } from '../../detect/tamper-actions.js';
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
  /** Google Secret Manager secrets holding a break-glass credential (`projects/P/secrets/S`). */
  gcpSecrets: Watched[];
  /** Entra groups whose membership matters: emergency groups and Conditional Access exclusion groups. */
  azureGroupIds: Watched[];
  /** Azure Key Vault secrets holding a break-glass credential (vault and secret name, lower case). */
  azureKeyVaultSecrets: { vault: string; secret: string; where: string }[];
}

/**
 * Cloud Logging methods that stop or weaken audit delivery, per service, from the one tamper table
 * the audit-tamper rule matches: a method added there is watched here without a second list. Matched
 * as a substring of `protoPayload.methodName` (`google.logging.v2.ConfigServiceV2.DeleteSink`). Entries
 * with a clause of their own ({@link GCP_TAMPER_CLAUSES}) are not here: their method names alone would
 * select far too much (every SetIamPolicy).
 */
export const GCP_TAMPER_GROUPS: readonly { service?: string; methods: readonly string[] }[] = (() => {
  const groups: { service?: string; methods: string[] }[] = [];
  for (const entry of TAMPER_ENTRIES) {
    if (entry.cloud !== 'gcp' || entry.logFilter !== undefined) continue;
    const group = groups.find((g) => g.service === entry.service);
    if (group) group.methods.push(...entry.actions.filter((a) => !group.methods.includes(a)));
    else groups.push({ ...(entry.service ? { service: entry.service } : {}), methods: [...entry.actions] });
  }
  return groups;
})();

/** The tamper entries' own Cloud Logging clauses (audit-config deltas of SetIamPolicy). */
export const GCP_TAMPER_CLAUSES: readonly string[] = TAMPER_ENTRIES.flatMap((e) =>
  e.cloud === 'gcp' && e.logFilter !== undefined ? [e.logFilter] : [],
);

/**
 * Activity log operations that cut the diagnostic-settings stream, from the same table, upper-cased
 * as `OperationNameValue` writes them (compared with `in~` anyway). `MICROSOFT.AADIAM` is Entra's own
 * diagnostic setting (tenant-level Activity log, reaches a workspace only through a tenant-level setting).
 */
export const AZURE_TAMPER_OPERATIONS: readonly string[] = (TAMPER_ACTIONS.azure ?? []).flatMap((group) =>
  group.actions.map((action) => action.toUpperCase()),
);

/** Role-assignment operations whose request body names the principal gaining or losing a role. */
export const AZURE_ROLE_ASSIGNMENT_OPERATIONS: readonly string[] = [
  'MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE',
  'MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/DELETE',
];

export function watchList(registry: Registry): WatchList {
  const gcp = new Map<string, string>();
  const upns = new Map<string, string>();
  const objectIds = new Map<string, string>();
  const secrets = new Map<string, string>();
  const groupIds = new Map<string, string>();
  registry.groups.forEach((group, i) => {
    const at = `groups[${i}] (id ${group.id}) field match`;
    // A Workspace group shows up as the GROUP_EMAIL parameter of its membership changes.
    if (group.cloud === 'gcp') addOnce(gcp, group.match.groupEmail, `${at}.groupEmail`);
    if (group.cloud === 'azure') addOnce(groupIds, group.match.groupId, `${at}.groupId`);
  });
  const keyVault = new Map<string, { vault: string; secret: string; where: string }>();
  registry.accounts.forEach((account, i) => {
    account.credential?.stores.forEach((store, j) => {
      const where = `accounts[${i}] (id ${account.id}) field credential.stores.${j}`;
      if ('gcpSecret' in store) secrets.set(store.gcpSecret, where);
      if ('keyVault' in store) {
        const vault = store.keyVault.vault.toLowerCase();
        const secret = store.keyVault.secret.toLowerCase();
        if (!keyVault.has(`${vault}/${secret}`)) keyVault.set(`${vault}/${secret}`, { vault, secret, where });
      }
    });
    const at = (field: string) => `accounts[${i}] (id ${account.id}) field match.${field}`;
    if (account.cloud === 'azure') {
      account.caExclusionGroups?.forEach((id, j) => {
        addOnce(groupIds, id, `accounts[${i}] (id ${account.id}) field caExclusionGroups.${j}`);
      });
    }
    if (account.cloud === 'gcp') addOnce(gcp, account.match.email, at('email'));
    if (account.cloud === 'azure') {
      if (account.match.userPrincipalName) addOnce(upns, account.match.userPrincipalName, at('userPrincipalName'));
      if (account.match.objectId) addOnce(objectIds, account.match.objectId, at('objectId'));
    }
  });
  return {
    gcpEmails: sorted(gcp),
    azureUpns: sorted(upns),
    azureObjectIds: sorted(objectIds),
    gcpSecrets: [...secrets].map(([value, where]) => ({ value, where })).sort((a, b) => a.value.localeCompare(b.value)),
    azureGroupIds: sorted(groupIds),
    azureKeyVaultSecrets: [...keyVault].sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v),
  };
}

function addOnce(into: Map<string, string>, value: string, where: string): void {
  const key = value.toLowerCase();
  if (!into.has(key)) into.set(key, where);
}

function sorted(values: Map<string, string>): Watched[] {
  return [...values.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([value, where]) => ({ value, where }));
}
