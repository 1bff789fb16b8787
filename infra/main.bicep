metadata description = 'Automation on Azure: a Flex Consumption Function App running Automation.Functions (.NET 10 isolated worker, Durable Functions on Azure Storage), with its storage, Service Bus intake, email, secrets and monitoring. Deployed by azd (see infra/README.md).'

targetScope = 'subscription'

@description('Name of the azd environment; it names the resource group and tags every resource.')
@minLength(1)
@maxLength(64)
param environmentName string

@description('Region for every regional resource; pick one that offers Flex Consumption (az functionapp list-flexconsumption-locations).')
@minLength(1)
param location string

@description('Object id of the user or service principal running azd: it may read and set Key Vault secrets and, when it is a user, open the task hub and Automation\'s data. Empty for none.')
param principalId string = ''

@description('Kind of that principal (azd fills it in).')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param principalType string = 'User'

@description('Prefix of every Automation table and queue name (Automation__Storage__Prefix): lowercase letters and digits, starting with a letter, so that the trigger queue names derived here match the runtime\'s.')
@minLength(3)
@maxLength(40)
param storagePrefix string = 'automation'

@description('Durable Functions task hub (Automation__Durable__HubName, and the host\'s extensions.durableTask.hubName): letters and digits, starting with a letter. Changing it starts an empty hub; runs in the old one stop.')
@minLength(3)
@maxLength(45)
param durableHubName string = 'automation'

@description('Admin API bearer key (azd generates one and keeps it in Key Vault as admin-key).')
@secure()
param adminKey string

@description('HMAC secret for X-Automation-Signature on intake (azd generates one and keeps it in Key Vault as intake-secret).')
@secure()
param intakeSecret string

@description('Twilio account SID; SMS and call steps are configured only when the auth token is given too.')
param twilioAccountSid string = ''

@description('Twilio auth token (stored in Key Vault as twilio-auth-token).')
@secure()
param twilioAuthToken string = ''

@description('Twilio sender number or messaging service SID.')
param twilioFrom string = ''

@description('Slack bot token (stored in Key Vault as slack-bot-token).')
@secure()
param slackBotToken string = ''

@description('HubSpot app client secret: checks webhook signatures (stored in Key Vault as hubspot-client-secret).')
@secure()
param hubspotClientSecret string = ''

@description('HubSpot private app token: reads records and writes changes back (stored in Key Vault as hubspot-access-token).')
@secure()
param hubspotAccessToken string = ''

@description('HubSpot portal (hub) id; webhooks of other portals are ignored.')
param hubspotPortalId string = ''

@description('Salesforce organization id; Outbound Messages of other orgs are refused.')
param salesforceOrganizationId string = ''

@description('Salesforce My Domain URL (https://acme.my.salesforce.com) for changes out.')
param salesforceInstanceUrl string = ''

@description('Salesforce connected app consumer key.')
param salesforceClientId string = ''

@description('Salesforce connected app consumer secret (stored in Key Vault as salesforce-client-secret).')
@secure()
param salesforceClientSecret string = ''

@description('Endpoint of the AI service for AI steps.')
param aiEndpoint string = ''

@description('API key of the AI service (stored in Key Vault as ai-api-key).')
@secure()
param aiApiKey string = ''

@description('SMTP user name for Azure Communication Services email (infra/README.md says how to create it).')
param smtpUsername string = ''

@description('SMTP password (the Entra application\'s client secret; stored in Key Vault as smtp-password).')
@secure()
param smtpPassword string = ''

@description('Where Azure Communication Services keeps data at rest.')
param emailDataLocation string = 'United States'

@description('Deliveries of a Service Bus message before it is dead-lettered.')
@minValue(1)
@maxValue(100)
param serviceBusMaxDeliveryCount int = 10

@description('Maximum instances of the Function App.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Memory of each Function App instance.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Short, stable suffix that makes global names unique per subscription, environment and region.')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))

@description('Tags on every resource; azd finds its resources by azd-env-name.')
var tags = {
  'azd-env-name': environmentName
}

@description('Secrets kept in Key Vault, by secret name; empty optional ones are not created.')
var secrets = {
  'admin-key': adminKey
  'intake-secret': intakeSecret
  'twilio-auth-token': twilioAuthToken
  'slack-bot-token': slackBotToken
  'ai-api-key': aiApiKey
  'smtp-password': smtpPassword
  'hubspot-client-secret': hubspotClientSecret
  'hubspot-access-token': hubspotAccessToken
  'salesforce-client-secret': salesforceClientSecret
}

@description('Names of the optional secrets that were given, so only their integrations get app settings.')
var presentSecrets = concat(
  empty(twilioAuthToken) ? [] : ['twilio-auth-token'],
  empty(slackBotToken) ? [] : ['slack-bot-token'],
  empty(aiApiKey) ? [] : ['ai-api-key'],
  empty(smtpPassword) ? [] : ['smtp-password'],
  empty(hubspotClientSecret) ? [] : ['hubspot-client-secret'],
  empty(hubspotAccessToken) ? [] : ['hubspot-access-token'],
  empty(salesforceClientSecret) ? [] : ['salesforce-client-secret']
)

