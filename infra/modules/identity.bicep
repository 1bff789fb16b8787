metadata description = 'The user-assigned identity the Function App runs as: one identity for storage, Service Bus, Key Vault and telemetry, so its roles are granted once and survive app re-creation.'

@description('Name of the identity.')
param name string

@description('Region of the identity.')
param location string

@description('Tags for the identity.')
param tags { *: string }

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

@description('Client id: for granting the app access elsewhere (AZURE_CLIENT_ID in the app).')
output clientId string = identity.properties.clientId

@description('Principal (object) id, for role assignments.')
output principalId string = identity.properties.principalId
