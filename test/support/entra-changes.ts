import { readFixtureJsonl } from './fixtures.js';

/**
 * The Entra change fixtures (azure/written-from-docs/entra_account_changes.jsonl: diagnostic-settings
 * AuditLogs records, one per documented activity, positive and negative) and the same records as Log
 * Analytics `AuditLogs` rows, for the replay, rule and poller tests.
 */
export const ENTRA_CHANGES_FIXTURE = 'azure/written-from-docs/entra_account_changes.jsonl';

export interface EntraChangeCase {
  name: string;
  doc: string;
  note: string;
  /** A phrase the page must show; null: the record is about someone else and must not fire. */
  expect: string | null;
  record: DiagnosticAudit;
}

export interface DiagnosticAudit {
  time: string;
  operationName: string;
  tenantId: string;
  properties: Record<string, unknown>;
}

export const ENTRA_CHANGE_CASES: readonly EntraChangeCase[] = readFixtureJsonl<EntraChangeCase>(ENTRA_CHANGES_FIXTURE);

/** The registry the fixtures are written for: the positive cases target ea1 (by UPN, PIM records by object id). */
export const ENTRA_CHANGES_REGISTRY = `accounts:
  - id: entra-ea1
    cloud: azure
    match: { userPrincipalName: ea1@contoso.com, objectId: 4c1a9e2b-7d3f-4b6a-9e8d-1f2a3b4c5d6e }
`;

/**
 * A diagnostic AuditLogs record as the Log Analytics `AuditLogs` row the same entry becomes (column names
 * of learn.microsoft.com/azure/azure-monitor/reference/tables/auditlogs; `dynamic` columns as JSON text,
 * as some exports write them, or as the objects a workspace holds).
 */
export function auditLogsRow(record: DiagnosticAudit, dynamic: 'text' | 'object' = 'text'): Record<string, unknown> {
  const p = record.properties;
  const column = (value: unknown) => (dynamic === 'text' ? JSON.stringify(value) : value);
  return {
    Type: 'AuditLogs',
    TenantId: record.tenantId,
    AADTenantId: record.tenantId,
    TimeGenerated: record.time,
    ActivityDateTime: p.activityDateTime,
    Id: p.id,
    OperationName: record.operationName,
    ActivityDisplayName: p.activityDisplayName,
    Category: p.category,
    LoggedByService: p.loggedByService,
    Result: p.result,
    ResultReason: p.resultReason,
    CorrelationId: p.correlationId,
    AADOperationType: p.operationType,
    InitiatedBy: column(p.initiatedBy),
    TargetResources: column(p.targetResources),
    AdditionalDetails: column(p.additionalDetails),
  };
}
