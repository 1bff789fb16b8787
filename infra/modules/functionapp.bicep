metadata description = 'The Linux Function App on a Flex Consumption plan that runs Automation.Functions (.NET isolated worker, Durable Functions on the Azure Storage provider), with identity-based connections and Key Vault references for every secret.'

@description('Name of the Flex Consumption plan.')
param planName string

@description('Name of the Function App.')
param appName string

@description('Region of the plan and the app.')
param location string

@description('Tags for the plan and the app (the app also gets azd-service-name).')
param tags { *: string }

@description('Service name in azure.yaml; azd finds the app by this tag.')
param serviceName string

@description('Name of the user-assigned identity the app runs as (same resource group).')
param identityName string

@description('Name of the storage account (Functions host state, deployment package, Automation data).')
param storageAccountName string

@description('Blob service endpoint of the account.')
param blobEndpoint string

@description('Queue service endpoint of the account.')
param queueEndpoint string

@description('Table service endpoint of the account.')
param tableEndpoint string

@description('Blob container that holds the deployment package.')
param deploymentContainerName string

@description('Prefix of every Automation table and queue name.')
param storagePrefix string

@description('Queue the events queue trigger reads.')
param eventsQueueName string

@description('Durable Functions task hub: letters and digits, starting with a letter.')
param durableHubName string

@description('Host name of the Service Bus namespace.')
param serviceBusNamespace string

@description('Topic the Service Bus trigger reads.')
param serviceBusTopicName string

@description('Subscription the Service Bus trigger reads.')
param serviceBusSubscriptionName string

@description('Name of the Application Insights component.')
param applicationInsightsName string

@description('Name of the Key Vault that holds the secrets.')
param keyVaultName string

@description('Names of the optional secrets present in the vault (integrations without one stay unconfigured).')
param presentSecrets string[]

@description('Sender address for email steps.')
param emailFrom string

@description('SMTP user name for Azure Communication Services (empty until configured, see infra/README.md).')
param smtpUsername string

@description('Twilio account SID (not secret; the auth token is in Key Vault).')
param twilioAccountSid string

@description('Twilio sender number or messaging service SID.')
param twilioFrom string

@description('Endpoint of the AI service used by AI steps.')
param aiEndpoint string

