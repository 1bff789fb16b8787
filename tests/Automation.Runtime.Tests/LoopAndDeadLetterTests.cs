using Automation.Engine.Model;
using Automation.Engine.Runs;
using Automation.Runtime.DeadLetters;
using Automation.Runtime.Processing;
using Automation.Runtime.Storage;
using Automation.Runtime.Tests.Infrastructure;

namespace Automation.Runtime.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class LoopAndDeadLetterTests : IAsyncLifetime
{
    private RuntimeHost host = null!;
    private WebhookReceiver receiver = null!;

    public async Task InitializeAsync()
    {
        receiver = await WebhookReceiver.StartAsync();
        host = await RuntimeHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Automation:Runner:MaxCausationDepth"] = "3",
            ["Automation:Runner:MaxDequeueCount"] = "3",
        });
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await receiver.DisposeAsync();
    }

    [Fact]
    public async Task An_event_caused_past_the_depth_limit_is_not_processed_and_the_causing_run_says_why()
    {
        var cause = await host.ActiveWorkflowAsync($$$"""
        {
          "name": "Cause", "module": "deal", "trigger": { "type": "record.created" },
          "steps": [ { "id": "touch", "action": "call_webhook", "params": { "url": "{{{receiver.Url("cause")}}}" } } ]
        }
        """);
        var effect = await host.ActiveWorkflowAsync($$$"""
        {
          "name": "Effect", "module": "lead", "trigger": { "type": "record.updated" }, "enrollment": "every_time",
          "steps": [ { "id": "call", "action": "call_webhook", "params": { "url": "{{{receiver.Url("effect")}}}" } } ]
        }
        """);
        await host.SendAsync(Json.Event("record.created", "deal", "D-1"));
        var causing = await host.WaitForEndAsync("deal", "D-1", cause.Id!);
        await host.SendAsync(Json.Event("record.created", "lead", "E-1", new { n = 0 }));
        await Eventually.HoldsAsync(async () => await host.Get<Records.RecordStore>().GetAsync("lead", "E-1") is not null);

        await host.SendAsync(Json.Event("record.updated", "lead", "E-1", new { n = 1 },
            id: "too-deep", causation: new Causation(causing.Run.RunId, cause.Id!, "touch", 4)));
        var noted = await host.WaitForRunAsync("deal", "D-1", cause.Id!, r => r.Notes.Count > 0);
        await host.SendAsync(Json.Event("record.updated", "lead", "E-1", new { n = 2 },
            id: "deep-enough", causation: new Causation(causing.Run.RunId, cause.Id!, "touch", 3)));
        var allowed = await host.WaitForEndAsync("lead", "E-1", effect.Id!);

        var note = Assert.Single(noted.Notes);
        Assert.Equal("too-deep", note.EventId);
        Assert.Contains("causation depth 4 is past the limit of 3", note.Message, StringComparison.Ordinal);
        Assert.Equal("deep-enough", allowed.Run.TriggerEventId);
        Assert.Equal(3, allowed.Run.CausationDepth);
        Assert.Single(await host.Runs.ListForRecordAsync("lead", "E-1"));
        Assert.Single(receiver.RequestsTo("effect"));
    }

    [Fact]
    public async Task A_message_that_keeps_failing_goes_to_dead_letters_with_its_reason_and_payload()
    {
        var orphan = new EventMessage("lead", "nowhere", "never-recorded").ToJson();
        await host.Get<AutomationStorage>().Events.SendMessageAsync(orphan);

        var letters = await WaitForDeadLettersAsync(1);

        var letter = Assert.Single(letters);
        Assert.Equal("events", letter.Queue);
        Assert.Equal(3, letter.DequeueCount);
        Assert.Contains("is not in the store", letter.Reason, StringComparison.Ordinal);
        Assert.Equal(orphan, letter.Payload);
        await Eventually.HoldsAsync(async () =>
            (await host.Get<AutomationStorage>().Events.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0);
    }

    [Fact]
    public async Task An_unreadable_message_goes_to_dead_letters_at_once()
    {
        await host.Get<AutomationStorage>().Events.SendMessageAsync("not json at all");

        var letter = Assert.Single(await WaitForDeadLettersAsync(1));

        Assert.Equal("events", letter.Queue);
        Assert.Equal(1, letter.DequeueCount);
        Assert.Equal("not json at all", letter.Payload);
    }

    private async Task<IReadOnlyList<DeadLetter>> WaitForDeadLettersAsync(int count)
    {
        IReadOnlyList<DeadLetter> letters = [];
        await Eventually.HoldsAsync(async () =>
        {
            letters = (await host.Get<DeadLetterStore>().ListAsync()).Items;
            return letters.Count >= count;
        });
        return letters;
    }
}

[Collection(AzuriteCollection.Name)]
public sealed class StorageHealthTests
{
    [Fact]
    public async Task Health_reports_tables_and_queues_reachable_and_an_unreachable_account_is_not()
    {
        await using var host = await RuntimeHost.StartAsync(pollers: false);
        var good = await host.Get<StorageHealth>().CheckAsync();

        var unreachable = new AutomationStorage(
            Microsoft.Extensions.Options.Options.Create(new StorageOptions
            {
                ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
                    "BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;QueueEndpoint=http://127.0.0.1:1/devstoreaccount1;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;",
            }),
            new StorageTransactionCounter());
        var bad = await new StorageHealth(unreachable).CheckAsync();

        Assert.True(good.Healthy);
        Assert.Null(good.Error);
        Assert.False(bad.Healthy);
        Assert.False(bad.Tables);
        Assert.False(bad.Queues);
        Assert.NotNull(bad.Error);
    }
}
