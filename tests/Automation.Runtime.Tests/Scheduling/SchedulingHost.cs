using Automation.DurableLocal;
using Automation.Engine.Model;
using Automation.Runtime.Orchestration;
using Automation.Runtime.Intake;
using Automation.Runtime.Polling;
using Automation.Runtime.Runs;
using Automation.Runtime.Scheduling;
using Automation.Runtime.Storage;
using Automation.Runtime.Tests.Infrastructure;
using Automation.Runtime.Workflows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Automation.Runtime.Tests.Scheduling;

/// <summary>
/// The runtime with a <see cref="ManualClock"/>, no pollers and no in-process scheduler timer: a test ticks the
/// scheduler and drains the queues itself. Several instances may share one storage prefix (<see cref="JoinAsync"/>),
/// as several app instances share an account; the first one owns the tables and deletes them at the end.
/// </summary>
public sealed class SchedulingHost : IAsyncDisposable
{
    private readonly IHost host;
    private readonly bool ownsStorage;

    private SchedulingHost(IHost host, string prefix, ManualClock clock, bool ownsStorage)
    {
        this.host = host;
        this.ownsStorage = ownsStorage;
        Prefix = prefix;
        Clock = clock;
    }

    public string Prefix { get; }

    public ManualClock Clock { get; }

    public T Get<T>()
        where T : notnull => host.Services.GetRequiredService<T>();

    public Scheduler Scheduler => Get<Scheduler>();

    public AutomationStorage Storage => Get<AutomationStorage>();

    public RunQueries Runs => Get<RunQueries>();

    public static Task<SchedulingHost> StartAsync(DateTimeOffset now, IReadOnlyDictionary<string, string?>? settings = null) =>
        StartAsync("s" + Guid.NewGuid().ToString("N")[..12], new ManualClock(now), settings, ownsStorage: true);

    /// <summary>A second instance on the same storage and the same clock.</summary>
    public Task<SchedulingHost> JoinAsync(IReadOnlyDictionary<string, string?>? settings = null) =>
        StartAsync(Prefix, Clock, settings, ownsStorage: false);

    private static async Task<SchedulingHost> StartAsync(string prefix, ManualClock clock, IReadOnlyDictionary<string, string?>? settings, bool ownsStorage)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var config = new Dictionary<string, string?>
        {
            ["Automation:Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["Automation:Storage:Prefix"] = prefix,
            ["Automation:Runner:Pollers"] = "false",
            ["Automation:Runner:LeaseDuration"] = "00:01:00",
            ["Automation:Runner:WorkflowCacheTtl"] = "00:00:30",
            ["Automation:Scheduler:Enabled"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(config);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.AddAutomationRuntime();
        builder.AddLocalDurable();
        builder.Services.AddSingleton<DateWakeRecorder>();
        builder.Services.AddSingleton<IDurableClientSource>(sp => sp.GetRequiredService<DateWakeRecorder>());
        var host = builder.Build();
        await host.StartAsync();
        await host.Services.GetRequiredService<AutomationStorage>().EnsureCreatedAsync();
        return new SchedulingHost(host, prefix, clock, ownsStorage);
    }

    /// <summary>Waits until the record has <paramref name="count"/> runs, all ended (their orchestrations run on real time).</summary>
    public async Task<IReadOnlyList<RunSummary>> WaitForRunsAsync(string module, string recordId, int count)
    {
        IReadOnlyList<RunSummary> runs = [];
        await Eventually.HoldsAsync(async () =>
        {
            runs = await Runs.ListForRecordAsync(module, recordId);
            return runs.Count == count && runs.All(r => Engine.Runs.RunTransitions.IsTerminal(r.Status));
        });
        return runs;
    }

    /// <summary>Saves and activates a workflow given as the API's JSON; its schedule counts from the clock's now.</summary>
    public Task<Workflow> ActiveWorkflowAsync(string json) =>
        Get<WorkflowStore>().CreateAsync(Json.Workflow(json) with { Status = WorkflowStatus.Active });

    public Task<IntakeResult> SendAsync(params CrmEvent[] events) => Get<IntakeService>().AcceptAsync(events);

    public Task<TickResult> TickAsync() => Scheduler.TickAsync(Clock.GetUtcNow());

    /// <summary>Processes queued events until the events queue is empty.</summary>
    public async Task<int> DrainEventsAsync()
    {
        var total = 0;
        int handled;
        while ((handled = await Get<QueueWorkers>().Events.PollOnceAsync()) > 0)
        {
            total += handled;
        }

        return total;
    }

    /// <summary>Messages waiting on the events queue (visible ones): each is one accepted event.</summary>
    public async Task<int> QueuedEventsAsync() => (await Storage.Events.GetPropertiesAsync()).Value.ApproximateMessagesCount;

    /// <summary>Date wake-ups scheduled (each a wake-up orchestration in a real task hub).</summary>
    public int ScheduledWakes => Get<DateWakeRecorder>().Wakes.Count;

    /// <summary>Records the given records (record.created), processed, so that their snapshots exist.</summary>
    public async Task StoreRecordsAsync(string module, IEnumerable<(string Id, object Fields)> records)
    {
        var events = records.Select(r => Json.Event("record.created", module, r.Id, r.Fields) with { OccurredAt = Clock.GetUtcNow() }).ToArray();
        foreach (var chunk in events.Chunk(100))
        {
            await SendAsync(chunk);
        }

        await DrainEventsAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        if (ownsStorage)
        {
            var storage = host.Services.GetRequiredService<AutomationStorage>();
            foreach (var table in storage.Names.Tables)
            {
                await storage.TableService.DeleteTableAsync(table);
            }

            foreach (var queue in storage.Names.Queues)
            {
                await storage.QueueService.DeleteQueueAsync(queue);
            }

            await host.Services.GetRequiredService<LocalDurableHost>().Service.DeleteAsync();
        }

        host.Dispose();
    }
}
