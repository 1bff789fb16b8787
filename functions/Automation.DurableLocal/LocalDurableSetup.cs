using Automation.Runtime.Orchestration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Automation.DurableLocal;

public static class LocalDurableSetup
{
    /// <summary>
    /// Runs the orchestrations in this process on the Durable Task Framework (<see cref="LocalDurableOptions"/> shows
    /// the JSON shape). Call after <c>AddAutomationRuntime</c>: the worker starts after the runtime's tables exist and
    /// stops before them, so activities in flight can still write.
    /// </summary>
    public static IHostApplicationBuilder AddLocalDurable(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<LocalDurableOptions>().Bind(builder.Configuration.GetSection(LocalDurableOptions.Section));
        builder.Services.AddSingleton<LocalDurableHost>();
        builder.Services.AddSingleton<IDurableClientSource>(sp => sp.GetRequiredService<LocalDurableHost>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LocalDurableHost>());

        // The framework logs every poll back-off and message it moves at Information; what a run did is in our own logs
        // and step logs. Logging:LogLevel:DurableTask in the configuration still sets it.
        if (builder.Configuration["Logging:LogLevel:DurableTask"] is null)
        {
            builder.Logging.AddFilter("DurableTask", LogLevel.Warning);
        }

        return builder;
    }
}
