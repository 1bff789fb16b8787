using Automation.Engine.Runs;
using Automation.Runtime.DeadLetters;
using Automation.Runtime.Records;
using Automation.Runtime.Storage;
using Automation.Runtime.Tests.Infrastructure;
using Azure.Data.Tables;

namespace Automation.Runtime.Tests;

/// <summary>An event near the documented limit (900 KB) is stored, read back and processed like any other: never 202 and then lost.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class LargeEventTests : RuntimeTest
{
    [Fact]
    public async Task An_850_kb_event_is_accepted_stored_and_enrolls_a_run()
    {
        var wf = await Host.ActiveWorkflowAsync($$$"""
        {
          "name": "Large", "module": "lead", "trigger": { "type": "record.created" },
          "steps": [ { "id": "call", "action": "call_webhook", "params": { "url": "{{{Receiver.Url("large")}}}", "body": { "size": "{{ record.notes | size }}" } } } ]
        }
        """);
        var notes = new string('n', 850 * 1024);

        var result = await Host.SendAsync(Json.Event("record.created", "lead", "BIG-1", new { notes }, id: "big-1"));
        Assert.Equal(["big-1"], result.Accepted);

        var run = await Host.WaitForEndAsync("lead", "BIG-1", wf.Id!);
        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Equal($$"""{"size":"{{notes.Length}}"}""", Assert.Single(Receiver.RequestsTo("large")).Body);
        var snapshot = await Host.Get<RecordStore>().GetAsync("lead", "BIG-1");
        Assert.Equal(notes.Length, snapshot!.Fields.GetProperty("notes").GetString()!.Length);
        Assert.Empty((await Host.Get<DeadLetterStore>().ListAsync(10, null)).Items);

        // In storage: the row keeps a stub and the blob's name; every reader gets the whole event back.
        var storage = Host.Get<AutomationStorage>();
        var partition = Keys.RecordPartition("lead", "BIG-1");
        var entity = (await storage.Records.GetEntityAsync<TableEntity>(partition, Keys.EventRow("big-1"))).Value;
        Assert.Equal(EventBlobs.BlobName(partition, "big-1"), entity.GetString("EventBlob"));
        Assert.True(entity.GetBinary("Event")!.Length < 1024);
        Assert.Equal(EventStates.Applied, entity.GetString("State"));
        var slice = await RecordPartition.LoadSliceAsync(storage.Records, partition, "big-1", CancellationToken.None);
        Assert.Equal(notes.Length, slice.Event!.Event.Record!.Value.GetProperty("notes").GetString()!.Length);
    }

    [Fact]
    public async Task A_small_event_stays_whole_in_its_row()
    {
        await Host.SendAsync(Json.Event("record.created", "lead", "SMALL-1", new { notes = "short" }, id: "small-1"));

        var storage = Host.Get<AutomationStorage>();
        var entity = (await storage.Records.GetEntityAsync<TableEntity>(Keys.RecordPartition("lead", "SMALL-1"), Keys.EventRow("small-1"))).Value;
        Assert.Null(entity.GetString("EventBlob"));
        Assert.Contains("short", System.Text.Encoding.UTF8.GetString(entity.GetBinary("Event")!), StringComparison.Ordinal);
    }
}
