// Entra ID diagnostic setting: sign-in and audit logs to the Log Analytics workspace the Glasswatch
// poller queries, and optionally to an Event Hub for the push consumer. Tenant scope; deploy as a
// Global Administrator or Security Administrator:
//   az deployment tenant create --location westeurope --template-file entra-diagnostics.bicep \
//     --parameters workspaceResourceId=<id> [eventHubAuthorizationRuleId=<id> eventHubName=glasswatch]
targetScope = 'tenant'

@description('Resource id of the Log Analytics workspace (…/Microsoft.OperationalInsights/workspaces/<name>).')
param workspaceResourceId string

@description('Optional: Event Hubs namespace authorization rule with Send, for the push path (event-hub.bicep output).')
param eventHubAuthorizationRuleId string = ''

@description('Event hub that receives every category (one hub, one consumer).')
param eventHubName string = 'glasswatch'

param settingName string = 'glasswatch'

var categories = [
  'SignInLogs'
  'NonInteractiveUserSignInLogs'
  'ServicePrincipalSignInLogs'
  'ManagedIdentitySignInLogs'
  'AuditLogs'
]

resource entra 'microsoft.aadiam/diagnosticSettings@2017-04-01' = {
  name: settingName
  properties: {
    workspaceId: workspaceResourceId
    eventHubAuthorizationRuleId: empty(eventHubAuthorizationRuleId) ? null : eventHubAuthorizationRuleId
    eventHubName: empty(eventHubAuthorizationRuleId) ? null : eventHubName
    logs: [for category in categories: {
      category: category
      enabled: true
    }]
  }
}
