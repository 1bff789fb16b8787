using Automation.DurableLocal;
using Automation.Runtime.Orchestration;
using Automation.Runtime.Polling;
using Automation.Runtime.Segments;
using Automation.Runtime.Storage;
using Automation.Runtime.Tests.Infrastructure;
using Automation.Runtime.Workflows;
using Microsoft.Extensions.Logging.Abstractions;

namespace Automation.Runtime.Tests.Scheduling;

/// <summary>
/// The scheduler's storage transactions, counted as CostTests counts a run's (docs/storage.md): our own tables and
/// queues; the task hub's requests (its polling goes on meanwhile) are left out, but for what the hub charges to
/// start a date wake-up, counted on that call's own flow.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SchedulerCostTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 9, 7, 55, 0, TimeSpan.Zero);

    private SchedulingHost host = null!;

    public async Task InitializeAsync() => host = await SchedulingHost.StartAsync(Start);

    public async Task DisposeAsync() => await host.DisposeAsync();

    private StorageTransactionCounter Counter => host.Get<StorageTransactionCounter>();

    private async Task<long> CountAsync(Func<Task> work)
    {
        Counter.Reset();
        await work();
        return Counter.Ours().Values.Sum();
    }

    [Fact]
    public async Task A_tick_costs_one_read_with_no_scheduled_workflow_and_two_with_one()
    {
        var none = await CountAsync(host.TickAsync);
        await host.ActiveWorkflowAsync("""
            { "name": "Daily", "module": "report", "trigger": { "type": "schedule", "cron": "0 9 * * *" }, "steps": [] }
            """);
        var idle = await CountAsync(host.TickAsync);

        Assert.Equal((1, 2), (none, idle));
    }

    [Fact]
    public async Task An_occurrence_without_records_costs_its_claim_its_intake_and_its_completion()
    {
        await host.ActiveWorkflowAsync("""
            { "name": "Daily", "module": "report", "trigger": { "type": "schedule", "cron": "0 8 * * *" }, "steps": [] }
            """);
        host.Clock.Set(Start.AddMinutes(5).AddSeconds(10));

        var fired = await CountAsync(host.TickAsync);

        // heads + states, claim batch, event row + queue put + the events feed's line, completion batch.
        Assert.Equal(2 + 1 + 3 + 1, fired);
    }

    [Fact]
    public async Task A_date_workflow_adds_one_wake_up_to_an_event_that_changes_the_date_and_nothing_otherwise()
    {
        await host.ActiveWorkflowAsync("""
            { "name": "Renewal", "module": "account", "trigger": { "type": "date.reached", "field": "renewalDate", "offset": "-30d" },
              "enrollment": "every_time", "steps": [] }
            """);
        await host.Get<WorkflowCatalog>().ActiveAsync("account");

        // The module's segments are cached like the workflow heads: both loaded, an event reads neither.
        await host.Get<SegmentStore>().ListAsync("account");
        Task ProcessAsync(string type, object record) => Task.Run(async () =>
        {
            await host.SendAsync(Json.Event(type, "account", "ACC-1", record) with { OccurredAt = host.Clock.GetUtcNow() });
            Assert.Equal(1, await host.Get<QueueWorkers>().Events.PollOnceAsync());
        });

        // Far enough ahead that the wake-up started below waits on its timer (the task hub runs on real time).
        var dated = await CountAsync(() => ProcessAsync("record.created", new { renewalDate = "2041-01-01" }));
        var wakes = host.ScheduledWakes;
        var same = await CountAsync(() => ProcessAsync("record.updated", new { renewalDate = "2041-01-01", owner = "kim" }));

        // The recorder kept the wake-up out of the task hub; started there, as DateTriggers starts it, it is the hub's
        // to charge: a read of the instance id (a running one is not started again), the control-queue message and
        // the instance row.
        var wake = Assert.Single(host.Get<DateWakeRecorder>().Wakes.Values);
        var real = new RunOrchestrations(host.Get<LocalDurableHost>(), NullLogger<RunOrchestrations>.Instance);
        var start = await Counter.OfAsync(() => real.StartDateWakeAsync(wake));

        // intake 3 (event row, queue put, the events feed's line), receive 1, read 1, batch 1, delete 1 (an event that
        // starts no run), either way: the wake-up is an orchestration in the task hub, not a row or a message of ours.
        Assert.Equal((7, 7), (dated, same));
        Assert.Equal((1, 1), (wakes, host.ScheduledWakes));
        Assert.Equal(new Dictionary<string, long>
        {
            ["hub table GET query"] = 1,
            ["hub queue POST messages"] = 1,
            ["hub table POST table"] = 1,
        }, start);
    }
}
