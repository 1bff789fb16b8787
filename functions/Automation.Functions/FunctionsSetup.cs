using Automation.Api;
using Automation.Functions.Durable;
using Automation.Functions.Triggers;
using Automation.Runtime.Orchestration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Automation.Functions;

/// <summary>The Functions app's services: the API and the runtime as the local host has them, minus what the Functions host does itself.</summary>
public static class FunctionsSetup
{
    public static IHostApplicationBuilder AddAutomationFunctions(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // The Functions host owns the triggers here: no in-process queue pollers and no scheduler timer.
        builder.Configuration["Automation:Runner:Pollers"] = "false";
        builder.Configuration["Automation:Scheduler:Enabled"] = "false";

        builder.AddAutomationApi();
        var services = builder.Services;
        services.AddSingleton<ApiPipeline>();
        services.AddSingleton<ServiceBusIntake>();
        services.AddSingleton<FunctionsDurableClients>();
        services.AddSingleton<IDurableClientSource>(sp => sp.GetRequiredService<FunctionsDurableClients>());
        services.TryAddSingleton<RunAdvancer>();
        return builder;
    }
}
