using Automation.Runtime.Crm.HubSpot;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Runtime.Crm;

public static class CrmConnectionsSetup
{
    /// <summary>
    /// CRMs in and out: HubSpot's webhooks and API (<see cref="HubSpotOptions"/>: the signature check, the records read back,
    /// the mapping, changes written back) and Salesforce's Outbound Messages and REST API (<see cref="Salesforce.SalesforceOptions"/>).
    /// </summary>
    public static IServiceCollection AddCrmConnections(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<HubSpotOptions>().Bind(configuration.GetSection(HubSpotOptions.Section));
        // HubSpot's API is the admin's configured endpoint, like the language model's: not a URL a workflow names.
        services.AddHttpClient(HubSpotClient.ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddSingleton<HubSpotClient>();
        services.AddSingleton<HubSpotWebhooks>();
        services.AddSingleton<ICrmConnector, HubSpotWriter>();

        services.AddOptions<Salesforce.SalesforceOptions>().Bind(configuration.GetSection(Salesforce.SalesforceOptions.Section));
        services.AddSingleton<Salesforce.SalesforceOutboundMessages>();
        // Like HubSpot's, Salesforce's instance is the admin's configured endpoint.
        services.AddHttpClient(Salesforce.SalesforceClient.ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddSingleton<Salesforce.SalesforceClient>();
        services.AddSingleton<ICrmConnector, Salesforce.SalesforceWriter>();
        services.AddSingleton<CrmOwners>();
        return services;
    }
}
