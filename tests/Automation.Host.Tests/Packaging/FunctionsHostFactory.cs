using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Automation.Host.Tests.Packaging;

/// <summary>
/// The host in memory as it runs under the Functions host: the invocation endpoints (POST /{FunctionName}) mapped
/// and the in-process queue pollers off, without taking a port.
/// </summary>
public sealed class FunctionsHostFactory : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Automation:Functions:Handlers", "true");
        builder.UseSetting("Automation:Runner:Pollers", "false");
        builder.UseSetting("Automation:Storage:Prefix", "p" + Guid.NewGuid().ToString("N")[..10]);
    }
}
