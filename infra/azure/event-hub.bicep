// Optional push path: an Event Hubs namespace and hub receiving the Entra and Activity diagnostic
// stream, a consumer group of Glasswatch's own, and two authorization rules: Send for the diagnostic
// settings, Listen for the consumer Lambda (its connection string goes to Secrets Manager).
//   az deployment group create -g <rg> --template-file event-hub.bicep --parameters namespaceName=<globally unique>
param namespaceName string
param location string = resourceGroup().location
param eventHubName string = 'glasswatch'

resource namespace 'Microsoft.EventHub/namespaces@2024-01-01' = {
  name: namespaceName
  location: location
  sku: { name: 'Standard', tier: 'Standard', capacity: 1 }
  properties: {
    minimumTlsVersion: '1.2'
    disableLocalAuth: false // SAS is how the AWS-side consumer authenticates
  }
}

resource hub 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' = {
  parent: namespace
  name: eventHubName
  properties: {
    partitionCount: 2
    messageRetentionInDays: 7 // the consumer resumes from its checkpoint after an outage of up to a week
  }
}

resource consumerGroup 'Microsoft.EventHub/namespaces/eventhubs/consumergroups@2024-01-01' = {
  parent: hub
  name: 'glasswatch'
}

resource send 'Microsoft.EventHub/namespaces/authorizationRules@2024-01-01' = {
  parent: namespace
  name: 'glasswatch-diagnostics-send'
  properties: { rights: ['Send'] }
}

resource listen 'Microsoft.EventHub/namespaces/eventhubs/authorizationRules@2024-01-01' = {
  parent: hub
  name: 'glasswatch-consumer-listen'
  properties: { rights: ['Listen'] }
}

@description('For entra-diagnostics.bicep and subscription-diagnostics.bicep.')
output sendAuthorizationRuleId string = send.id

@description('Resource id of the Listen rule; deploy.sh reads its connection string into Secrets Manager.')
output listenAuthorizationRuleId string = listen.id
