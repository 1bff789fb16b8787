using System.Net.Http.Headers;
using Automation.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Automation.Host.Tests;

/// <summary>
/// The host in memory, sending email to MailDev, with tracking links on the test server's own address
/// (<c>http://localhost</c>) so a test can follow them with its client.
/// </summary>
public sealed class CommunicationHostFactory : WebApplicationFactory<Program>
{
    public string Prefix { get; } = "m" + Guid.NewGuid().ToString("N")[..10];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Automation:Admin:Keys:0", HostFactory.AdminKey);
        builder.UseSetting("Automation:Outbound:AllowedHosts:0", "127.0.0.1");
        builder.UseSetting("Automation:Storage:Prefix", Prefix);
        foreach (var (key, value) in MailDev.Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Automation:Email:TrackingBaseUrl", "http://localhost");
    }

    public HttpClient Admin() => WithKey(CreateClient());

    /// <summary>A client that shows redirects instead of following them (click links).</summary>
    public HttpClient Public() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public static HttpClient WithKey(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", HostFactory.AdminKey);
        return client;
    }
}
