using Automation.Engine.Runs;
using Automation.Runtime.Storage;
using Automation.Runtime.Tests.Infrastructure;

namespace Automation.Runtime.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class IntakeTests : IAsyncLifetime
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

    private Task<Engine.Model.Workflow> OneCallAsync(string path, string trigger = "record.created") =>
        host.ActiveWorkflowAsync($$$"""
        {
          "name": "Call {{{path}}}", "module": "lead", "trigger": { "type": "{{{trigger}}}" }, "enrollment": "every_time",
          "steps": [ { "id": "call", "action": "call_webhook", "params": { "url": "{{{receiver.Url(path)}}}" } } ]
        }
        """);

    [Fact]
    public async Task An_event_id_seen_before_is_a_duplicate_and_is_processed_once()
    {
        var wf = await OneCallAsync("dup");
        var evt = Json.Event("record.created", "lead", "I-1", new { name = "x" }, id: "crm-42");

        var first = await host.SendAsync(evt, evt);
        await host.WaitForEndAsync("lead", "I-1", wf.Id!);
        var second = await host.SendAsync(evt);
        await host.SendAsync(Json.Event("record.created", "lead", "I-marker"));
        await host.WaitForEndAsync("lead", "I-marker", wf.Id!);

        Assert.Equal(["crm-42"], first.Accepted);
        Assert.Equal(["crm-42"], first.Duplicates);
        Assert.Empty(second.Accepted);
        Assert.Equal(["crm-42"], second.Duplicates);
        var run = Assert.Single(await host.Runs.ListForRecordAsync("lead", "I-1"));
        Assert.Single(receiver.RequestsTo("dup"), r => r.Header("Idempotency-Key")!.StartsWith(run.RunId, StringComparison.Ordinal));
        Assert.Equal(2, receiver.RequestsTo("dup").Count);
    }

    [Fact]
    public async Task The_same_event_sent_many_times_at_once_is_accepted_once_and_processed_once()
    {
        var wf = await OneCallAsync("burst");
        var evt = Json.Event("record.created", "lead", "I-2", new { name = "x" }, id: "crm-burst");

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => host.SendAsync(evt)));
        await host.WaitForEndAsync("lead", "I-2", wf.Id!);
        await Eventually.HoldsAsync(async () =>
            (await host.Get<AutomationStorage>().Events.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0);

        Assert.Equal(1, results.Sum(r => r.Accepted.Count));
        Assert.Equal(7, results.Sum(r => r.Duplicates.Count));
        var run = Assert.Single(await host.Runs.ListForRecordAsync("lead", "I-2"));
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Single(receiver.RequestsTo("burst"));
    }

    [Fact]
    public async Task The_same_event_id_on_another_record_is_another_event()
    {
        var wf = await OneCallAsync("scoped");

        var a = await host.SendAsync(Json.Event("record.created", "lead", "I-3a", id: "crm-7"));
        var b = await host.SendAsync(Json.Event("record.created", "lead", "I-3b", id: "crm-7"));
        await host.WaitForEndAsync("lead", "I-3a", wf.Id!);
        await host.WaitForEndAsync("lead", "I-3b", wf.Id!);

        Assert.Equal(["crm-7"], a.Accepted);
        Assert.Equal(["crm-7"], b.Accepted);
    }

    [Fact]
    public async Task An_event_too_large_to_store_is_refused_naming_it_and_nothing_is_stored()
    {
        var big = new string('x', IntakeService_MaxPlusOne());
        var ok = Json.Event("record.created", "lead", "I-4", new { name = "fine" });
        var tooBig = Json.Event("record.created", "lead", "I-5", new { blob = big });

        var error = await Assert.ThrowsAsync<ArgumentException>(() => host.SendAsync(ok, tooBig));

        Assert.StartsWith("[1]:", error.Message, StringComparison.Ordinal);
        Assert.Null(await host.Get<Records.RecordStore>().GetAsync("lead", "I-4"));
        Assert.Equal(0, (await host.Get<AutomationStorage>().Events.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task The_record_snapshot_follows_the_latest_event_and_ignores_an_older_one_delivered_late()
    {
        var now = DateTimeOffset.UtcNow;
        await host.SendAsync(Json.Event("record.created", "lead", "I-6", new { stage = "new" }) with { OccurredAt = now });
        await host.SendAsync(Json.Event("record.updated", "lead", "I-6", new { stage = "won" }) with { OccurredAt = now.AddMinutes(2) });
        await Eventually.HoldsAsync(async () =>
            (await host.Get<Records.RecordStore>().GetAsync("lead", "I-6"))?.Fields.GetProperty("stage").GetString() == "won");
        await host.SendAsync(Json.Event("record.updated", "lead", "I-6", new { stage = "old" }) with { OccurredAt = now.AddMinutes(1) });
        await Eventually.HoldsAsync(async () =>
            (await host.Get<AutomationStorage>().Events.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0);
        await Task.Delay(300);

        var snapshot = await host.Get<Records.RecordStore>().GetAsync("lead", "I-6");

        Assert.Equal("won", snapshot!.Fields.GetProperty("stage").GetString());
    }

    private static int IntakeService_MaxPlusOne() => Intake.IntakeService.MaxEventBytes + 1;
}

/// <summary>Intake's crash window, driven by hand: an event recorded but maybe not queued is queued again on a retry.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class IntakeRecoveryTests : IAsyncLifetime
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

    [Fact]
    public async Task A_duplicate_of_an_event_not_yet_processed_is_queued_again_and_still_processed_once()
    {
        var wf = await host.ActiveWorkflowAsync($$$"""
        {
          "name": "Once", "module": "lead", "trigger": { "type": "record.created" },
          "steps": [ { "id": "call", "action": "call_webhook", "params": { "url": "{{{receiver.Url("requeue")}}}" } } ]
        }
        """);
        var evt = Json.Event("record.created", "lead", "Q-1", id: "crm-q");
        var events = host.Get<AutomationStorage>().Events;

        // As if the first delivery crashed after recording the id: its message is lost.
        await host.SendAsync(evt);
        var lost = (await events.ReceiveMessagesAsync(1)).Value.Single();
        await events.DeleteMessageAsync(lost.MessageId, lost.PopReceipt);

        var retry = await host.SendAsync(evt);
        var again = await host.SendAsync(evt);
        var handled = await host.Workers.Events.PollOnceAsync();
        var run = await host.WaitForEndAsync("lead", "Q-1", wf.Id!);

        Assert.Equal(["crm-q"], retry.Duplicates);
        Assert.Equal(["crm-q"], again.Duplicates);
        Assert.Equal(2, handled);
        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Single(await host.Runs.ListForRecordAsync("lead", "Q-1"));
        Assert.Single(receiver.RequestsTo("requeue"));

        // Applied now: a further duplicate is not queued.
        await host.SendAsync(evt);
        Assert.Equal(0, (await events.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }
}
