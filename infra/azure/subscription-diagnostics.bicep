// Activity log of one subscription to the same workspace (and Event Hub): role assignments,
// diagnostic-setting deletes and everything a break-glass account does in Azure Resource Manager.
// Repeat per subscription (or use an Azure Policy "deployIfNotExists" for all of them):
//   az deployment sub create --location westeurope --template-file subscription-diagnostics.bicep \
//     --parameters workspaceResourceId=<id>
targetScope = 'subscription'

param workspaceResourceId string
param eventHubAuthorizationRuleId string = ''
param eventHubName string = 'glasswatch'
param settingName string = 'glasswatch'

var categories = [
  'Administrative'
  'Security'
  'Policy'
  'Alert'
]

resource activity 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
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
