using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Automation.Host.Tests;

/// <summary>The host in memory with one known admin key.</summary>
public sealed class HostFactory : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-0123456789";
    public const string RotatedAdminKey = "test-admin-key-rotated";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Automation:Admin:Keys:0", AdminKey);
        builder.UseSetting("Automation:Admin:Keys:1", RotatedAdminKey);
        builder.UseSetting("Automation:Http:MaxBodyBytes", "65536");
    }

    public HttpClient Admin()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }
}