@description('Maximum number of instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory of each instance.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

@description('App setting value that the platform replaces with the latest version of a Key Vault secret, read with the app\'s identity.')
func secretReference(vault string, secret string) string =>
  '@Microsoft.KeyVault(VaultName=${vault};SecretName=${secret})'

@description('Settings for the Functions host: its own storage, the Durable task hub, and the trigger bindings\' connections and names (bindings read %Name% and connection prefixes; a %Name% must be flat, since the host turns A__B into the key A:B).')
var hostSettings = {
  // Identity-based AzureWebJobsStorage (no connection string, shared keys are off on the account):
  // the host's leases and timer state, the queue trigger and, below, the Durable task hub.
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__blobServiceUri: blobEndpoint
  AzureWebJobsStorage__queueServiceUri: queueEndpoint
  AzureWebJobsStorage__tableServiceUri: tableEndpoint
  AzureWebJobsStorage__credential: 'managedidentity'
  // Durable Functions takes a user-assigned identity by clientId only (not managedIdentityResourceId).
  AzureWebJobsStorage__clientId: identity.properties.clientId
  // AzureFunctionsJobHost__<path> overrides host.json: the task hub's name and connection are decided
  // here, beside the account they live in, so Durable Functions Monitor and the dashboard
  // (Automation__Durable__HubName) always read the hub the app writes, whatever host.json says.
  AzureFunctionsJobHost__extensions__durableTask__hubName: durableHubName
  AzureFunctionsJobHost__extensions__durableTask__storageProvider__connectionName: 'AzureWebJobsStorage'
  AutomationEventsQueue: eventsQueueName
  AutomationServiceBusTopic: serviceBusTopicName
  AutomationServiceBusSubscription: serviceBusSubscriptionName
  AutomationServiceBus__fullyQualifiedNamespace: serviceBusNamespace
  AutomationServiceBus__credential: 'managedidentity'
  AutomationServiceBus__clientId: identity.properties.clientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
}

@description('Settings the worker reads (Automation__Section__Key); DefaultAzureCredential picks the identity from AZURE_CLIENT_ID.')
var automationSettings = {
  AZURE_CLIENT_ID: identity.properties.clientId
  Automation__Storage__Prefix: storagePrefix
  Automation__Durable__HubName: durableHubName
  // Set, these replace Automation__Storage__ConnectionString: the runtime uses DefaultAzureCredential.
  Automation__Storage__ServiceUri: blobEndpoint
  Automation__Storage__QueueServiceUri: queueEndpoint
  Automation__Storage__TableServiceUri: tableEndpoint
  Automation__Admin__Keys__0: secretReference(keyVaultName, 'admin-key')
  Automation__Intake__Secrets__0: secretReference(keyVaultName, 'intake-secret')
  Automation__Email__From: emailFrom
  Automation__Email__Smtp__Host: 'smtp.azurecomm.net'
  Automation__Email__Smtp__Port: '587'
}

@description('HubSpot portal id (Automation__HubSpot__PortalId); empty accepts any portal.')
param hubspotPortalId string

@description('Salesforce organization id (Automation__Salesforce__OrganizationId).')
param salesforceOrganizationId string

@description('Salesforce My Domain URL (Automation__Salesforce__InstanceUrl).')
param salesforceInstanceUrl string

@description('Salesforce connected app consumer key (Automation__Salesforce__ClientId).')
param salesforceClientId string

@description('Settings of the optional integrations, present only when their secret is in the vault.')
var integrationSettings = union(
  contains(presentSecrets, 'smtp-password') && !empty(smtpUsername)
    ? {
        Automation__Email__Smtp__Username: smtpUsername
        Automation__Email__Smtp__Password: secretReference(keyVaultName, 'smtp-password')
      }
    : {},
  contains(presentSecrets, 'twilio-auth-token')
    ? {
        Automation__Twilio__AccountSid: twilioAccountSid
        Automation__Twilio__From: twilioFrom
        Automation__Twilio__AuthToken: secretReference(keyVaultName, 'twilio-auth-token')
      }
    : {},
  contains(presentSecrets, 'hubspot-client-secret')
    ? {
        Automation__HubSpot__ClientSecret: secretReference(keyVaultName, 'hubspot-client-secret')
        Automation__HubSpot__PortalId: hubspotPortalId
      }
    : {},
  contains(presentSecrets, 'hubspot-access-token')
    ? {
        Automation__HubSpot__AccessToken: secretReference(keyVaultName, 'hubspot-access-token')
      }
    : {},
  empty(salesforceOrganizationId)
    ? {}
    : {
        Automation__Salesforce__OrganizationId: salesforceOrganizationId
      },
  contains(presentSecrets, 'salesforce-client-secret')
    ? {
        Automation__Salesforce__InstanceUrl: salesforceInstanceUrl
        Automation__Salesforce__ClientId: salesforceClientId
        Automation__Salesforce__ClientSecret: secretReference(keyVaultName, 'salesforce-client-secret')
      }
    : {},
  contains(presentSecrets, 'slack-bot-token')
    ? {
        Automation__Slack__BotToken: secretReference(keyVaultName, 'slack-bot-token')
      }
    : {},
  contains(presentSecrets, 'ai-api-key')
    ? {
        Automation__AI__Endpoint: aiEndpoint
        Automation__AI__ApiKey: secretReference(keyVaultName, 'ai-api-key')
      }
    : {}
)

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      // Takes the place of FUNCTIONS_WORKER_RUNTIME, which Flex Consumption rejects. The version is
      // the project's target framework (net10.0); infra/README.md says where 10.0 is documented.
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    properties: union(hostSettings, automationSettings, integrationSettings)
  }

  resource ftp 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: {
      allow: false
    }
  }

  resource scm 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }
}

@description('Name of the Function App.')
output name string = app.name

@description('Default host name of the Function App.')
output defaultHostName string = app.properties.defaultHostName
