using System.Text.Json;
using Automation.Engine.Json;
using Automation.Engine.Model;
using Automation.DurableLocal;
using Automation.Engine.Runs;
using Automation.Runtime.Intake;
using Automation.Runtime.Polling;
using Automation.Runtime.Runs;
using Automation.Runtime.Storage;
using Automation.Runtime.Workflows;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Automation.Runtime.Tests.Infrastructure;

/// <summary>
/// The runtime as the host wires it (<see cref="RuntimeSetup.AddAutomationRuntime"/> and the in-process Durable Task
/// Framework), on the shared Azurite with a table and queue prefix of its own (and so a task hub of its own), the
/// events poller on unless a test drives the queue by hand.
/// </summary>
public sealed class RuntimeHost : IAsyncDisposable
{
    private readonly IHost host;

    private RuntimeHost(IHost host, string prefix)
    {
        this.host = host;
        Prefix = prefix;
    }

    public string Prefix { get; }

    public IServiceProvider Services => host.Services;

    public T Get<T>()
        where T : notnull => host.Services.GetRequiredService<T>();

    public WorkflowStore Workflows => Get<WorkflowStore>();

    public IntakeService Intake => Get<IntakeService>();

    public RunQueries Runs => Get<RunQueries>();

    public RunCommands Commands => Get<RunCommands>();

    public QueueWorkers Workers => Get<QueueWorkers>();

    public LocalDurableHost Durable => Get<LocalDurableHost>();

    public StorageTransactionCounter Counter => Get<StorageTransactionCounter>();

    /// <param name="pollers">Run the queue pollers (else the test drives the queues).</param>
    /// <param name="settings">Configuration on top of the defaults below.</param>
    /// <param name="services">Registrations made before the runtime's (a clock of the test's own, say).</param>
    public static async Task<RuntimeHost> StartAsync(
        bool pollers = true, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var prefix = "t" + Guid.NewGuid().ToString("N")[..12];
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var config = new Dictionary<string, string?>
        {
            ["Automation:Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["Automation:Storage:Prefix"] = prefix,
            ["Automation:Runner:Pollers"] = pollers ? "true" : "false",
            ["Automation:Runner:Concurrency"] = "8",
            ["Automation:Runner:PollMinDelay"] = "00:00:00.050",
            ["Automation:Runner:PollMaxDelay"] = "00:00:00.500",
            ["Automation:Runner:LeaseDuration"] = "00:01:00",
            ["Automation:Durable:MaxQueuePollingInterval"] = "00:00:00.500",
            ["Automation:Runner:FailedMessageBackoff"] = "00:00:00",
            ["Automation:Runner:PausedRecheckInterval"] = "00:00:02",
            ["Automation:Outbound:AllowedHosts:0"] = "127.0.0.1",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(config);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        services?.Invoke(builder.Services);
        builder.AddAutomationRuntime();
        builder.AddLocalDurable();
        var host = builder.Build();
        await host.StartAsync();
        await host.Services.GetRequiredService<AutomationStorage>().EnsureCreatedAsync();
        return new RuntimeHost(host, prefix);
    }

    /// <summary>True while an orchestration of this host's task hub is pending or running (a run not yet ended or waiting).</summary>
    public async Task<bool> OrchestrationsBusyAsync()
    {
        var query = new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running], PageSize = 1 };
        await foreach (var _ in Durable.Client.GetAllInstancesAsync(query))
        {
            return true;
        }

        return false;
    }

    /// <summary>Saves and activates a workflow given as the API's JSON.</summary>
    public async Task<Workflow> ActiveWorkflowAsync(string json)
    {
        var created = await Workflows.CreateAsync(Json.Workflow(json) with { Status = WorkflowStatus.Active });
        return created;
    }

    public Task<IntakeResult> SendAsync(params CrmEvent[] events) => Intake.AcceptAsync(events);

    /// <summary>Waits (up to 30 s, polling) until the record has a run of the workflow matching <paramref name="done"/>.</summary>
    public async Task<RunDetails> WaitForRunAsync(string module, string recordId, string workflowId, Func<RunDetails, bool> done, TimeSpan? timeout = null)
    {
        RunDetails? last = null;
        await Eventually.HoldsAsync(
            async () =>
            {
                var runs = await Runs.ListForRecordAsync(module, recordId);
                foreach (var run in runs.Where(r => r.WorkflowId == workflowId))
                {
                    last = await Runs.GetAsync(run.RunId);
                    if (last is not null && done(last))
                    {
                        return true;
                    }
                }

                return false;
            },
            timeout,
            () => last is null ? "no run yet" : $"last seen: {last.Run.Status}, cursor {last.Run.Cursor}, error {last.Run.Error}");
        return last!;
    }

    public Task<RunDetails> WaitForEndAsync(string module, string recordId, string workflowId, TimeSpan? timeout = null) =>
        WaitForRunAsync(module, recordId, workflowId, r => RunTransitions.IsTerminal(r.Run.Status), timeout);

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        var storage = host.Services.GetRequiredService<AutomationStorage>();

        // Every table of this host's prefix, including those that components create for themselves.
        var tables = new List<string>();
        var prefix = storage.Names.TablePrefix;
        await foreach (var table in storage.TableService.QueryAsync($"TableName ge '{prefix}' and TableName lt '{prefix}~'"))
        {
            tables.Add(table.Name);
        }

        foreach (var table in tables.Union(storage.Names.Tables))
        {
            await storage.TableService.DeleteTableAsync(table);
        }

        foreach (var queue in storage.Names.Queues)
        {
            await storage.QueueService.DeleteQueueAsync(queue);
        }

        // The task hub: its tables were deleted above with the prefix's; its queues and lease container go too.
        await Durable.Service.DeleteAsync();

        host.Dispose();
    }
}

/// <summary>Test data in the API's JSON shapes, read with <see cref="EngineJson.Options"/>.</summary>
public static class Json
{
    public static Workflow Workflow(string json) => JsonSerializer.Deserialize<Workflow>(json, EngineJson.Options)!;

    public static JsonElement Element(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    public static JsonElement Of(object value) => JsonSerializer.SerializeToElement(value, EngineJson.Options);

    public static CrmEvent Event(string type, string module, string recordId, object? record = null, string? id = null, object? previous = null, Causation? causation = null) => new()
    {
        Id = id ?? "evt-" + Guid.NewGuid().ToString("N")[..10],
        Type = type,
        Module = module,
        RecordId = recordId,
        OccurredAt = DateTimeOffset.UtcNow,
        Record = record is null ? null : Of(record),
        Previous = previous is null ? null : Of(previous),
        Causation = causation,
    };
}
