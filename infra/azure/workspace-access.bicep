// In the workspace's resource group: the Glasswatch app's least privilege (read-only queries on this
// workspace, nothing else in the subscription), and an alert that does not depend on Glasswatch when
// someone deletes a diagnostic setting of this subscription.
//   az deployment group create -g <workspace rg> --template-file workspace-access.bicep \
//     --parameters workspaceName=<name> appObjectId=<service principal object id> alertEmail=secops@example.com
targetScope = 'resourceGroup'

param workspaceName string

@description('Object id of the Glasswatch app registration\'s service principal (deploy.sh prints it).')
param appObjectId string

@description('Who is told when a diagnostic setting is deleted.')
param alertEmail string

@description('Log Analytics Reader on the workspace (default). "tables": a custom role reading only the four tables Glasswatch queries.')
@allowed([
  'workspace'
  'tables'
])
param accessScope string = 'workspace'

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

// Built-in "Log Analytics Reader": read and query the workspace's data, no write, no keys.
var logAnalyticsReader = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '73c42c96-874c-492b-b04d-ab87d138a893')

// Narrower: query only SigninLogs, AADNonInteractiveUserSignInLogs, AuditLogs and AzureActivity.
resource tablesReader 'Microsoft.Authorization/roleDefinitions@2022-04-01' = if (accessScope == 'tables') {
  name: guid(workspace.id, 'glasswatch-table-reader')
  properties: {
    roleName: 'Glasswatch table reader (${workspaceName})'
    description: 'Query the Entra and Activity tables Glasswatch reads, nothing else.'
    assignableScopes: [workspace.id]
    permissions: [
      {
        actions: [
          'Microsoft.OperationalInsights/workspaces/read'
          'Microsoft.OperationalInsights/workspaces/query/read'
          'Microsoft.OperationalInsights/workspaces/query/SigninLogs/read'
          'Microsoft.OperationalInsights/workspaces/query/AADNonInteractiveUserSignInLogs/read'
          'Microsoft.OperationalInsights/workspaces/query/AuditLogs/read'
          'Microsoft.OperationalInsights/workspaces/query/AzureActivity/read'
        ]
      }
    ]
  }
}

resource readerAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(workspace.id, appObjectId, accessScope)
  scope: workspace
  properties: {
    principalId: appObjectId
    principalType: 'ServicePrincipal'
    roleDefinitionId: accessScope == 'tables' ? tablesReader.id : logAnalyticsReader
  }
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'glasswatch-diagnostics'
  location: 'Global'
  properties: {
    groupShortName: 'glasswatch'
    enabled: true
    emailReceivers: [
      {
        name: 'secops'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

// Activity log alert: fires within minutes of the delete, evaluated by Azure Monitor itself, so it
// still fires when the deleted setting was the one feeding Glasswatch.
resource diagnosticDeleteAlert 'Microsoft.Insights/activityLogAlerts@2020-10-01' = {
  name: 'glasswatch-diagnostic-setting-deleted'
  location: 'Global'
  properties: {
    enabled: true
    description: 'A diagnostic setting was deleted: audit logs may no longer reach Glasswatch.'
    scopes: [subscription().id]
    condition: {
      allOf: [
        { field: 'category', equals: 'Administrative' }
        { field: 'operationName', equals: 'Microsoft.Insights/diagnosticSettings/delete' }
      ]
    }
    actions: {
      actionGroups: [{ actionGroupId: actionGroup.id }]
    }
  }
}
