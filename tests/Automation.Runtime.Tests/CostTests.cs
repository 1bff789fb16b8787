using System.Globalization;
using Automation.Engine.Runs;
using Automation.Runtime.Segments;
using Automation.Runtime.Storage;
using Automation.Runtime.Tests.Infrastructure;
using Automation.Runtime.Workflows;

namespace Automation.Runtime.Tests;

/// <summary>
/// The storage cost of our own tables and queues (docs/storage.md), measured with the transaction counter on the real
/// clients, from intake to the run's end, the events feed's line included (one batch per intake request, however many
/// events it holds). The task hub's requests (the orchestration's queues and history) are counted apart ("hub ..."):
/// they include idle polling, so their figures come from the benchmark, not from exact assertions.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CostTests : IAsyncLifetime
{
    private RuntimeHost host = null!;
    private WebhookReceiver receiver = null!;

    public async Task InitializeAsync()
    {
        receiver = await WebhookReceiver.StartAsync();
        host = await RuntimeHost.StartAsync(pollers: false);
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await receiver.DisposeAsync();
    }

    [Theory]
    [InlineData("once")]
    [InlineData("every_time")]
    public async Task A_five_step_run_without_delays_costs_fourteen_of_our_transactions_including_intake(string enrollment)
    {
        var steps = string.Join(",", Enumerable.Range(1, 5).Select(i =>
            $$"""{ "id": "s{{i}}", "action": "call_webhook", "params": { "url": "{{receiver.Url("cost/" + i)}}" } }"""));
        var wf = await host.ActiveWorkflowAsync($$$"""
        { "name": "Five", "module": "lead", "trigger": { "type": "record.created" }, "enrollment": "{{{enrollment}}}", "steps": [ {{{steps}}} ] }
        """);
        await host.Get<WorkflowCatalog>().ActiveAsync("lead");

        // The module's segments are cached like the workflow heads: both loaded, an event reads neither.
        await host.Get<SegmentStore>().ListAsync("lead");
        var counter = host.Counter;
        counter.Reset();

        var evt = Json.Event("record.created", "lead", "COST-" + enrollment, new { email = "c@example.com" });
        await host.SendAsync(evt);
        var handled = await host.Workers.Events.PollOnceAsync();
        var runId = Keys.RunId(Keys.RecordPartition("lead", evt.RecordId), evt.Id, wf.Id!);
        await host.Durable.Client.WaitForInstanceCompletionAsync(runId);
        var ours = counter.Ours();
        var run = await host.WaitForEndAsync("lead", "COST-" + enrollment, wf.Id!);

        Assert.Equal(1, handled);
        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Equal(5, receiver.RequestsTo("cost/1").Count + receiver.RequestsTo("cost/2").Count + receiver.RequestsTo("cost/3").Count
            + receiver.RequestsTo("cost/4").Count + receiver.RequestsTo("cost/5").Count);
        Assert.Equal(new Dictionary<string, long>
        {
            ["table POST table"] = 1,     // intake: the event id (and the event) in the record's partition
            ["queue POST messages"] = 1,  // intake: queue it
            ["queue GET messages"] = 1,   // receive (shared by up to 32 messages)
            ["table GET query"] = 2,      // snapshot + event + enrollments + waiting runs; the activity's run + record + event
            ["table POST $batch"] = 8,    // intake: the events feed's line; snapshot/event/enrollment/run; 5 step checkpoints; run index + counter
            ["queue DELETE message"] = 1, // done
        }, ours);
        Assert.Equal(14, ours.Values.Sum());
    }

    [Fact]
    public async Task A_delay_costs_one_more_checkpoint_and_one_more_read_of_ours()
    {
        var steps = string.Join(",", Enumerable.Range(1, 5).Select(i => i == 3
            ? $$$"""{ "id": "s{{{i}}}", "action": "call_webhook", "delay": { "until": "{{ record.at }}" }, "params": { "url": "{{{receiver.Url("delay/" + i)}}}" } }"""
            : $$$"""{ "id": "s{{{i}}}", "action": "call_webhook", "params": { "url": "{{{receiver.Url("delay/" + i)}}}" } }"""));
        var wf = await host.ActiveWorkflowAsync($$$"""
        { "name": "Five with a wait", "module": "lead", "trigger": { "type": "record.created" }, "steps": [ {{{steps}}} ] }
        """);
        await host.Get<WorkflowCatalog>().ActiveAsync("lead");

        // The module's segments are cached like the workflow heads: both loaded, an event reads neither.
        await host.Get<SegmentStore>().ListAsync("lead");
        var due = DateTimeOffset.UtcNow.AddSeconds(1);
        var counter = host.Counter;
        counter.Reset();

        var evt = Json.Event("record.created", "lead", "COST-delay", new { at = due.ToString("O", CultureInfo.InvariantCulture) });
        await host.SendAsync(evt);
        await host.Workers.Events.PollOnceAsync();
        var runId = Keys.RunId(Keys.RecordPartition("lead", evt.RecordId), evt.Id, wf.Id!);
        await host.Durable.Client.WaitForInstanceCompletionAsync(runId);
        var ours = counter.Ours();
        var run = await host.WaitForEndAsync("lead", "COST-delay", wf.Id!);

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Equal(5, run.Steps.Count);

        // Intake 3 (with the feed's line), receive, read, create, delete; first activity: read, 2 checkpoints (before step 2,
        // and the one that parks the run), index write (a new run's row is written blind); after the timer: read,
        // 4 checkpoints (before step 3, marking the run running again; before steps 4 and 5; the end), index read + write.
        Assert.Equal(2, ours["table POST table"] + ours["queue POST messages"]);
        Assert.Equal(3, ours["table GET query"]);
        Assert.Equal(1, ours["table GET entity"]);
        Assert.Equal(1 + 1 + 2 + 1 + 4 + 1, ours["table POST $batch"]);
        Assert.Equal(18, ours.Values.Sum());
    }
}
