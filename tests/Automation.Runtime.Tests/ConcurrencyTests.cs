using Automation.Engine.Runs;
using Automation.Runtime.Orchestration;
using Automation.Runtime.Processing;
using Automation.Runtime.Storage;
using Automation.Runtime.Tests.Infrastructure;
using Azure.Storage.Queues.Models;

namespace Automation.Runtime.Tests;

/// <summary>
/// Invariant 2 under duplicates, driving the events queue by hand (no poller). Crashes of the whole process, in the
/// middle of a step and of a delay, are in the host tests (<c>HostCrashTests</c>: a real process, killed).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConcurrencyTests : IAsyncLifetime
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

    private AutomationStorage Storage => host.Get<AutomationStorage>();

    private Task<Engine.Model.Workflow> ThreeStepsAsync(string name, string firstDelay = "") =>
        host.ActiveWorkflowAsync($$$"""
        {
          "name": "{{{name}}}", "module": "lead", "trigger": { "type": "record.created" },
          "steps": [
            { "id": "one", "action": "call_webhook", {{{firstDelay}}} "params": { "url": "{{{receiver.Url(name + "/one")}}}" } },
            { "id": "two", "action": "call_webhook", "params": { "url": "{{{receiver.Url(name + "/two")}}}" } },
            { "id": "three", "action": "call_webhook", "params": { "url": "{{{receiver.Url(name + "/three")}}}" } }
          ]
        }
        """);

    private static async Task<QueueMessage> ReceiveAsync(Azure.Storage.Queues.QueueClient queue)
    {
        QueueMessage? message = null;
        await Eventually.HoldsAsync(async () =>
        {
            var got = (await queue.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(1))).Value;
            message = got.FirstOrDefault();
            return message is not null;
        });
        return message!;
    }

    [Fact]
    public async Task An_activity_delivered_again_after_its_steps_were_checkpointed_repeats_none_of_them()
    {
        var wf = await ThreeStepsAsync("again");
        await host.SendAsync(Json.Event("record.created", "lead", "K-1"));
        await host.Workers.Events.PollOnceAsync();
        var run = await host.WaitForEndAsync("lead", "K-1", wf.Id!);

        // What Durable does when a worker died after the activity's work but before its answer was recorded.
        var again = await host.Get<RunAdvancer>().AdvanceAsync(new AdvanceRequest(run.Run.RunId, run.Run.TriggerEventId));
        var after = await host.Runs.GetAsync(run.Run.RunId);

        Assert.Equal(RunStatus.Succeeded, again.Status);
        Assert.True(again.Ended);
        Assert.Single(receiver.RequestsTo("again/one"));
        Assert.Single(receiver.RequestsTo("again/two"));
        Assert.Single(receiver.RequestsTo("again/three"));
        Assert.Equal(3, after!.Steps.Count);
        Assert.Equal(1, (await host.Runs.StatsAsync(wf.Id!)).ByStatus[RunStatus.Succeeded]);
    }

    [Fact]
    public async Task Two_workers_processing_the_same_event_create_one_run_and_execute_each_step_once()
    {
        var wf = await ThreeStepsAsync("twice");
        receiver.Respond("twice/one", new Reply(200, "{}", null, TimeSpan.FromMilliseconds(300)));
        await host.SendAsync(Json.Event("record.created", "lead", "K-2"));

        var message = await ReceiveAsync(Storage.Events);
        var events = host.Get<EventProcessor>();
        await Task.WhenAll(events.ProcessAsync(message.MessageText, 1), events.ProcessAsync(message.MessageText, 1));
        var run = await host.WaitForEndAsync("lead", "K-2", wf.Id!);

        Assert.Single(await host.Runs.ListForRecordAsync("lead", "K-2"));
        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Single(receiver.RequestsTo("twice/one"));
        Assert.Single(receiver.RequestsTo("twice/two"));
        Assert.Single(receiver.RequestsTo("twice/three"));
    }
}

[Collection(AzuriteCollection.Name)]
public sealed class VolumeTests : IAsyncLifetime
{
    private RuntimeHost host = null!;
    private WebhookReceiver receiver = null!;

    public async Task InitializeAsync()
    {
        receiver = await WebhookReceiver.StartAsync();
        host = await RuntimeHost.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await receiver.DisposeAsync();
    }

    [Fact]
    public async Task Many_events_about_the_same_records_each_start_their_runs_once_and_every_step_runs_once()
    {
        var every = await host.ActiveWorkflowAsync($$$"""
        {
          "name": "Every update", "module": "lead", "trigger": { "type": "record.updated" }, "enrollment": "every_time",
          "steps": [
            { "id": "a", "action": "call_webhook", "params": { "url": "{{{receiver.Url("vol/a")}}}", "body": { "n": "{{ record.n }}" } } },
            { "id": "b", "action": "call_webhook", "params": { "url": "{{{receiver.Url("vol/b")}}}" } }
          ]
        }
        """);
        var once = await host.ActiveWorkflowAsync($$$"""
        {
          "name": "First update only", "module": "lead", "trigger": { "type": "record.updated" }, "enrollment": "once",
          "steps": [ { "id": "c", "action": "call_webhook", "params": { "url": "{{{receiver.Url("vol/once")}}}" } } ]
        }
        """);
        const int records = 10;
        const int updates = 8;
        var events = Enumerable.Range(0, records).SelectMany(r => Enumerable.Range(1, updates).Select(n =>
            Json.Event("record.updated", "lead", $"V-{r}", new { n }))).ToArray();

        await Task.WhenAll(events.Chunk(20).Select(chunk => host.SendAsync(chunk)));
        await Eventually.HoldsAsync(
            async () =>
            {
                var stats = await host.Runs.StatsAsync(every.Id!);
                return stats.ByStatus[RunStatus.Succeeded] == records * updates;
            },
            TimeSpan.FromSeconds(120));
        var onceStats = await host.Runs.StatsAsync(once.Id!);

        Assert.Equal(records * updates, receiver.RequestsTo("vol/a").Count);
        Assert.Equal(records * updates, receiver.RequestsTo("vol/b").Count);
        Assert.Equal(records * updates, receiver.RequestsTo("vol/a").Select(r => r.Header("Idempotency-Key")).Distinct().Count());
        Assert.Equal(records, onceStats.RunCount);
        Assert.Equal(records, receiver.RequestsTo("vol/once").Count);
        Assert.Equal(records * updates, (await host.Runs.StatsAsync(every.Id!)).RunCount);
    }
}
