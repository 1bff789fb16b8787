using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Runtime.Crm.HubSpot;

public static class HubSpotSetup
{
    /// <summary>HubSpot's webhooks in (<see cref="HubSpotOptions"/>): the signature check, the records read back, the mapping.</summary>
    public static IServiceCollection AddHubSpot(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<HubSpotOptions>().Bind(configuration.GetSection(HubSpotOptions.Section));
        // HubSpot's API is the admin's configured endpoint, like the language model's: not a URL a workflow names.
        services.AddHttpClient(HubSpotClient.ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddSingleton<HubSpotClient>();
        services.AddSingleton<HubSpotWebhooks>();
        return services;
    }
}