@description('Resource names, fixed at compile time so role assignments and lookups stay predictable for what-if.')
var names = {
  identity: 'id-${resourceToken}'
  logAnalytics: 'log-${resourceToken}'
  applicationInsights: 'appi-${resourceToken}'
  storage: 'st${resourceToken}'
  serviceBus: 'sb-${resourceToken}'
  communication: 'acs-${resourceToken}'
  emailService: 'email-${resourceToken}'
  keyVault: 'kv-${resourceToken}'
  plan: 'plan-${resourceToken}'
  functionApp: 'func-${resourceToken}'
}

@description('Queue names; the Functions triggers and Automation.Runtime must agree on them.')
var queues = {
  events: '${storagePrefix}-events'
}

resource resourceGroup 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  scope: resourceGroup
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  scope: resourceGroup
  dependsOn: [
    identity
  ]
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
    identityName: names.identity
  }
}

module storage 'modules/storage.bicep' = {
  scope: resourceGroup
  dependsOn: [
    identity
  ]
  params: {
    name: names.storage
    location: location
    tags: tags
    deploymentContainerName: 'app-package'
    queueNames: [
      queues.events
    ]
    identityName: names.identity
    // A person running azd up gets data access, so Durable Functions Monitor and Storage Explorer can
    // open the task hub with Entra sign-in (shared keys are off: no connection string would work).
    // A pipeline's service principal only deploys and gets none.
    readerPrincipalId: principalType == 'User' ? principalId : ''
    readerPrincipalType: principalType
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  scope: resourceGroup
  dependsOn: [
    identity
  ]
  params: {
    name: names.serviceBus
    location: location
    tags: tags
    topicName: 'events'
    subscriptionName: 'automation'
    maxDeliveryCount: serviceBusMaxDeliveryCount
    identityName: names.identity
  }
}

module communication 'modules/communication.bicep' = {
  scope: resourceGroup
  params: {
    communicationName: names.communication
    emailServiceName: names.emailService
    dataLocation: emailDataLocation
    tags: tags
    senderUsername: 'donotreply'
    senderDisplayName: 'Automation'
  }
}

module keyVault 'modules/keyvault.bicep' = {
  scope: resourceGroup
  dependsOn: [
    identity
  ]
  params: {
    name: names.keyVault
    location: location
    tags: tags
    secrets: secrets
    identityName: names.identity
    officerPrincipalId: principalId
    officerPrincipalType: principalType
  }
}

module functionApp 'modules/functionapp.bicep' = {
  scope: resourceGroup
  dependsOn: [
    identity
    monitoring
  ]
  params: {
    planName: names.plan
    appName: names.functionApp
    location: location
    tags: tags
    serviceName: 'functions'
    identityName: names.identity
    storageAccountName: storage.outputs.name
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: 'app-package'
    storagePrefix: storagePrefix
    eventsQueueName: queues.events
    durableHubName: durableHubName
    serviceBusNamespace: serviceBus.outputs.fullyQualifiedNamespace
    serviceBusTopicName: serviceBus.outputs.topicName
    serviceBusSubscriptionName: serviceBus.outputs.subscriptionName
    applicationInsightsName: names.applicationInsights
    keyVaultName: keyVault.outputs.name
    presentSecrets: presentSecrets
    emailFrom: communication.outputs.senderAddress
    smtpUsername: smtpUsername
    twilioAccountSid: twilioAccountSid
    twilioFrom: twilioFrom
    hubspotPortalId: hubspotPortalId
    salesforceOrganizationId: salesforceOrganizationId
    salesforceInstanceUrl: salesforceInstanceUrl
    salesforceClientId: salesforceClientId
    aiEndpoint: aiEndpoint
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
  }
}

@description('Region of the deployment.')
output AZURE_LOCATION string = location

@description('Tenant of the deployment.')
output AZURE_TENANT_ID string = tenant().tenantId

@description('Resource group that holds everything.')
output AZURE_RESOURCE_GROUP string = resourceGroup.name

@description('Key Vault with the secrets; azd reads admin-key and intake-secret from it on later provisions.')
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name

@description('Name of the Function App.')
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name

@description('Base URL of the deployed API and dashboard.')
output AUTOMATION_URL string = 'https://${functionApp.outputs.defaultHostName}'

@description('Storage account with Automation\'s tables, queues and blobs and the Durable task hub.')
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name

@description('Durable Functions task hub in that account, the one to open in Durable Functions Monitor.')
output AZURE_DURABLE_HUB_NAME string = durableHubName

@description('Service Bus namespace host name that CRM systems publish to.')
output AZURE_SERVICE_BUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace

@description('Service Bus topic that CRM systems publish events to.')
output AZURE_SERVICE_BUS_TOPIC string = serviceBus.outputs.topicName

@description('Communication Services resource (its name is part of the SMTP user name).')
output AZURE_COMMUNICATION_SERVICES_NAME string = communication.outputs.communicationName

@description('Principal id of the app\'s identity, for granting it roles on resources outside this template.')
output AZURE_APP_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId

@description('Sender address of email steps.')
output AZURE_EMAIL_SENDER string = communication.outputs.senderAddress
