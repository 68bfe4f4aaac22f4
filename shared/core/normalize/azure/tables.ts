import type { JsonObject } from '../fields.js';

/**
 * Which Azure records Glasswatch reads, under both names they go by: the Log Analytics table (`Type`
 * column) and the diagnostic-settings category (Event Hub `category`). Maps, not object literals:
 * a hostile `Type: "constructor"` must not find `Object.prototype.constructor`.
 */

export type RecordKind = 'sign-in' | 'audit' | 'activity' | 'keyvault';

/** Entra's own word for who signs in, per sign-in log. */
export type SignInPrincipal = 'User' | 'ServicePrincipal' | 'ManagedIdentity';

export interface AzureTable {
  /** The name as the record wrote it (table or category), kept for `service` and messages. */
  readonly name: string;
  readonly kind: RecordKind;
  readonly principal?: SignInPrincipal;
  /**
   * Activity log categories written by Azure itself with no person acting (advisor recommendations,
   * health and autoscale notices, alerts firing, Defender security alerts).
   */
  readonly providerGenerated?: boolean;
}

const signIn = (name: string, principal: SignInPrincipal): [string, AzureTable] => [
  name,
  { name, kind: 'sign-in', principal },
];
const activity = (name: string, providerGenerated = false): [string, AzureTable] => [
  name,
  { name, kind: 'activity', providerGenerated },
];

/** Log Analytics tables. https://learn.microsoft.com/azure/azure-monitor/reference/tables/signinlogs */
export const LOG_ANALYTICS_TABLES: ReadonlyMap<string, AzureTable> = new Map([
  signIn('SigninLogs', 'User'),
  signIn('AADNonInteractiveUserSignInLogs', 'User'),
  signIn('AADServicePrincipalSignInLogs', 'ServicePrincipal'),
  signIn('AADManagedIdentitySignInLogs', 'ManagedIdentity'),
  ['AuditLogs', { name: 'AuditLogs', kind: 'audit' }],
  activity('AzureActivity'),
  // Key Vault AuditEvent: the resource-specific table, and the legacy shared table (only its Key Vault
  // AuditEvent rows are read: see isKeyVaultDiagnosticsRow).
  // https://learn.microsoft.com/azure/azure-monitor/reference/tables/azkvauditlogs
  ['AZKVAuditLogs', { name: 'AZKVAuditLogs', kind: 'keyvault' }],
  ['AzureDiagnostics', { name: 'AzureDiagnostics', kind: 'keyvault' }],
]);

/**
 * Diagnostic-settings categories (Event Hub, storage). Entra: SignInLogs, …, AuditLogs. Activity log:
 * Administrative, Security, …; older records wrote the operation type (Write, Delete, Action) instead.
 * https://learn.microsoft.com/azure/azure-monitor/essentials/activity-log-schema
 */
export const DIAGNOSTIC_CATEGORIES: ReadonlyMap<string, AzureTable> = new Map([
  signIn('SignInLogs', 'User'),
  signIn('NonInteractiveUserSignInLogs', 'User'),
  signIn('ServicePrincipalSignInLogs', 'ServicePrincipal'),
  signIn('ManagedIdentitySignInLogs', 'ManagedIdentity'),
  ['AuditLogs', { name: 'AuditLogs', kind: 'audit' }],
  activity('Administrative'),
  activity('Policy'),
  activity('Write'),
  activity('Delete'),
  activity('Action'),
  activity('Security', true),
  activity('Alert', true),
  activity('Recommendation', true),
  activity('ServiceHealth', true),
  activity('ResourceHealth', true),
  activity('Autoscale', true),
  // Key Vault resource logs (https://learn.microsoft.com/azure/key-vault/general/logging); other resource
  // types' AuditEvent records are skipped (see isKeyVaultResource).
  ['AuditEvent', { name: 'AuditEvent', kind: 'keyvault' }],
]);

/** The Log Analytics table a sign-in row belongs to, by its `Category` column. */
const SIGN_IN_TABLE_BY_CATEGORY: ReadonlyMap<string, string> = new Map([
  ['SignInLogs', 'SigninLogs'],
  ['NonInteractiveUserSignInLogs', 'AADNonInteractiveUserSignInLogs'],
  ['ServicePrincipalSignInLogs', 'AADServicePrincipalSignInLogs'],
  ['ManagedIdentitySignInLogs', 'AADManagedIdentitySignInLogs'],
]);

/** A column only one table has: how to recognise rows whose query dropped `Type`. */
const SIGNATURE_COLUMNS: ReadonlyArray<readonly [column: string, table: string]> = [
  ['EventDataId', 'AzureActivity'],
  ['ActivityStatusValue', 'AzureActivity'],
  ['ActivityDisplayName', 'AuditLogs'],
];

/**
 * The table name of a Log Analytics row: `Type`, or `$table` (what some exports write), or, for rows
 * from a query that projected `Type` away, the table recognised by a column only it has. Undefined
 * when nothing says.
 */
export function logAnalyticsTableName(row: JsonObject): string | undefined {
  for (const key of ['Type', '$table']) {
    const value = Object.hasOwn(row, key) ? row[key] : undefined;
    if (typeof value === 'string' && value !== '') return value;
  }
  return tableByColumns(row);
}

/**
 * The table a row's columns say it belongs to (a column only that table has, or a sign-in `Category`),
 * whatever its `Type` says: a query may overwrite `Type` with a target type ("Application").
 */
export function tableByColumns(row: JsonObject): string | undefined {
  for (const [column, table] of SIGNATURE_COLUMNS) if (Object.hasOwn(row, column)) return table;
  const category = Object.hasOwn(row, 'Category') ? row.Category : undefined;
  return typeof category === 'string' ? SIGN_IN_TABLE_BY_CATEGORY.get(category) : undefined;
}

/** `/SUBSCRIPTIONS/…/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/NAME` (or managedHSMs): a Key Vault resource. */
export function isKeyVaultResource(resourceId: unknown): boolean {
  return typeof resourceId === 'string' && /\/providers\/microsoft\.keyvault\//i.test(resourceId);
}

/**
 * An AzureDiagnostics row is read only when it is a Key Vault AuditEvent (ResourceProvider
 * MICROSOFT.KEYVAULT, Category AuditEvent); the table holds every other legacy resource log too.
 * A row that says neither provider nor resource is left to the normalizer (a miss is worse than an error).
 */
export function isOtherAzureDiagnosticsRow(row: JsonObject): boolean {
  const own = (key: string) => (Object.hasOwn(row, key) ? row[key] : undefined);
  const provider = own('ResourceProvider');
  const resource = own('ResourceId') ?? own('_ResourceId');
  const category = own('Category');
  if (typeof category === 'string' && category !== '' && category !== 'AuditEvent') return true;
  if (typeof provider === 'string' && provider !== '') return provider.toUpperCase() !== 'MICROSOFT.KEYVAULT';
  return typeof resource === 'string' && resource !== '' && !isKeyVaultResource(resource);
}
