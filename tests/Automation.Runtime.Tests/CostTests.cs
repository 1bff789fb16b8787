using System.Globalization;
using Automation.Engine.Runs;
using Automation.Runtime.Storage;
using Automation.Runtime.Tests.Infrastructure;
using Automation.Runtime.Workflows;

namespace Automation.Runtime.Tests;

/// <summary>
/// The storage cost of docs/storage.md, measured with the transaction counter on the real clients: a 5-step run with
/// no delay, from intake to its end, costs 13 transactions (12 plus one receive, which a busy queue shares among up to 32),
/// one of them the events feed's line (one batch per intake request, however many events it holds).
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
    public async Task A_five_step_run_without_delays_costs_thirteen_transactions_including_intake(string enrollment)
    {
        var steps = string.Join(",", Enumerable.Range(1, 5).Select(i =>
            $$"""{ "id": "s{{i}}", "action": "call_webhook", "params": { "url": "{{receiver.Url("cost/" + i)}}" } }"""));
        var wf = await host.ActiveWorkflowAsync($$$"""
        { "name": "Five", "module": "lead", "trigger": { "type": "record.created" }, "enrollment": "{{{enrollment}}}", "steps": [ {{{steps}}} ] }
        """);
        await host.Get<WorkflowCatalog>().ActiveAsync("lead");
        var counter = host.Counter;
        counter.Reset();

        await host.SendAsync(Json.Event("record.created", "lead", "COST-" + enrollment, new { email = "c@example.com" }));
        var handled = await host.Workers.Events.PollOnceAsync();
        var total = counter.Total;
        var byKind = counter.ByKind();
        var run = await host.WaitForEndAsync("lead", "COST-" + enrollment, wf.Id!);

        Assert.Equal(1, handled);
        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Equal(5, receiver.RequestsTo("cost/1").Count + receiver.RequestsTo("cost/2").Count + receiver.RequestsTo("cost/3").Count
            + receiver.RequestsTo("cost/4").Count + receiver.RequestsTo("cost/5").Count);
        Assert.Equal(13, total);
        Assert.Equal(new Dictionary<string, long>
        {
            ["table POST table"] = 1,     // intake: the event id (and the event) in the record's partition
            ["queue POST messages"] = 1,  // intake: queue it
            ["queue GET messages"] = 1,   // receive (shared by up to 32 messages)
            ["table GET query"] = 1,      // snapshot + event + enrollments + waiting runs, one query
            ["table POST $batch"] = 8,    // intake: the events feed's line; snapshot/event/enrollment/run; 5 step checkpoints; run index + counter
            ["queue DELETE message"] = 1, // done
        }, byKind);
    }

    [Fact]
    public async Task A_delay_adds_its_wake_up_and_nothing_per_step()
    {
        var steps = string.Join(",", Enumerable.Range(1, 5).Select(i => i == 3
            ? $$$"""{ "id": "s{{{i}}}", "action": "call_webhook", "delay": { "until": "{{ record.at }}" }, "params": { "url": "{{{receiver.Url("delay/" + i)}}}" } }"""
            : $$$"""{ "id": "s{{{i}}}", "action": "call_webhook", "params": { "url": "{{{receiver.Url("delay/" + i)}}}" } }"""));
        var wf = await host.ActiveWorkflowAsync($$$"""
        { "name": "Five with a wait", "module": "lead", "trigger": { "type": "record.created" }, "steps": [ {{{steps}}} ] }
        """);
        await host.Get<WorkflowCatalog>().ActiveAsync("lead");
        var due = DateTimeOffset.UtcNow.AddSeconds(1);
        var counter = host.Counter;
        counter.Reset();

        await host.SendAsync(Json.Event("record.created", "lead", "COST-delay", new { at = due.ToString("O", CultureInfo.InvariantCulture) }));
        await host.Workers.Events.PollOnceAsync();
        var beforeWake = counter.Total;
        var woken = 0;
        while (woken == 0)
        {
            await Task.Delay(200);
            counter.Reset();
            woken = await host.Workers.Steps.PollOnceAsync();
        }

        var wake = counter.Total;
        var byKind = counter.ByKind();
        var run = await host.WaitForEndAsync("lead", "COST-delay", wf.Id!);

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Equal(5, run.Steps.Count);

        // Up to the wait: intake 3 (with the feed's line), receive, read, create, 2 checkpoints (the second one parks the run), wake-up put, index, delete.
        Assert.Equal(11, beforeWake);

        // The wake-up: receive, read (run + record + event), claim, 3 checkpoints, index read + write, delete.
        Assert.Equal(9, wake);
        Assert.Equal(5, byKind["table POST $batch"]);
        Assert.Equal(20, beforeWake + wake);
    }
}
