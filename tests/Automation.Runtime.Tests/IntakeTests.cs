using Automation.Engine.Runs;
using Automation.Runtime.Storage;
using Automation.Runtime.Tests.Infrastructure;

namespace Automation.Runtime.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class IntakeTests : RuntimeTest
{
    private Task<Engine.Model.Workflow> OneCallAsync(string path, string trigger = "record.created") =>
        Host.ActiveWorkflowAsync($$$"""
        {
          "name": "Call {{{path}}}", "module": "lead", "trigger": { "type": "{{{trigger}}}" }, "enrollment": "every_time",
          "steps": [ { "id": "call", "action": "call_webhook", "params": { "url": "{{{Receiver.Url(path)}}}" } } ]
        }
        """);

    [Fact]
    public async Task An_event_id_seen_before_is_a_duplicate_and_is_processed_once()
    {
        var wf = await OneCallAsync("dup");
        var evt = Json.Event("record.created", "lead", "I-1", new { name = "x" }, id: "crm-42");

        var first = await Host.SendAsync(evt, evt);
        await Host.WaitForEndAsync("lead", "I-1", wf.Id!);
        var second = await Host.SendAsync(evt);
        await Host.SendAsync(Json.Event("record.created", "lead", "I-marker"));
        await Host.WaitForEndAsync("lead", "I-marker", wf.Id!);

        Assert.Equal(["crm-42"], first.Accepted);
        Assert.Equal(["crm-42"], first.Duplicates);
        Assert.Empty(second.Accepted);
        Assert.Equal(["crm-42"], second.Duplicates);
        var run = Assert.Single(await Host.Runs.ListForRecordAsync("lead", "I-1"));
        Assert.Single(Receiver.RequestsTo("dup"), r => r.Header("Idempotency-Key")!.StartsWith(run.RunId, StringComparison.Ordinal));
        Assert.Equal(2, Receiver.RequestsTo("dup").Count);
    }

    [Fact]
    public async Task The_same_event_sent_many_times_at_once_is_accepted_once_and_processed_once()
    {
        var wf = await OneCallAsync("burst");
        var evt = Json.Event("record.created", "lead", "I-2", new { name = "x" }, id: "crm-burst");

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Host.SendAsync(evt)));
        await Host.WaitForEndAsync("lead", "I-2", wf.Id!);
        await Eventually.HoldsAsync(async () =>
            (await Host.Get<AutomationStorage>().Events.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0);

        Assert.Equal(1, results.Sum(r => r.Accepted.Count));
        Assert.Equal(7, results.Sum(r => r.Duplicates.Count));
        var run = Assert.Single(await Host.Runs.ListForRecordAsync("lead", "I-2"));
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Single(Receiver.RequestsTo("burst"));
    }

    [Fact]
    public async Task The_same_event_id_on_another_record_is_another_event()
    {
        var wf = await OneCallAsync("scoped");

        var a = await Host.SendAsync(Json.Event("record.created", "lead", "I-3a", id: "crm-7"));
        var b = await Host.SendAsync(Json.Event("record.created", "lead", "I-3b", id: "crm-7"));
        await Host.WaitForEndAsync("lead", "I-3a", wf.Id!);
        await Host.WaitForEndAsync("lead", "I-3b", wf.Id!);

        Assert.Equal(["crm-7"], a.Accepted);
        Assert.Equal(["crm-7"], b.Accepted);
    }

    [Fact]
    public async Task An_event_too_large_to_store_is_refused_naming_it_and_nothing_is_stored()
    {
        var big = new string('x', IntakeService_MaxPlusOne());
        var ok = Json.Event("record.created", "lead", "I-4", new { name = "fine" });
        var tooBig = Json.Event("record.created", "lead", "I-5", new { blob = big });

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Host.SendAsync(ok, tooBig));

        Assert.StartsWith("[1]:", error.Message, StringComparison.Ordinal);
        Assert.Null(await Host.Get<Records.RecordStore>().GetAsync("lead", "I-4"));
        Assert.Equal(0, (await Host.Get<AutomationStorage>().Events.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task The_record_snapshot_follows_the_latest_event_and_ignores_an_older_one_delivered_late()
    {
        var now = DateTimeOffset.UtcNow;
        await Host.SendAsync(Json.Event("record.created", "lead", "I-6", new { stage = "new" }) with { OccurredAt = now });
        await Host.SendAsync(Json.Event("record.updated", "lead", "I-6", new { stage = "won" }) with { OccurredAt = now.AddMinutes(2) });
        await Eventually.HoldsAsync(async () =>
            (await Host.Get<Records.RecordStore>().GetAsync("lead", "I-6"))?.Fields.GetProperty("stage").GetString() == "won");
        await Host.SendAsync(Json.Event("record.updated", "lead", "I-6", new { stage = "old" }) with { OccurredAt = now.AddMinutes(1) });
        await Eventually.HoldsAsync(async () =>
            (await Host.Get<AutomationStorage>().Events.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0);
        await Task.Delay(300);

        var snapshot = await Host.Get<Records.RecordStore>().GetAsync("lead", "I-6");

        Assert.Equal("won", snapshot!.Fields.GetProperty("stage").GetString());
    }

    private static int IntakeService_MaxPlusOne() => Intake.IntakeService.MaxEventBytes + 1;
}

/// <summary>Intake's crash window, driven by hand: an event recorded but maybe not queued is queued again on a retry.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class IntakeRecoveryTests : RuntimeTest
{
    protected override bool Pollers => false;

    [Fact]
    public async Task A_duplicate_of_an_event_not_yet_processed_is_queued_again_and_still_processed_once()
    {
        var wf = await Host.ActiveWorkflowAsync($$$"""
        {
          "name": "Once", "module": "lead", "trigger": { "type": "record.created" },
          "steps": [ { "id": "call", "action": "call_webhook", "params": { "url": "{{{Receiver.Url("requeue")}}}" } } ]
        }
        """);
        var evt = Json.Event("record.created", "lead", "Q-1", id: "crm-q");
        var events = Host.Get<AutomationStorage>().Events;

        // As if the first delivery crashed after recording the id: its message is lost.
        await Host.SendAsync(evt);
        var lost = (await events.ReceiveMessagesAsync(1)).Value.Single();
        await events.DeleteMessageAsync(lost.MessageId, lost.PopReceipt);

        var retry = await Host.SendAsync(evt);
        var again = await Host.SendAsync(evt);
        var handled = await Host.Workers.Events.PollOnceAsync();
        var run = await Host.WaitForEndAsync("lead", "Q-1", wf.Id!);

        Assert.Equal(["crm-q"], retry.Duplicates);
        Assert.Equal(["crm-q"], again.Duplicates);
        Assert.Equal(2, handled);
        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Single(await Host.Runs.ListForRecordAsync("lead", "Q-1"));
        Assert.Single(Receiver.RequestsTo("requeue"));

        // Applied now: a further duplicate is not queued.
        await Host.SendAsync(evt);
        Assert.Equal(0, (await events.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }
}
