import { CREDENTIAL_ACTIONS } from '../../detect/credential-actions.js';
import { CONDITIONAL_ACCESS_POLICY_ACTIVITIES } from '../../normalize/azure/conditional-access.js';
import type { Registry } from '../../registry/index.js';
import { kqlDatetime, kqlString } from './quote.js';
import {
  AZURE_ROLE_ASSIGNMENT_OPERATIONS,
  AZURE_TAMPER_OPERATIONS,
  type Watched,
  type WatchList,
  watchList,
} from './watch-list.js';

/**
 * Registry → KQL for the Log Analytics pull, one query per table (their schemas differ, and a `union`
 * would rename clashing columns such as `Status` and break the row normalizer).
 *
 * Every query filters on `ingestion_time()`, not `TimeGenerated`: Entra rows reach the workspace
 * minutes after the sign-in (95th percentile 2 min, 99th 5 min per Microsoft's Entra reporting
 * latencies; Azure Monitor adds 20 s–3 min of ingestion), so a cursor on event time would skip every
 * row that lands after the poll passed its time. Values are compared lower-cased with `tolower()`
 * because `=~`/`in~` are case-insensitive for ASCII only.
 */

export type EntraTable =
  | 'SigninLogs'
  | 'AADNonInteractiveUserSignInLogs'
  | 'AuditLogs'
  | 'AzureActivity'
  | 'AZKVAuditLogs'
  | 'AzureDiagnostics';

/** The column each query adds with the row's ingestion time: the cursor. */
export const INGESTED_AT_COLUMN = 'GlasswatchIngestedAt';

export interface KqlQuery {
  table: EntraTable;
  /** The record id column: the dedup key within the overlap window. */
  idColumn: string;
  /** Operators between the window restriction and the cursor column, one per line, each starting with `|`. */
  body: string[];
  /**
   * What the query reads from, when not the bare table: a table that exists only once a diagnostic
   * setting wrote to it (AZKVAuditLogs, AzureDiagnostics) is read through a fuzzy union with an empty leg of the columns
   * the query names, so a workspace without it returns no rows instead of failing every poll.
   */
  from?: string;
}

/** A page of one poll: rows ingested in [fromMs, toMs), oldest first, at most `take`. */
export interface IngestionWindow {
  fromMs: number;
  toMs: number;
}

/**
 * The queries for this registry. Sign-ins and directory audit entries are narrowed to the break-glass
 * accounts; the Activity log query always keeps diagnostic-setting deletes (tampering by anyone).
 *
 * @example
 * for (const query of entraQueries(registry)) client.queryWorkspace(ws, windowedKql(query, window, 2000), timespan);
 */
export function entraQueries(registry: Registry): KqlQuery[] {
  const watched = watchList(registry);
  const principals = [...watched.azureUpns, ...watched.azureObjectIds];
  // Membership changes of emergency and Conditional Access exclusion groups name the group's id.
  const parties = [...principals, ...watched.azureGroupIds];
  const queries: KqlQuery[] = [];
  if (principals.length > 0) {
    const signIn = signInPredicate(watched);
    queries.push(
      { table: 'SigninLogs', idColumn: 'Id', body: [`| where ${signIn}`] },
      { table: 'AADNonInteractiveUserSignInLogs', idColumn: 'Id', body: [`| where ${signIn}`] },
    );
  }
  if (parties.length > 0) {
    queries.push({
      table: 'AuditLogs',
      idColumn: 'Id',
      // Targets (changes to the account) and the initiator (changes made by it), as lower-cased JSON text;
      // and every Conditional Access policy change (rare): a new policy that locks the account out names
      // neither the account nor its exclusion group.
      body: [
        '| extend GlasswatchParties = tolower(strcat(tostring(TargetResources), " ", tostring(InitiatedBy)))',
        `| where ${containsAny('GlasswatchParties', parties)} or OperationName in~ (${CONDITIONAL_ACCESS_POLICY_ACTIVITIES.map((a) => kqlString(a, 'Conditional Access activities')).join(', ')})`,
        '| project-away GlasswatchParties',
      ],
    });
  }
  queries.push({ table: 'AzureActivity', idColumn: 'EventDataId', body: [`| where ${activityPredicate(watched)}`] });
  queries.push(...keyVaultQueries(watched));
  return queries;
}

/** Key Vault operations of the credential table (reads and changes), as OperationName writes them. */
export const KEY_VAULT_OPERATIONS: readonly string[] = CREDENTIAL_ACTIONS.flatMap((a) =>
  a.cloud === 'azure' && a.service === 'Microsoft.KeyVault' ? [a.action] : [],
);

