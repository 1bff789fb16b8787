metadata description = 'Key Vault (RBAC) for the secrets the app reads through Key Vault references: admin keys, intake secrets, Twilio, Slack, AI and SMTP credentials.'

@description('Name of the vault.')
@minLength(3)
@maxLength(24)
param name string

@description('Region of the vault.')
param location string

@description('Tags for the vault.')
param tags { *: string }

@description('Secrets to store, by secret name; empty values are skipped (that integration stays unconfigured).')
@secure()
param secrets { *: string }

@description('Name of the app\'s user-assigned identity (same resource group), granted Key Vault Secrets User to resolve references.')
param identityName string

@description('Object id of whoever runs azd, granted Key Vault Secrets Officer so it can read and rotate secrets; empty for none.')
param officerPrincipalId string

@description('Kind of that principal.')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param officerPrincipalType string

@description('Built-in role: Key Vault Secrets User.')
var secretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

@description('Built-in role: Key Vault Secrets Officer.')
var secretsOfficer = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource vault 'Microsoft.KeyVault/vaults@2026-05-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    // Flex Consumption resolves Key Vault references only from vaults without network restrictions.
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

resource secret 'Microsoft.KeyVault/vaults/secrets@2026-05-15' = [
  for item in items(secrets): if (!empty(item.value)) {
    parent: vault
    name: item.key
    properties: {
      value: item.value
    }
  }
]

resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, secretsUser)
  scope: vault
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUser)
  }
}

resource officer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(officerPrincipalId)) {
  name: guid(vault.id, officerPrincipalId, secretsOfficer)
  scope: vault
  properties: {
    principalId: officerPrincipalId
    principalType: officerPrincipalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsOfficer)
  }
}

@description('Name of the vault.')
output name string = vault.name
