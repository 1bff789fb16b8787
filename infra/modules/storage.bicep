metadata description = 'The storage account for everything Automation keeps (tables, queues, blobs), the Durable Functions task hub, the Functions host\'s own state and the Flex Consumption deployment package. Shared keys are off: every caller uses Microsoft Entra ID.'

@description('Name of the storage account (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Region of the account.')
param location string

@description('Tags for the account.')
param tags { *: string }

@description('Blob container that holds the Function App\'s deployment package.')
param deploymentContainerName string

@description('Queues created up front, so the queue triggers find them on their first poll.')
param queueNames string[]

@description('Name of the app\'s user-assigned identity (same resource group), granted data access to blobs, queues and tables.')
param identityName string

@description('Object id of a person or principal who may read and manage the task hub and Automation\'s data with Entra sign-in (Durable Functions Monitor, Storage Explorer); empty for none.')
param readerPrincipalId string

@description('Kind of that principal.')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param readerPrincipalType string

@description('Built-in data roles the app identity needs: blobs (Functions host state and leases, deployment package, the task hub\'s lease and large-message containers), queues (events, the task hub\'s control and work-item queues), tables (workflows, runs, step logs, the task hub\'s History, Instances and Partitions). The Durable Azure Storage provider works with these data roles alone: it needs no Storage Account Contributor.')
var dataRoles = [
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // Storage Blob Data Owner
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor
]

@description('Data roles for the reader principal: what Durable Functions Monitor needs to list, purge and terminate instances of the task hub, and what the Durable docs give a developer identity.')
var readerRoles = [
  'ba92f5b4-2d11-453d-a403-e96b0029c9fe' // Storage Blob Data Contributor
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor
]

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource account 'Microsoft.Storage/storageAccounts@2026-09-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    publicNetworkAccess: 'Enabled'
    supportsHttpsTrafficOnly: true
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }

  resource blobs 'blobServices' = {
    name: 'default'
    properties: {
      deleteRetentionPolicy: {
        enabled: true
        days: 7
      }
    }

    resource deployment 'containers' = {
      name: deploymentContainerName
      properties: {
        publicAccess: 'None'
      }
    }
  }

  resource queueService 'queueServices' = {
    name: 'default'

    resource queue 'queues' = [
      for queueName in queueNames: {
        name: queueName
      }
    ]
  }

  resource tables 'tableServices' = {
    name: 'default'
  }
}

resource dataAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in dataRoles: {
    name: guid(account.id, identity.id, role)
    scope: account
    properties: {
      principalId: identity.properties.principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    }
  }
]

resource readerAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in readerRoles: if (!empty(readerPrincipalId)) {
    name: guid(account.id, readerPrincipalId, role)
    scope: account
    properties: {
      principalId: readerPrincipalId
      principalType: readerPrincipalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    }
  }
]

@description('Name of the account.')
output name string = account.name

@description('Blob service endpoint, ending in a slash.')
output blobEndpoint string = account.properties.primaryEndpoints.blob

@description('Queue service endpoint, ending in a slash.')
output queueEndpoint string = account.properties.primaryEndpoints.queue

@description('Table service endpoint, ending in a slash.')
output tableEndpoint string = account.properties.primaryEndpoints.table
