using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Automation.Functions.Tests;

/// <summary>The local host in memory (the reference the Functions app is compared with), with its own storage prefix.</summary>
public sealed class LocalHost : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Automation:Admin:Keys:0", FunctionsApp.AdminKey);
        builder.UseSetting("Automation:Runner:Pollers", "false");
        builder.UseSetting("Automation:Scheduler:Enabled", "false");
        builder.UseSetting("Automation:Storage:Prefix", "l" + Guid.NewGuid().ToString("N")[..10]);
    }
}
