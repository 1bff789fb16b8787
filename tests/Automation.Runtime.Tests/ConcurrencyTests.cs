using System.Globalization;
using Automation.Engine.Runs;
using Automation.Runtime.Processing;
using Automation.Runtime.Storage;
using Automation.Runtime.Tests.Infrastructure;
using Azure.Storage.Queues.Models;

namespace Automation.Runtime.Tests;

/// <summary>Invariant 2 under duplicates and crashes, driving the queues by hand (no pollers).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConcurrencyTests : IAsyncLifetime
{
    private RuntimeHost host = null!;
    private WebhookReceiver receiver = null!;

    public async Task InitializeAsync()
    {
        receiver = await WebhookReceiver.StartAsync();
        host = await RuntimeHost.StartAsync(pollers: false, new Dictionary<string, string?>
        {
            ["Automation:Runner:LeaseDuration"] = "00:00:03",
        });
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
    public async Task Two_workers_processing_the_same_wake_up_execute_each_step_exactly_once()
    {
        var wf = await ThreeStepsAsync("race", """ "delay": { "until": "{{ record.at }}" }, """);
        var due = DateTimeOffset.UtcNow.AddSeconds(1);
        await host.SendAsync(Json.Event("record.created", "lead", "K-1", new { at = due.ToString("O", CultureInfo.InvariantCulture) }));
        await host.Workers.Events.PollOnceAsync();
        receiver.Respond("race/one", new Reply(200, "{}", null, TimeSpan.FromMilliseconds(300)));

        var wakeUp = await ReceiveAsync(Storage.Steps);
        var steps = host.Get<StepProcessor>();
        await Task.WhenAll(steps.ProcessAsync(wakeUp.MessageText, 1), steps.ProcessAsync(wakeUp.MessageText, 1));
        var run = await host.WaitForEndAsync("lead", "K-1", wf.Id!);

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Single(receiver.RequestsTo("race/one"));
        Assert.Single(receiver.RequestsTo("race/two"));
        Assert.Single(receiver.RequestsTo("race/three"));
        Assert.Equal(["one", "two", "three"], run.Steps.Select(s => s.StepId));
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

    [Fact]
    public async Task A_worker_dying_mid_step_is_resumed_from_the_last_checkpoint_and_never_repeats_a_checkpointed_step()
    {
        var wf = await ThreeStepsAsync("crash");
        receiver.Respond("crash/two", new Reply(200, "{}", null, TimeSpan.FromSeconds(30)));
        await host.SendAsync(Json.Event("record.created", "lead", "K-3"));
        var message = await ReceiveAsync(Storage.Events);
        var events = host.Get<EventProcessor>();

        // The worker "dies" while step two's request is in flight: step one is checkpointed, step two is not.
        using (var crash = new CancellationTokenSource())
        {
            var dying = events.ProcessAsync(message.MessageText, 1, crash.Token);
            await Eventually.HoldsAsync(() => Task.FromResult(receiver.RequestsTo("crash/two").Count == 1));
            await crash.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dying);
        }

        // The message comes back once its visibility ends; the dead worker's lease has ended by then.
        var leased = await host.Runs.ListForRecordAsync("lead", "K-3");
        await Eventually.HoldsAsync(async () =>
        {
            var row = await host.Runs.GetAsync(leased[0].RunId);
            return row is not null && DateTimeOffset.UtcNow > row.Run.UpdatedAt.AddSeconds(4);
        });
        await events.ProcessAsync(message.MessageText, 2);
        var run = await host.WaitForEndAsync("lead", "K-3", wf.Id!);

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Single(receiver.RequestsTo("crash/one"));
        var two = receiver.RequestsTo("crash/two");
        Assert.Equal(2, two.Count);
        Assert.Equal(two[0].Header("Idempotency-Key"), two[1].Header("Idempotency-Key"));
        Assert.Single(receiver.RequestsTo("crash/three"));
        Assert.Equal(["one", "two", "three"], run.Steps.Select(s => s.StepId));
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
