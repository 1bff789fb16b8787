metadata description = 'Azure Communication Services with an Email service and an Azure-managed domain, so email steps have a sender from the first deployment. Automation sends through the service\'s SMTP endpoint (infra/README.md).'

@description('Name of the Communication Services resource.')
param communicationName string

@description('Name of the Email service.')
param emailServiceName string

@description('Where Communication Services keeps its data at rest (for example "United States", "Europe").')
param dataLocation string

@description('Tags for every resource.')
param tags { *: string }

@description('Local part of the sender address (<local part>@<managed domain>).')
param senderUsername string

@description('Display name of the sender.')
param senderDisplayName string

resource emailService 'Microsoft.Communication/emailServices@2026-03-18' = {
  name: emailServiceName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
  }

  resource domain 'domains' = {
    name: 'AzureManagedDomain'
    location: 'global'
    tags: tags
    properties: {
      domainManagement: 'AzureManaged'
      userEngagementTracking: 'Disabled'
    }

    resource sender 'senderUsernames' = {
      name: senderUsername
      properties: {
        username: senderUsername
        displayName: senderDisplayName
      }
    }
  }
}

resource communication 'Microsoft.Communication/communicationServices@2026-03-18' = {
  name: communicationName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
    linkedDomains: [
      emailService::domain.id
    ]
  }
}

@description('Name of the Communication Services resource (part of its SMTP user name).')
output communicationName string = communication.name

@description('Sender address on the Azure-managed domain.')
output senderAddress string = '${emailService::domain::sender.properties.username}@${emailService::domain.properties.mailFromSenderDomain}'
