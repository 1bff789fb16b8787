using System.Security.Cryptography;
using Automation.Api;
using Automation.DurableLocal;
using Automation.Engine.Runs;
using Automation.Runtime.Runs;
using Automation.Runtime.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.DurableTask.Client;

namespace Automation.Bench;

/// <summary>
/// The real host (<see cref="ApiSetup.AddAutomationApi"/>: HTTP API, runtime, in-process events poller) with its Durable
/// engine (<see cref="LocalDurableSetup.AddLocalDurable"/>, the local host's settings) in this process on 127.0.0.1,
/// with a storage prefix of its own. Events go in over HTTP (<c>POST /api/events</c> with an admin key), so the
/// measured path includes intake as a client sees it. The bare-Durable baseline is registered on the same worker.
/// </summary>
public sealed class BenchHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private BenchHost(WebApplication app, Uri address, string adminKey)
    {
        this.app = app;
        Address = address;
        Api = new AdminApi(address, adminKey);
    }

    public Uri Address { get; }

    public AdminApi Api { get; }

    public StorageTransactionCounter Counter => app.Services.GetRequiredService<StorageTransactionCounter>();

    public AutomationStorage Storage => app.Services.GetRequiredService<AutomationStorage>();

    public LocalDurableHost Durable => app.Services.GetRequiredService<LocalDurableHost>();

    /// <param name="prefix">Null: a new one (tables, queues and task hub of this run only).</param>
    /// <param name="workerId">Null: the framework's default, the machine name.</param>
    public static async Task<BenchHost> StartAsync(string connection, string? prefix = null, string? adminKey = null, string? workerId = null)
    {
        prefix ??= NewPrefix("bench");
        adminKey ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Automation:Storage:ConnectionString"] = connection,
            ["Automation:Storage:Prefix"] = prefix,
            ["Automation:Admin:Keys:0"] = adminKey,
            ["Automation:Runner:Pollers"] = "true",
            ["Automation:Outbound:AllowedHosts:0"] = "127.0.0.1",
            ["Automation:Durable:WorkerId"] = workerId,

            // Per-event information logs would measure the console, not the runtime.
            ["Logging:LogLevel:Default"] = "Warning",

            // The framework warns of every start message it puts back because the instance row is not written yet, a
            // routine race under a burst that would bury the figures.
            ["Logging:LogLevel:DurableTask"] = "Error",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddAutomationApi();
        builder.AddLocalDurable();
        var app = builder.Build();
        var durable = app.Services.GetRequiredService<LocalDurableHost>();
        durable.AddOrchestration(Baseline.Orchestration, () => new BaselineOrchestrator());
        durable.AddActivity(Baseline.Activity, () => new BaselineStepActivity());
        app.UseAutomationApi();
        await app.StartAsync();
        await app.Services.GetRequiredService<AutomationStorage>().EnsureCreatedAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new BenchHost(app, new Uri(address.TrimEnd('/') + "/"), adminKey);
    }

    public static string NewPrefix(string kind) => kind + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));

    /// <summary>Run counts by status of a workflow, from its runs list (read after the measurement, so not counted in it).</summary>
    public async Task<Dictionary<string, int>> RunStatusesAsync(string workflowId)
    {
        var runs = app.Services.GetRequiredService<RunQueries>();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var page = await runs.ListForWorkflowAsync(workflowId, limit: 1000, continuationToken: token);
            foreach (var run in page.Items)
            {
                var status = run.Status.ToString();
                counts[status] = counts.GetValueOrDefault(status) + 1;
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
        return counts;
    }

    /// <summary>Baseline instance counts by status (Completed counted as <see cref="RunStatus.Succeeded"/>), read after the measurement.</summary>
    public async Task<Dictionary<string, int>> InstanceStatusesAsync(string instanceIdPrefix)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var query = new OrchestrationQuery { InstanceIdPrefix = instanceIdPrefix, PageSize = 1000 };
        await foreach (var instance in Durable.Client.GetAllInstancesAsync(query))
        {
            var status = instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? nameof(RunStatus.Succeeded) : instance.RuntimeStatus.ToString();
            counts[status] = counts.GetValueOrDefault(status) + 1;
        }

        return counts;
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await app.StopAsync();
        var storage = Storage;
        foreach (var table in storage.Names.Tables)
        {
            await storage.TableService.DeleteTableAsync(table);
        }

        foreach (var queue in storage.Names.Queues)
        {
            await storage.QueueService.DeleteQueueAsync(queue);
        }

        await Durable.Service.DeleteAsync();
        await app.DisposeAsync();
    }
}
