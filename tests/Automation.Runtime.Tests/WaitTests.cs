using System.Globalization;
using Automation.Engine.Model;
using Automation.Engine.Runs;
using Automation.Runtime.Processing;
using Automation.Runtime.Records;
using Automation.Runtime.Storage;
using Automation.Runtime.Tests.Infrastructure;

namespace Automation.Runtime.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class WaitTests : RuntimeTest
{
    private AutomationStorage Storage => Host.Get<AutomationStorage>();

    [Fact]
    public async Task A_wait_beyond_the_queue_limit_hops_and_an_early_wake_up_runs_nothing_and_writes_nothing()
    {
        var wf = await Host.ActiveWorkflowAsync($$$"""
        {
          "name": "Month", "module": "lead", "trigger": { "type": "record.created" },
          "steps": [ { "id": "later", "action": "call_webhook", "delay": { "days": 30 }, "params": { "url": "{{{Receiver.Url("month")}}}" } } ]
        }
        """);
        await Host.SendAsync(Json.Event("record.created", "lead", "W-1"));
        var waiting = await Host.WaitForRunAsync("lead", "W-1", wf.Id!, r => r.Run.Status == RunStatus.Waiting);
        Assert.True(Keys.TryParseRunId(waiting.Run.RunId, out var partition));
        var (row, _, _) = await RecordPartition.LoadRunAsync(Storage.Records, partition, waiting.Run.RunId, null, default);
        var queued = (await Storage.Steps.GetPropertiesAsync()).Value.ApproximateMessagesCount;

        // The 7-day message comes back while the wait has 23 days to go.
        await Host.Get<StepProcessor>().ProcessAsync(new StepMessage(waiting.Run.RunId, row!.WakeToken, waiting.Run.TriggerEventId));
        var (after, _, _) = await RecordPartition.LoadRunAsync(Storage.Records, partition, waiting.Run.RunId, null, default);

        Assert.True(waiting.Run.WakeAt > DateTimeOffset.UtcNow.AddDays(29));
        Assert.Equal(row.ETag, after!.ETag);
        Assert.Equal(RunStatus.Waiting, after.State.Status);
        Assert.Equal(queued + 1, (await Storage.Steps.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Empty(Receiver.RequestsTo("month"));
    }

    [Fact]
    public async Task A_wake_up_with_an_old_token_is_dropped()
    {
        var wf = await Host.ActiveWorkflowAsync($$$"""
        {
          "name": "Tokens", "module": "lead", "trigger": { "type": "record.created" },
          "steps": [ { "id": "later", "action": "call_webhook", "delay": { "days": 1 }, "params": { "url": "{{{Receiver.Url("token")}}}" } } ]
        }
        """);
        await Host.SendAsync(Json.Event("record.created", "lead", "W-2"));
        var waiting = await Host.WaitForRunAsync("lead", "W-2", wf.Id!, r => r.Run.Status == RunStatus.Waiting);
        var queued = (await Storage.Steps.GetPropertiesAsync()).Value.ApproximateMessagesCount;

        await Host.Get<StepProcessor>().ProcessAsync(new StepMessage(waiting.Run.RunId, "stale-token", waiting.Run.TriggerEventId));

        Assert.Equal(queued, (await Storage.Steps.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Equal(RunStatus.Waiting, (await Host.Runs.GetAsync(waiting.Run.RunId))!.Run.Status);
    }

    [Fact]
    public async Task A_paused_workflow_holds_its_due_runs_and_they_resume_after_activation()
    {
        var wf = await Host.ActiveWorkflowAsync($$$"""
        {
          "name": "Hold", "module": "lead", "trigger": { "type": "record.created" },
          "steps": [ { "id": "later", "action": "call_webhook", "delay": { "until": "{{ record.at }}" }, "params": { "url": "{{{Receiver.Url("hold")}}}" } } ]
        }
        """);
        var due = DateTimeOffset.UtcNow.AddSeconds(1);
        await Host.SendAsync(Json.Event("record.created", "lead", "W-3", new { at = due.ToString("O", CultureInfo.InvariantCulture) }));
        await Host.WaitForRunAsync("lead", "W-3", wf.Id!, r => r.Run.Status == RunStatus.Waiting);
        await Host.Workflows.SetStatusAsync(wf.Id!, WorkflowStatus.Paused);

        var parked = await Host.WaitForRunAsync("lead", "W-3", wf.Id!, r => r.Run.Status == RunStatus.Waiting && r.Run.WakeAt > due);
        Assert.Empty(Receiver.RequestsTo("hold"));
        var activatedAt = DateTimeOffset.UtcNow;
        await Host.Workflows.SetStatusAsync(wf.Id!, WorkflowStatus.Active);
        var run = await Host.WaitForEndAsync("lead", "W-3", wf.Id!);

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.True(Assert.Single(Receiver.RequestsTo("hold")).At >= activatedAt);
        Assert.Equal(RunStatus.Waiting, parked.Run.Status);
    }

    [Fact]
    public async Task An_archived_workflow_cancels_its_runs_when_they_wake()
    {
        var wf = await Host.ActiveWorkflowAsync($$$"""
        {
          "name": "Archived", "module": "lead", "trigger": { "type": "record.created" },
          "steps": [ { "id": "later", "action": "call_webhook", "delay": { "until": "{{ record.at }}" }, "params": { "url": "{{{Receiver.Url("archived")}}}" } } ]
        }
        """);
        var due = DateTimeOffset.UtcNow.AddSeconds(1);
        await Host.SendAsync(Json.Event("record.created", "lead", "W-4", new { at = due.ToString("O", CultureInfo.InvariantCulture) }));
        await Host.WaitForRunAsync("lead", "W-4", wf.Id!, r => r.Run.Status == RunStatus.Waiting);

        await Host.Workflows.ArchiveAsync(wf.Id!);
        var run = await Host.WaitForEndAsync("lead", "W-4", wf.Id!);

        Assert.Equal(RunStatus.Cancelled, run.Run.Status);
        Assert.Equal("The workflow was archived.", run.Run.Error);
        Assert.Empty(Receiver.RequestsTo("archived"));
    }
}
