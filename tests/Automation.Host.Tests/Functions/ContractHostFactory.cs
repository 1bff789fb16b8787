using Automation.Engine.Json;
using Automation.Engine.Model;
using Automation.Runtime.Storage;
using Automation.Runtime.Workflows;
using Automation.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Host.Tests.Functions;

/// <summary>
/// The host as the Functions host runs it: invocation endpoints mapped, no in-process pollers or scheduler timer (the
/// Functions host owns the triggers; the tests play its part), tables and queues of its own, and a manual clock.
/// </summary>
public sealed class ContractHostFactory : WebApplicationFactory<Program>
{
    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 3, 9, 7, 59, 30, TimeSpan.Zero));

    public string Prefix { get; } = "c" + Guid.NewGuid().ToString("N")[..10];

    public AutomationStorage Storage => Services.GetRequiredService<AutomationStorage>();

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Automation:Functions:Handlers", "true");
        builder.UseSetting("Automation:Runner:Pollers", "false");
        builder.UseSetting("Automation:Scheduler:Enabled", "false");
        builder.UseSetting("Automation:Storage:Prefix", Prefix);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    public async Task<Workflow> ActiveWorkflowAsync(string json)
    {
        await Storage.EnsureCreatedAsync();
        var wf = System.Text.Json.JsonSerializer.Deserialize<Workflow>(json, EngineJson.Options)!;
        return await Get<WorkflowStore>().CreateAsync(wf with { Status = WorkflowStatus.Active });
    }

    public override async ValueTask DisposeAsync()
    {
        var storage = Storage;
        foreach (var table in storage.Names.Tables)
        {
            await storage.TableService.DeleteTableAsync(table);
        }

        foreach (var queue in storage.Names.Queues)
        {
            await storage.QueueService.DeleteQueueAsync(queue);
        }

        await base.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
