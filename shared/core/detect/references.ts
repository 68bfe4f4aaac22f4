/** Documentation several rules cite; one place so a moved page is fixed once. */
export const DOCS = {
  awsRootUser: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html',
  awsConsoleSignInEvents:
    'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html',
  awsIdentityCenterSignIn:
    'https://docs.aws.amazon.com/singlesignon/latest/userguide/understanding-sign-in-events.html',
  awsIamCloudTrail: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html',
  awsMfa: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa.html',
  entraEmergencyAccess:
    'https://learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access',
  entraSignInLogs: 'https://learn.microsoft.com/entra/identity/monitoring-health/concept-sign-ins',
  entraAuditLogs: 'https://learn.microsoft.com/entra/identity/monitoring-health/concept-audit-logs',
  entraAuditActivities: 'https://learn.microsoft.com/entra/identity/monitoring-health/reference-audit-activities',
  entraErrorCodes: 'https://learn.microsoft.com/entra/identity-platform/reference-error-codes',
  gcpSuperAdmin: 'https://cloud.google.com/resource-manager/docs/super-admin-best-practices',
  workspaceLoginAudit: 'https://developers.google.com/admin-sdk/reports/v1/appendix/activity/login',
  workspaceLoginInCloudLogging: 'https://cloud.google.com/logging/docs/audit/gsuite-login-samples',
  awsStopLogging: 'https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StopLogging.html',
  gcpDataAccessLogs: 'https://cloud.google.com/logging/docs/audit/configure-data-access',
  gcpLogRouting: 'https://cloud.google.com/logging/docs/routing/overview',
  azureDiagnosticSettings: 'https://learn.microsoft.com/azure/azure-monitor/essentials/diagnostic-settings',
} as const;
