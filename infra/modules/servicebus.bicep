metadata description = 'Service Bus intake: a topic that CRM systems publish events to and the subscription the Function App\'s serviceBusTrigger reads, with dead-lettering after a bounded number of deliveries. Local (SAS) auth is off.'

@description('Name of the namespace.')
param name string

@description('Region of the namespace.')
param location string

@description('Tags for the namespace.')
param tags { *: string }

@description('Topic that receives events in the shape of POST /api/events.')
param topicName string

@description('Subscription the Function App reads.')
param subscriptionName string

@description('Deliveries before a message moves to the subscription\'s dead-letter queue.')
@minValue(1)
@maxValue(100)
param maxDeliveryCount int

@description('Name of the app\'s user-assigned identity (same resource group), granted Azure Service Bus Data Receiver on the topic.')
param identityName string

@description('Built-in role: Azure Service Bus Data Receiver.')
var dataReceiver = '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource namespace 'Microsoft.ServiceBus/namespaces@2026-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }

  resource topic 'topics' = {
    name: topicName
    properties: {
      defaultMessageTimeToLive: 'P14D'
      // Senders that set MessageId to the event id get a second line of duplicate protection;
      // Automation's own idempotent intake is the first.
      requiresDuplicateDetection: true
      duplicateDetectionHistoryTimeWindow: 'PT10M'
      maxSizeInMegabytes: 1024
    }

    resource subscription 'subscriptions' = {
      name: subscriptionName
      properties: {
        lockDuration: 'PT1M'
        maxDeliveryCount: maxDeliveryCount
        defaultMessageTimeToLive: 'P14D'
        deadLetteringOnMessageExpiration: true
        deadLetteringOnFilterEvaluationExceptions: true
      }
    }
  }
}

resource receiver 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(namespace::topic.id, identity.id, dataReceiver)
  scope: namespace::topic
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', dataReceiver)
  }
}

@description('Name of the namespace.')
output name string = namespace.name

@description('Host name of the namespace, for identity-based connections (<connection>__fullyQualifiedNamespace).')
output fullyQualifiedNamespace string = split(split(namespace.properties.serviceBusEndpoint, '//')[1], ':')[0]

@description('Name of the topic.')
output topicName string = namespace::topic.name

@description('Name of the subscription.')
output subscriptionName string = namespace::topic::subscription.name
