using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Automation.Host.Tests;

/// <summary>The host in memory with one known admin key.</summary>
public sealed class HostFactory : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-0123456789";
    public const string RotatedAdminKey = "test-admin-key-rotated";
    public const string IntakeSecret = "test-intake-secret";

    public string Prefix { get; } = "h" + Guid.NewGuid().ToString("N")[..10];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Automation:Admin:Keys:0", AdminKey);
        builder.UseSetting("Automation:Admin:Keys:1", RotatedAdminKey);
        builder.UseSetting("Automation:Http:MaxBodyBytes", "65536");
        builder.UseSetting("Automation:Intake:Secrets:0", IntakeSecret);
        builder.UseSetting("Automation:Outbound:AllowedHosts:0", "127.0.0.1");

        // Each factory gets tables and queues of its own in the shared Azurite.
        builder.UseSetting("Automation:Storage:Prefix", Prefix);
    }

    public HttpClient Admin()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }
}