/**
 * Key Vault AuditEvent rows on a registered secret, by anyone, in both places a diagnostic setting
 * writes them: the resource-specific AZKVAuditLogs table and the legacy AzureDiagnostics table (only
 * its MICROSOFT.KEYVAULT AuditEvent rows; `column_ifexists` because its columns exist only once some
 * vault wrote them). The object URL (`Id`, returned objects) and the request URI (a denied read has only
 * that) are both searched. A superset: `contains` also lets `…/secrets/name2` through; the rule matches exactly.
 */
function keyVaultQueries(watched: WatchList): KqlQuery[] {
  const stores = watched.azureKeyVaultSecrets;
  if (stores.length === 0) return [];
  const operations = KEY_VAULT_OPERATIONS.map((op) => kqlString(op, 'credential-actions azure')).join(', ');
  const onSecret = stores
    .map(
      (s) =>
        `(GlasswatchObject contains ${kqlString(`://${s.vault}.vault.`, s.where)} and GlasswatchObject contains ${kqlString(`/secrets/${s.secret}`, s.where)})`,
    )
    .join('\n    or ');
  const tail = [`| where ${onSecret}`, '| project-away GlasswatchObject'];
  return [
    {
      table: 'AZKVAuditLogs',
      idColumn: '_ItemId',
      // The empty leg declares every column the query names: `isfuzzy` only skips a missing table, and
      // a column no leg has is still an error (union operator, "isfuzzy").
      from: 'union isfuzzy=true (datatable(Type: string, OperationName: string, Id: string, RequestUri: string)[]), AZKVAuditLogs',
      body: [
        `| where OperationName in~ (${operations})`,
        '| extend GlasswatchObject = tolower(strcat(Id, " ", RequestUri))',
        ...tail,
      ],
    },
    {
      table: 'AzureDiagnostics',
      idColumn: '_ItemId',
      // AzureDiagnostics too exists only once some resource's diagnostic setting wrote to it.
      from: 'union isfuzzy=true (datatable(Type: string, ResourceProvider: string, Category: string, OperationName: string)[]), AzureDiagnostics',
      body: [
        `| where ResourceProvider == "MICROSOFT.KEYVAULT" and Category == "AuditEvent" and OperationName in~ (${operations})`,
        '| extend GlasswatchObject = tolower(strcat(column_ifexists("id_s", ""), " ", column_ifexists("requestUri_s", "")))',
        ...tail,
      ],
    },
  ];
}

/** The full query text for one page of one table. */
export function windowedKql(query: KqlQuery, window: IngestionWindow, take: number): string {
  return [
    query.from ?? query.table,
    `| where ingestion_time() >= ${kqlDatetime(window.fromMs)} and ingestion_time() < ${kqlDatetime(window.toMs)}`,
    ...query.body,
    `| extend ${INGESTED_AT_COLUMN} = ingestion_time()`,
    `| order by ${INGESTED_AT_COLUMN} asc`,
    `| take ${Math.max(1, Math.floor(take))}`,
  ].join('\n');
}

function signInPredicate(watched: WatchList): string {
  const parts: string[] = [];
  if (watched.azureUpns.length > 0) parts.push(`tolower(UserPrincipalName) in (${list(watched.azureUpns)})`);
  if (watched.azureObjectIds.length > 0) parts.push(`tolower(UserId) in (${list(watched.azureObjectIds)})`);
  return parts.join(' or ');
}

function activityPredicate(watched: WatchList): string {
  const tamper = AZURE_TAMPER_OPERATIONS.map((op) => kqlString(op, 'Azure tamper operations')).join(', ');
  const parts = [`OperationNameValue in~ (${tamper})`];
  const callers = [...watched.azureUpns, ...watched.azureObjectIds];
  if (callers.length > 0) parts.push(`tolower(Caller) in (${list(callers)})`);
  if (watched.azureObjectIds.length > 0) {
    const roleOps = AZURE_ROLE_ASSIGNMENT_OPERATIONS.map((op) => kqlString(op, 'Azure role operations')).join(', ');
    // The request (write) or response (delete) body names the assignee's object id.
    parts.push(
      `(OperationNameValue in~ (${roleOps}) and ${containsAny('tolower(tostring(Properties_d))', watched.azureObjectIds)})`,
    );
  }
  return parts.join('\n    or ');
}

function list(values: readonly Watched[]): string {
  return values.map((v) => kqlString(v.value, v.where)).join(', ');
}

function containsAny(expression: string, values: readonly Watched[]): string {
  const tests = values.map((v) => `${expression} contains ${kqlString(v.value, v.where)}`);
  return tests.length === 1 ? (tests[0] as string) : `(${tests.join(' or ')})`;
}
